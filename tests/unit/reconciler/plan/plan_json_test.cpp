// The JSON form of a plan reads back exactly, and a broken plan file is
// refused with the path of the field that is wrong.
#include <catch2/catch.hpp>

#include "reconciler/plan/plan_json.hpp"
#include "unit/reconciler/plan/plan_golden_plans.hpp"

using namespace skiff::reconciler;
using nlohmann::json;
using skiff::reconciler::testing::golden_plans;

namespace {

Plan golden(const std::string& name) {
  for (auto& g : golden_plans())
    if (g.name == name) return g.plan;
  FAIL("no golden plan " << name);
  return {};
}

std::string error_of(const json& j) {
  auto plan = plan_from_json(j);
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.error().code == skiff::ErrorCode::kParse);
  return plan.error().message;
}

}  // namespace

TEST_CASE("every golden plan reads back from its JSON field by field", "[plan]") {
  for (const auto& g : golden_plans()) {
    INFO(g.name);
    // Through text too, as `skiff plan -out` and `skiff apply FILE` do.
    auto back = plan_from_json(json::parse(plan_to_json(g.plan).dump(2)));
    REQUIRE(back.ok());
    CHECK(back->jobs == g.plan.jobs);
    CHECK(back->actions == g.plan.actions);
    CHECK(back->summary == g.plan.summary);
    CHECK(*back == g.plan);
  }
}

TEST_CASE("extreme values survive the round trip", "[plan]") {
  Plan plan = golden("destructive_update");
  plan.seed = UINT64_MAX;
  plan.state_serial = UINT64_MAX - 1;
  plan.computed_unix = -86400;
  plan.jobs[0].next_periodic_launch_unix = INT64_MAX;
  plan.jobs[0].previous_version = 0;
  plan.actions[0].ports.clear();
  plan.actions[0].reason = "quote \" and unicode \u00e9 and newline\n";
  auto back = plan_from_json(plan_to_json(plan));
  REQUIRE(back.ok());
  CHECK(*back == plan);
}

TEST_CASE("the JSON form carries derived values for people", "[plan]") {
  const json j = plan_to_json(golden("periodic_job"));
  CHECK(j["format_version"] == 1);
  // The schedule changes though no allocation does.
  CHECK(j["summary"]["changes"] == true);
  CHECK(plan_to_json(golden("no_changes"))["summary"]["changes"] == false);
  CHECK(j["computed_at"] == "2026-05-28T20:26:40Z");
  CHECK(j["jobs"][0]["next_periodic_launch"] == "2026-12-01T00:00:00Z");
  CHECK(j["jobs"][0]["next_periodic_launch_unix"] == 1796083200);
  const json d = plan_to_json(golden("destructive_update"));
  CHECK(d["actions"][0]["name"] == "shop.web[0]");
  CHECK(d["actions"][0]["kind"] == "replace");
  CHECK(d["jobs"][0]["groups"][0]["counts"]["replace"] == 4);
}

TEST_CASE("plan_from_json names the field that is missing or ill-typed", "[plan]") {
  const json good = plan_to_json(golden("destructive_update"));

  json j = good;
  j["jobs"][0].erase("version");
  CHECK(error_of(j) == "plan JSON: jobs[0].version: missing");

  j = good;
  j["actions"][1]["index"] = "1";
  CHECK(error_of(j) == "plan JSON: actions[1].index: expected an integer, got string");

  j = good;
  j["actions"][2]["kind"] = "explode";
  CHECK(error_of(j) == "plan JSON: actions[2].kind: unknown action kind \"explode\"");

  j = good;
  j["jobs"][0]["groups"][0]["counts"]["place"] = 1.5;
  CHECK(error_of(j) == "plan JSON: jobs[0].groups[0].counts.place: expected an integer, got number");

  j = good;
  j["jobs"][0]["groups"][1]["counts"]["teleport"] = 1;
  CHECK(error_of(j) == "plan JSON: jobs[0].groups[1].counts.teleport: unknown action kind \"teleport\"");

  j = good;
  j["jobs"][0]["fields"][0]["type"] = "changed";
  CHECK(error_of(j) == "plan JSON: jobs[0].fields[0].type: unknown change \"changed\" (none, added, deleted or edited)");

  j = good;
  j["jobs"][0]["previous_version"] = -1;
  CHECK(error_of(j) == "plan JSON: jobs[0].previous_version: must not be negative");

  j = good;
  j["actions"][0]["ports"]["http"] = "26000";
  CHECK(error_of(j) == "plan JSON: actions[0].ports.http: expected an integer, got string");

  j = good;
  j["summary"] = json::array();
  CHECK(error_of(j) == "plan JSON: summary: expected an object, got array");

  j = good;
  j.erase("observed_digest");
  CHECK(error_of(j) == "plan JSON: observed_digest: missing");

  j = good;
  j["format_version"] = 2;
  CHECK(error_of(j) == "plan JSON: format_version: this skiff reads version 1, not 2");

  CHECK(error_of(json::array()) == "plan JSON: expected an object, got array");
}

TEST_CASE("plan_from_json ignores fields it does not know and derived ones", "[plan]") {
  json j = plan_to_json(golden("count_up"));
  j["future_field"] = {{"anything", true}};
  j["summary"]["changes"] = "not read";
  j["actions"][0]["name"] = "not read either";
  auto back = plan_from_json(j);
  REQUIRE(back.ok());
  CHECK(*back == golden("count_up"));
}
