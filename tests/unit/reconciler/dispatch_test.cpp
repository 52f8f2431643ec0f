// job dispatch's pure part: the child job of a run, the parent's
// parameterized rules enforced with every problem named, the child's id
// read back; and the diff leaving a dispatched run alone, pruned or not.
#include <catch2/catch.hpp>

#include "reconciler/diff.hpp"
#include "reconciler/dispatch.hpp"
#include "reconciler/plan/plan_effect.hpp"
#include "support/job_from_hcl.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using skiff::testing::job_from;

namespace {

std::string report_job(const std::string& payload = "optional", bool receives = false) {
  return R"(job "report" {
  type = "batch"
  meta {
    owner = "ops"
  }
  parameterized {
    payload       = ")" +
      payload + R"("
    meta_required = ["input"]
    meta_optional = ["mode"]
  }
  group "run" {
    task "main" {
      driver = "docker"
      config { image = "report:1" }
)" + std::string(receives ? "      dispatch_payload {\n        file = \"input/config.json\"\n      }\n" : "") +
      R"(    }
  }
}
)";
}

DispatchRequest request(std::map<std::string, std::string> meta, std::optional<std::string> payload = std::nullopt) {
  return DispatchRequest{std::move(meta), std::move(payload), 1700000000, "0a1b2c3d"};
}

}  // namespace

TEST_CASE("dispatch: the child is a job of its own with the meta merged and no parameterized block", "[dispatch]") {
  Result<spec::Job> child = dispatch_child(job_from(report_job()), request({{"input", "2026-12-01"}, {"mode", "full"}}));
  REQUIRE(child.ok());
  CHECK(child->id == "report/dispatch-1700000000-0a1b2c3d");
  CHECK_FALSE(child->parameterized.has_value());
  CHECK(child->meta == std::map<std::string, std::string>{{"owner", "ops"}, {"input", "2026-12-01"}, {"mode", "full"}});
  CHECK(dispatch_parent(child->id) == std::optional<std::string>("report"));
}

TEST_CASE("dispatch: every problem with the meta and the payload is named at once", "[dispatch]") {
  Result<spec::Job> missing = dispatch_child(job_from(report_job("forbidden")), request({{"mdoe", "x"}}, "bytes"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidArgument);
  CHECK(missing.error().message ==
        "cannot dispatch job \"report\":\n"
        "  meta \"input\" is required: pass -meta input=VALUE\n"
        "  meta \"mdoe\" is not one job \"report\" takes (meta_required: \"input\"; meta_optional: \"mode\"); did you mean "
        "\"mode\"?\n"
        "  job \"report\" takes no payload (parameterized.payload = \"forbidden\")");
  Result<spec::Job> required = dispatch_child(job_from(report_job("required")), request({{"input", "x"}}));
  REQUIRE_FALSE(required.ok());
  CHECK_THAT(required.error().message, Catch::Contains("requires a payload (parameterized.payload = \"required\")"));
  // No task would receive it: said, rather than dropped.
  Result<spec::Job> nowhere = dispatch_child(job_from(report_job()), request({{"input", "x"}}, "bytes"));
  REQUIRE_FALSE(nowhere.ok());
  CHECK_THAT(nowhere.error().message, Catch::Contains("no task of job \"report\" has a dispatch_payload block"));
  Result<spec::Job> big =
      dispatch_child(job_from(report_job("optional", true)), request({{"input", "x"}}, std::string(16 * 1024 + 1, 'x')));
  REQUIRE_FALSE(big.ok());
  CHECK_THAT(big.error().message, Catch::Contains("the payload is 16385 bytes, more than the 16384 a dispatch takes"));
}

TEST_CASE("dispatch: the child carries the payload for the tasks with a dispatch_payload block", "[dispatch]") {
  const std::string bytes("{\"rows\": 3}\n\0\xff", 15);
  Result<spec::Job> child = dispatch_child(job_from(report_job("required", true)), request({{"input", "x"}}, bytes));
  REQUIRE(child.ok());
  CHECK(child->payload == bytes);
  CHECK(child->groups.at(0).tasks.at(0).dispatch_payload_file == "input/config.json");
  Result<spec::Job> without = dispatch_child(job_from(report_job("optional", true)), request({{"input", "x"}}));
  REQUIRE(without.ok());
  CHECK(without->payload.empty());
}

TEST_CASE("dispatch: a job without a parameterized block is refused", "[dispatch]") {
  spec::Job plain = job_from(report_job());
  plain.parameterized.reset();
  Result<spec::Job> child = dispatch_child(plain, request({}));
  REQUIRE_FALSE(child.ok());
  CHECK_THAT(child.error().message, Catch::StartsWith("job \"report\" is not parameterized"));
}

TEST_CASE("dispatch: only a run's id has a parent", "[dispatch]") {
  CHECK(dispatch_parent("a/b/dispatch-1700000000-ff00aa11") == std::optional<std::string>("a/b"));
  CHECK_FALSE(dispatch_parent("report").has_value());
  CHECK_FALSE(dispatch_parent("/dispatch-1-ab").has_value());
  CHECK_FALSE(dispatch_parent("report/dispatch-x-ab").has_value());
  CHECK_FALSE(dispatch_parent("report/dispatch-17-").has_value());
  CHECK_FALSE(dispatch_parent("report/dispatch-17-zz").has_value());
}

TEST_CASE("dispatch: the plan places a run, and later plans of the job files leave it, even with -prune", "[dispatch][diff]") {
  PlanInputs inputs;
  inputs.cluster.nodes = reconciler::testing::make_nodes(2);
  const spec::Job parent = job_from(report_job());
  Result<spec::Job> child = dispatch_child(parent, request({{"input", "x"}}));
  REQUIRE(child.ok());
  inputs.jobs = {*child};
  PlanOptions options;
  options.seed = 7;
  Plan placed = compute_plan(inputs, options);
  CHECK(placed.summary.place == 1);
  int next = 0;
  inputs.cluster = apply_plan(inputs.cluster, inputs.jobs, placed, [&] { return "alloc-" + std::to_string(next++); });

  inputs.jobs = {parent};
  options.prune = Prune::kStop;
  Plan later = compute_plan(inputs, options);
  CHECK_FALSE(later.summary.has_changes());
  const JobPlan* run = nullptr;
  for (const JobPlan& j : later.jobs)
    if (j.job == child->id) run = &j;
  REQUIRE(run);
  CHECK(run->note == "a dispatched run of job \"report\": left to finish");
  // Without its parent in the job files, a run is like any unlisted job.
  inputs.jobs.clear();
  CHECK(compute_plan(inputs, options).summary.stop == 1);
}
