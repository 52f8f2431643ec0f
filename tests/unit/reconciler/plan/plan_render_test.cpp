// Golden tests for the human and JSON forms of a plan. Each plan of
// plan_golden_plans.cpp is rendered and compared, byte for byte, with
// tests/data/plans/<name>.txt (render_plan, no colour) and <name>.json
// (plan_to_json, 2-space indent).
//
// To accept a deliberate change of the output, run the tests with
//   SKIFF_UPDATE_GOLDENS=1 build/tests/skiff_unit_tests "[plan]"
// which rewrites the files instead of comparing; then read the diff as a
// user would read the plan before committing it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/utc_time.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/plan/plan_render.hpp"
#include "unit/reconciler/plan/plan_golden_plans.hpp"

namespace fs = std::filesystem;
using namespace skiff::reconciler;
using skiff::reconciler::testing::golden_plans;

namespace {

fs::path golden_dir() { return fs::path(SKIFF_SOURCE_DIR) / "tests" / "data" / "plans"; }

bool updating_goldens() {
  const char* value = std::getenv("SKIFF_UPDATE_GOLDENS");
  return value && std::string(value) == "1";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void check_golden(const fs::path& path, const std::string& actual) {
  if (updating_goldens()) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  INFO("golden " << path.string() << " (SKIFF_UPDATE_GOLDENS=1 rewrites it)");
  REQUIRE(fs::exists(path));
  CHECK(read_file(path) == actual);
}

}  // namespace

TEST_CASE("rendered plans match their goldens", "[plan]") {
  for (const auto& golden : golden_plans()) {
    SECTION(golden.name) {
      check_golden(golden_dir() / (golden.name + ".txt"), render_plan(golden.plan));
      check_golden(golden_dir() / (golden.name + ".json"), plan_to_json(golden.plan).dump(2) + "\n");
    }
  }
}

TEST_CASE("colour is ANSI escapes under kAlways and nothing under kNever", "[plan]") {
  for (const auto& golden : golden_plans()) {
    INFO(golden.name);
    const std::string plain = render_plan(golden.plan, {Color::kNever});
    const std::string colored = render_plan(golden.plan, {Color::kAlways});
    CHECK(plain.find('\x1b') == std::string::npos);
    CHECK(colored.find("\x1b[") != std::string::npos);
    CHECK(colored.find("\x1b[0m") != std::string::npos);
  }
}

TEST_CASE("colour paints symbols as Terraform does", "[plan]") {
  const auto plans = golden_plans();
  auto find = [&](const std::string& name) {
    for (const auto& g : plans)
      if (g.name == name) return render_plan(g.plan, {Color::kAlways});
    FAIL("no golden plan " << name);
    return std::string();
  };
  CHECK(find("new_job").find("\x1b[32m+\x1b[0m web.frontend[0]") != std::string::npos);
  CHECK(find("count_down").find("\x1b[31m-\x1b[0m web.frontend[2]") != std::string::npos);
  CHECK(find("destructive_update").find("\x1b[31m-\x1b[0m/\x1b[32m+\x1b[0m shop.web[0]") != std::string::npos);
  CHECK(find("no_changes") == "\x1b[1;32mNo changes.\x1b[0m\x1b[1m The fleet matches the job files.\x1b[0m\n");
}

TEST_CASE("the last line counts the changes", "[plan]") {
  for (const auto& golden : golden_plans()) {
    INFO(golden.name);
    const std::string text = render_plan(golden.plan);
    const std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
    const PlanSummary& s = golden.plan.summary;
    if (has_changes(golden.plan)) {
      CHECK(last ==
            "Plan: " + std::to_string(s.place) + " to place, " + std::to_string(s.update_in_place) + " to update in place, " +
                std::to_string(s.replace) + " to replace, " + std::to_string(s.stop) + " to stop, " + std::to_string(s.migrate) +
                " to migrate.\n");
    } else if (!golden.plan.failed_deployments.empty()) {
      // A failed deployment is not "No changes": it says what apply will not do.
      CHECK_THAT(last, Catch::StartsWith("Nothing to apply, but the last deployment of \"web\" failed:"));
    } else {
      CHECK(last == "No changes. The fleet matches the job files.\n");
    }
  }
}

TEST_CASE("a plan that changes nothing is one sentence", "[plan]") {
  CHECK(render_plan(Plan{}) == "No changes. The fleet matches the job files.\n");
}

TEST_CASE("a plan that changes nothing but cannot place everything says so", "[plan]") {
  Plan plan;
  JobPlan job;
  job.job = "shop";
  job.type = "service";
  job.version = 2;
  job.previous_version = 2;
  job.groups = {GroupSummary{"db", {{ActionKind::kIgnore, 1}}, 0, 3}};
  job.failures = {GroupFailure{"db", 2, {"Dimension \"memory\" exhausted on 3 hosts"}}};
  plan.jobs = {job};
  plan.summary.unplaced = 2;
  CHECK(render_plan(plan) ==
        "  Job: \"shop\" (version 2)\n"
        "    Task Group: \"db\" (1 ignore)\n"
        "\n"
        "Placement failures:\n"
        "  Task Group \"db\" (job \"shop\", 2 unplaced):\n"
        "    * Dimension \"memory\" exhausted on 3 hosts\n"
        "\n"
        "No changes, but 2 allocations could not be placed.\n");
}

TEST_CASE("summarize counts reschedules as places and ignores nothing else", "[plan]") {
  std::vector<Action> actions;
  for (ActionKind kind : {ActionKind::kPlace, ActionKind::kReschedule, ActionKind::kStop, ActionKind::kStop,
                          ActionKind::kUpdateInPlace, ActionKind::kReplace, ActionKind::kMigrate, ActionKind::kIgnore}) {
    Action a;
    a.kind = kind;
    actions.push_back(a);
  }
  const PlanSummary s = summarize(actions);
  CHECK(s.place == 2);
  CHECK(s.stop == 2);
  CHECK(s.update_in_place == 1);
  CHECK(s.replace == 1);
  CHECK(s.migrate == 1);
  CHECK(s.unplaced == 0);
  CHECK(s.has_changes());
  CHECK_FALSE(summarize({actions.back()}).has_changes());
}

TEST_CASE("a plan changes when an allocation or a job's spec does", "[plan]") {
  Plan plan;
  plan.jobs.push_back(JobPlan{});
  CHECK_FALSE(has_changes(plan));
  plan.jobs[0].change = DiffType::kEdited;
  CHECK(has_changes(plan));
  plan.jobs[0].change = DiffType::kNone;
  plan.summary.stop = 1;
  CHECK(has_changes(plan));
}

TEST_CASE("action kinds have words and JSON identifiers", "[plan]") {
  CHECK(to_string(ActionKind::kPlace) == "place");
  CHECK(to_string(ActionKind::kUpdateInPlace) == "update in place");
  CHECK(to_string(ActionKind::kIgnore) == "ignore");
  CHECK(action_kind_id(ActionKind::kUpdateInPlace) == "update_in_place");
  CHECK(action_kind_id(ActionKind::kReschedule) == "reschedule");
  CHECK(diff_type_id(DiffType::kDeleted) == "deleted");
}

TEST_CASE("UTC timestamps come from civil-date arithmetic", "[plan]") {
  CHECK(skiff::base::rfc3339_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(skiff::base::rfc3339_utc(-1) == "1969-12-31T23:59:59Z");
  CHECK(skiff::base::rfc3339_utc(951782400) == "2000-02-29T00:00:00Z");
  CHECK(skiff::base::rfc3339_utc(1796083200) == "2026-12-01T00:00:00Z");
  CHECK(skiff::base::rfc3339_utc(4102444799) == "2099-12-31T23:59:59Z");
}
