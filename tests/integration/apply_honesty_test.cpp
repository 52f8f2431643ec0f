// apply says what it could not do, on the fleet's hosts through the built
// binary: allocations that fit nowhere fail the apply (after the rest is
// done) with the plan's reasons; hosts that cannot be reached are named so;
// a failed deployment is shown by plan, which promises nothing it will not
// do, and `apply -retry-failed` rolls its version out again. SIGINT during
// apply cancels the deployment and frees the lock; a second one stops at
// once, saying the state may lag.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>

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
using skiff::testing::write_fleet_file;

namespace {

std::string looping_job(const std::string& name, const std::string& resources) {
  return "job \"" + name + "\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"raw_exec\"\n      config {\n" +
      "        command = \"/bin/sh\"\n        args    = [\"-c\", \"while :; do sleep 1; done\"]\n      }\n" + resources +
      "    }\n  }\n}\n";
}

// The last non-empty line of `text`.
std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

}  // namespace

TEST_CASE("apply places what fits, then fails naming what could not be placed, as plan does; -json ends with apply_errored",
          "[integration]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "unplaced-jobs/small.nomad.hcl", looping_job("small", ""));
  write_fleet_file(f, "unplaced-jobs/huge.nomad.hcl",
                   looping_job("huge", "      resources {\n        memory = 99999999\n      }\n"));
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color unplaced-jobs");
  INFO(applied.output);
  CHECK(applied.status == 1);
  CHECK(running_allocations(state_json(f), "small") == 1);
  CHECK_THAT(applied.output, Catch::Contains("Placement failures:"));
  CHECK_THAT(applied.output, Catch::Contains("* Dimension \"memory\" exhausted on "));
  CHECK_THAT(applied.output, Catch::Contains("Apply failed:\n  job \"huge\" group \"g\": 1 unplaced: Dimension \"memory\""));
  CHECK_THAT(applied.output, Catch::Contains("stays unplaced until a host can take it"));

  // Nothing left to change, but the same failure: still an error.
  ShellResult again = run_skiff(f, "apply -auto-approve -json unplaced-jobs", false);
  INFO(again.output);
  CHECK(again.status == 1);
  nlohmann::json last = nlohmann::json::parse(last_line(again.output));
  CHECK(last["type"] == "apply_errored");
  REQUIRE(last["errors"].size() == 1);
  CHECK_THAT(last["errors"][0].get<std::string>(), Catch::StartsWith("job \"huge\" group \"g\": 1 unplaced: "));

  std::filesystem::remove(f.dir() + "/unplaced-jobs/huge.nomad.hcl");
  CHECK(prune_folder(f, "unplaced-jobs").status == 0);
  CHECK(running_allocations(state_json(f), "small") == 0);
}

TEST_CASE("a placement that fails because no host answers says the hosts are unreachable", "[integration]") {
  TestFleet& f = fleet();
  // A project of its own: three hosts whose SSH port refuses connections.
  const std::string dir = f.dir() + "/unreachable-project";
  std::string inventory;
  for (int port : {1, 2, 3})
    inventory += "host \"u" + std::to_string(port) + "\" {\n  address = \"127.0.0.1\"\n  port = " + std::to_string(port) +
        "\n  user = \"root\"\n}\n";
  skiff::testing::write_test_file(dir + "/inventory.hcl", inventory);
  // Within down_after they are unreachable, not yet down.
  skiff::testing::write_test_file(dir + "/skiff.hcl", "inventory = \"inventory.hcl\"\n\nfleet {\n  down_after = \"1h\"\n}\n");
  skiff::testing::write_test_file(dir + "/jobs/small.nomad.hcl", looping_job("small", ""));
  ShellResult applied =
      sh("cd " + skiff::drivers::shell_quote(dir) + " && " + SKIFF_BINARY + " apply -auto-approve -no-color jobs 2>&1");
  INFO(applied.output);
  CHECK(applied.status == 1);
  CHECK_THAT(applied.output, Catch::Contains("3 hosts unreachable"));
  CHECK_THAT(applied.output, !Catch::Contains("ineligible or draining"));
  // Past down_after, down.
  skiff::testing::write_test_file(dir + "/skiff.hcl", "inventory = \"inventory.hcl\"\n");
  ShellResult later = sh("cd " + skiff::drivers::shell_quote(dir) + " && " + SKIFF_BINARY + " plan -no-color jobs 2>&1");
  INFO(later.output);
  CHECK_THAT(later.output, Catch::Contains("* 3 hosts down"));
  std::filesystem::remove_all(dir);
}

namespace {

// Runs when the flag file exists, else exits 3 at once.
std::string flaky_job(const std::string& flag) {
  return R"(job "flaky" {
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }
    update {
      min_healthy_time = "1s"
      healthy_deadline = "10s"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "if [ -f )" +
      flag + R"( ]; then while :; do sleep 1; done; else exit 3; fi"]
      }
    }
  }
})";
}

}  // namespace

