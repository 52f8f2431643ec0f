// skiff apply against the fleet's real hosts, through the built binary:
// a three-group job deployed, re-applied as a no-op, rolled one
// allocation at a time, a second apply refused while the first holds the
// lock, and everything pruned at the end.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "drivers/shell_quote.hpp"
#include "integration/apply_support.hpp"

using skiff::testing::fleet;
using skiff::testing::prune_folder;
using skiff::testing::run_skiff;
using skiff::testing::running_allocations;
using skiff::testing::sh;
using skiff::testing::ShellResult;
using skiff::testing::state_json;
using skiff::testing::TestFleet;
using namespace std::chrono_literals;

namespace {

void write_shop(const TestFleet& f, const std::string& version, const std::string& min_healthy = "1s") {
  std::filesystem::create_directories(f.dir() + "/apply-jobs");
  std::string group_body = R"(
    update {
      max_parallel     = 1
      min_healthy_time = ")" +
      min_healthy + R"("
      healthy_deadline = "30s"
    }
    task "t" {
      driver = "raw_exec"
      env {
        VERSION = ")" +
      version + R"("
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "while :; do sleep 1; done"]
      }
    }
)";
  std::ofstream(f.dir() + "/apply-jobs/shop.nomad.hcl")
      << "job \"shop\" {\n  group \"api\" {\n    count = 2\n    constraint {\n      distinct_hosts = true\n    }\n"
      << group_body << "  }\n  group \"worker\" {\n"
      << group_body << "  }\n  group \"cache\" {\n"
      << group_body << "  }\n}\n";
}

// Positions of each line in `output` that contains `text`, in order.
size_t position(const std::string& output, const std::string& text) {
  size_t at = output.find(text);
  INFO("looking for: " << text);
  CHECK(at != std::string::npos);
  return at;
}

}  // namespace

TEST_CASE("apply deploys a three-group job, re-applies as a no-op, rolls one at a time, holds the lock; state rebuild; prune",
          "[integration]") {
  TestFleet& f = fleet();
  write_shop(f, "1");
  ShellResult first = run_skiff(f, "apply -auto-approve -no-color apply-jobs");
  INFO(first.output);
  REQUIRE(first.status == 0);
  CHECK_THAT(first.output, Catch::Contains("Apply complete! 4 started, 0 updated in place, 0 stopped ("));
  nlohmann::json state = state_json(f);
  CHECK(running_allocations(state, "shop") == 4);
  CHECK(state["jobs"]["shop"]["versions"].size() == 1);

  ShellResult again = run_skiff(f, "apply -auto-approve -no-color apply-jobs");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK_THAT(again.output, !Catch::Contains("shop"));
  CHECK_THAT(again.output, Catch::Contains("No changes."));

  // A destructive change rolls api one allocation at a time: each wave
  // stops its old copy, starts the new one and waits for it to be healthy.
  write_shop(f, "2");
  ShellResult rolled = run_skiff(f, "apply -auto-approve -no-color apply-jobs");
  INFO(rolled.output);
  REQUIRE(rolled.status == 0);
  CHECK_THAT(rolled.output, Catch::Contains("Apply complete! 4 started, 0 updated in place, 4 stopped ("));
  const size_t stop0 = position(rolled.output, "Stopping shop.api[0] (");
  const size_t start0 = position(rolled.output, "Starting shop.api[0] (");
  const size_t wait1 = position(rolled.output, "Waiting for 3 allocation(s) of wave 1");
  const size_t stop1 = position(rolled.output, "Stopping shop.api[1] (");
  const size_t wait2 = position(rolled.output, "Waiting for 1 allocation(s) of wave 2");
  CHECK(stop0 < start0);
  CHECK(start0 < wait1);
  CHECK(wait1 < stop1);
  CHECK(stop1 < wait2);
  state = state_json(f);
  CHECK(running_allocations(state, "shop") == 4);
  CHECK(state["jobs"]["shop"]["versions"].size() == 2);
  ShellResult history = run_skiff(f, "job history -p shop");
  INFO(history.output);
  CHECK_THAT(history.output, Catch::Contains("~ group.api.task.t.env.VERSION: \"1\" => \"2\" (forces create/destroy update)"));
  ShellResult deployments = run_skiff(f, "deployment status shop");
  INFO(deployments.output);
  CHECK_THAT(deployments.output, Catch::StartsWith("ID          = "));
  CHECK_THAT(deployments.output, Catch::Contains("Job Version = 1\nStatus      = successful"));
  CHECK(std::regex_search(run_skiff(f, "status").output, std::regex("shop +service +1 +4/4 +successful")));

  // While one apply holds the lock (waiting 4 s for health), a second
  // fails at once and says who holds it.
  write_shop(f, "3", "4s");
  const std::string background = "cd " + skiff::drivers::shell_quote(f.dir()) + " && " + SKIFF_BINARY +
      " apply -auto-approve -no-color apply-jobs > apply-bg.log 2>&1 &";
  sh(background);
  std::this_thread::sleep_for(1500ms);
  ShellResult second = run_skiff(f, "apply -auto-approve -no-color apply-jobs");
  INFO(second.output);
  CHECK(second.status == 1);
  CHECK_THAT(second.output, Catch::Contains("state is locked by"));
  CHECK_THAT(second.output, Catch::Contains("skiff state unlock"));
  ShellResult waited = run_skiff(f, "apply -auto-approve -no-color -lock-timeout 60s apply-jobs");
  INFO(waited.output);
  CHECK(waited.status == 0);
  CHECK_THAT(sh("cat " + skiff::drivers::shell_quote(f.dir() + "/apply-bg.log")).output, Catch::Contains("Apply complete!"));

  // The state file lost: the rebuilt state has a new lineage, so the
  // allocations are another state's until -adopt-foreign takes them back.
  std::filesystem::remove(f.dir() + "/.skiff/state.json");
  std::filesystem::remove(f.dir() + "/.skiff/state.json.backup");
  ShellResult rebuilt = run_skiff(f, "state rebuild");
  INFO(rebuilt.output);
  CHECK(rebuilt.status == 0);
  CHECK(running_allocations(state_json(f), "shop") == 0);
  CHECK_THAT(rebuilt.output, Catch::Contains("of other states left alone"));
  ShellResult adopted = run_skiff(f, "state rebuild -adopt-foreign");
  INFO(adopted.output);
  CHECK(adopted.status == 0);
  CHECK(running_allocations(state_json(f), "shop") == 4);

  // No job files left and -prune: every allocation of the job stops.
  ShellResult pruned = prune_folder(f, "apply-jobs");
  INFO(pruned.output);
  CHECK(pruned.status == 0);
  CHECK(running_allocations(state_json(f), "shop") == 0);
}