TEST_CASE(
    "after a failed deployment plan shows it and its unhealthy allocations, not No changes; apply -retry-failed runs it "
    "again",
    "[integration]") {
  TestFleet& f = fleet();
  const std::string flag = f.dir() + "/flaky-ok";
  std::filesystem::remove(flag);
  write_fleet_file(f, "flaky-jobs/flaky.nomad.hcl", flaky_job(flag));
  ShellResult failed = run_skiff(f, "apply -auto-approve -no-color flaky-jobs");
  INFO(failed.output);
  CHECK(failed.status == 1);
  CHECK_THAT(failed.output, Catch::Contains("its deployment is marked failed"));
  CHECK_THAT(failed.output, !Catch::Contains("converges"));

  ShellResult planned = run_skiff(f, "plan -no-color flaky-jobs");
  INFO(planned.output);
  CHECK(planned.status == 0);
  CHECK_THAT(planned.output, !Catch::Contains("No changes"));
  CHECK_THAT(planned.output, Catch::Contains("Failed deployments (apply leaves them as they are):"));
  CHECK(std::regex_search(planned.output, std::regex("\\* flaky\\.g\\[0\\] \\([0-9a-f]{8}\\) on h[0-9]+: failed")));
  CHECK_THAT(planned.output, Catch::Contains("`skiff apply -retry-failed` rolls the same version out again."));
  CHECK_THAT(run_skiff(f, "plan -json flaky-jobs").output, Catch::Contains("\"failed_deployments\": ["));
  ShellResult status = run_skiff(f, "deployment status -json flaky");
  nlohmann::json deployments = nlohmann::json::parse(status.output);
  CHECK(deployments[0]["status"] == "failed");
  CHECK(deployments[0]["groups"]["g"]["unhealthy"] == 1);

  // Re-running apply does nothing more; -retry-failed places it again.
  skiff::testing::write_test_file(flag, "");
  CHECK(run_skiff(f, "apply -auto-approve -no-color flaky-jobs").output.find("Starting") == std::string::npos);
  ShellResult retried = run_skiff(f, "apply -auto-approve -no-color -retry-failed flaky-jobs");
  INFO(retried.output);
  CHECK(retried.status == 0);
  CHECK(running_allocations(state_json(f), "flaky") == 1);
  CHECK_THAT(run_skiff(f, "plan -no-color flaky-jobs").output, Catch::Contains("No changes."));
  std::filesystem::remove(flag);
  CHECK(prune_folder(f, "flaky-jobs").status == 0);
}

TEST_CASE("SIGINT while apply waits for health: the deployment is cancelled, the state records what ran, the lock is freed",
          "[integration]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "slow-jobs/slow.nomad.hcl", R"(job "slow" {
  group "g" {
    update {
      min_healthy_time = "60s"
      healthy_deadline = "120s"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "while :; do sleep 1; done"]
      }
    }
  }
})");
  // In the background, as a user's terminal would run it; SIGINT once it waits.
  const std::string dir = skiff::drivers::shell_quote(f.dir());
  ShellResult run = sh("cd " + dir + " && { " + SKIFF_BINARY +
                       " apply -auto-approve -no-color slow-jobs > slow.out 2>&1 & p=$!; i=0; "
                       "until grep -q 'to be healthy' slow.out || [ $i -gt 600 ]; do i=$((i+1)); sleep 0.1; done; "
                       "kill -INT $p; wait $p; echo exit=$?; cat slow.out; }");
  INFO(run.output);
  CHECK_THAT(run.output, Catch::StartsWith("exit=130\n"));
  CHECK_THAT(run.output, Catch::Contains("Apply interrupted by SIGINT, interrupted before wave 0 was healthy: 1 started"));
  nlohmann::json state = state_json(f);
  CHECK(running_allocations(state, "slow") == 1);
  int cancelled = 0;
  for (const auto& d : state["deployments"])
    if (d["job"] == "slow" && d["status"] == "cancelled") ++cancelled;
  CHECK(cancelled == 1);
  // The lock is free: the clean-up takes it at once.
  CHECK(prune_folder(f, "slow-jobs").status == 0);
}

TEST_CASE("a second SIGINT stops at once, saying the state may lag; the lock is free and the next command converges",
          "[integration]") {
  TestFleet& f = fleet();
  // A task that ignores SIGTERM: stopping it takes its kill_timeout.
  write_fleet_file(f, "stubborn-jobs/stubborn.nomad.hcl", R"(job "stubborn" {
  group "g" {
    update {
      min_healthy_time = "1s"
    }
    task "t" {
      driver       = "raw_exec"
      kill_timeout = "12s"
      config {
        command = "/bin/sh"
        args    = ["-c", "trap '' TERM; while :; do sleep 1; done"]
      }
    }
  }
})");
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color stubborn-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);

  const std::string dir = skiff::drivers::shell_quote(f.dir());
  const auto started = std::chrono::steady_clock::now();
  ShellResult run = sh("cd " + dir + " && { " + SKIFF_BINARY +
                       " job stop -auto-approve -no-color stubborn > stubborn.out 2>&1 & p=$!; i=0; "
                       "until grep -q '^Stopping ' stubborn.out || [ $i -gt 600 ]; do i=$((i+1)); sleep 0.1; done; "
                       "sleep 0.5; kill -INT $p; sleep 0.5; kill -INT $p; wait $p; echo exit=$?; cat stubborn.out; }");
  const auto took = std::chrono::steady_clock::now() - started;
  INFO(run.output);
  CHECK_THAT(run.output, Catch::StartsWith("exit=130\n"));
  CHECK_THAT(run.output, Catch::Contains("skiff: interrupted: finishing the step in flight"));
  CHECK_THAT(run.output,
             Catch::Contains("skiff: interrupted again: stopping at once; the state may lag behind the hosts (the next apply "
                             "converges)"));
  // At once: not after the task's 12 s kill_timeout.
  CHECK(took < std::chrono::seconds(10));

  // The lock went with the process; the next stop finishes the job.
  ShellResult again = run_skiff(f, "job stop -purge -auto-approve -no-color stubborn");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK(running_allocations(state_json(f), "stubborn") == 0);
  CHECK(prune_folder(f, "stubborn-jobs").status == 0);
}
