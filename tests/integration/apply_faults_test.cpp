// skiff apply when things go wrong, on the fleet's real hosts: skiff killed
// midway, a state file that cannot be read, a host that crashes, and a
// draining host.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "drivers/shell_quote.hpp"
#include "integration/apply_support.hpp"

using namespace skiff::testing;
using namespace std::chrono_literals;

namespace {

std::string service(const std::string& name, int count, const std::string& min_healthy, const std::string& extra = "") {
  return "job \"" + name + "\" {\n  group \"web\" {\n    count = " + std::to_string(count) + "\n" + extra +
      "    update {\n      min_healthy_time = \"" + min_healthy +
      "\"\n      healthy_deadline = \"30s\"\n    }\n"
      "    task \"t\" {\n      driver = \"raw_exec\"\n      config {\n        command = \"/bin/sh\"\n"
      "        args    = [\"-c\", \"while :; do sleep 1; done\"]\n      }\n    }\n  }\n}\n";
}

// Allocations of `job` the hosts report, by the plan's own count of them.
int observed_allocations(const TestFleet& f, const std::string& folder, const std::string& job) {
  nlohmann::json plan = nlohmann::json::parse(run_skiff(f, "plan -json " + folder, false).output);
  int n = 0;
  for (const auto& a : plan["actions"])
    if (a["job"] == job && !a["alloc_id"].get<std::string>().empty()) ++n;
  return n;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string host_of(const nlohmann::json& state, const std::string& job, int index) {
  for (const auto& a : state["allocations"])
    if (a["job"] == job && a["index"] == index && a["status"] == "running") return a["host"];
  return "";
}

}  // namespace

TEST_CASE("skiff killed in the middle of an apply: the lock is free and the next apply converges without duplicates",
          "[integration]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "kill-jobs/killed.nomad.hcl", service("killed", 3, "30s"));
  const std::string dir = skiff::drivers::shell_quote(f.dir());
  sh("cd " + dir + " && { " + SKIFF_BINARY + " apply -auto-approve -no-color kill-jobs > kill.log 2>&1 & echo $! > kill.pid; }");
  // Killed while it waits for health, after the starts were recorded.
  for (int i = 0; i < 100 && read_file(f.dir() + "/kill.log").find("Waiting for") == std::string::npos; ++i)
    std::this_thread::sleep_for(100ms);
  REQUIRE_THAT(read_file(f.dir() + "/kill.log"), Catch::Contains("Waiting for"));
  sh("kill -KILL $(cat " + dir + "/kill.pid)");

  ShellResult again = run_skiff(f, "apply -auto-approve -no-color kill-jobs");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK(running_allocations(state_json(f), "killed") == 3);
  CHECK(observed_allocations(f, "kill-jobs", "killed") == 3);
  CHECK(prune_folder(f, "kill-jobs").status == 0);
  CHECK(observed_allocations(f, "kill-jobs", "killed") == 0);
}

TEST_CASE("a truncated state file is refused by name, with its backup, and nothing is touched", "[integration]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "trunc-jobs/trunc.nomad.hcl", service("trunc", 1, "1s"));
  REQUIRE(run_skiff(f, "apply -auto-approve -no-color trunc-jobs").status == 0);
  const std::string path = f.dir() + "/.skiff/state.json";
  const std::string whole = read_file(path);
  std::ofstream(path, std::ios::trunc) << whole.substr(0, whole.size() / 2);
  write_fleet_file(f, "trunc-jobs/trunc.nomad.hcl", service("trunc", 2, "1s"));
  ShellResult refused = run_skiff(f, "apply -auto-approve -no-color trunc-jobs");
  INFO(refused.output);
  CHECK(refused.status == 1);
  CHECK_THAT(refused.output, Catch::Contains(".skiff/state.json cannot be read"));
  CHECK_THAT(refused.output, Catch::Contains("state.json.backup"));
  CHECK_THAT(refused.output, !Catch::Contains("Starting"));
  CHECK(read_file(path) == whole.substr(0, whole.size() / 2));
  std::ofstream(path, std::ios::trunc) << whole;
  CHECK(observed_allocations(f, "trunc-jobs", "trunc") == 1);
  CHECK(prune_folder(f, "trunc-jobs").status == 0);
}

TEST_CASE("a crashed host's allocations are rescheduled onto the others; a draining host is emptied", "[integration]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "crash-jobs/lost.nomad.hcl",
                   service("lost", 2, "1s", "    constraint {\n      distinct_hosts = true\n    }\n"));
  REQUIRE(run_skiff(f, "apply -auto-approve -no-color crash-jobs").status == 0);
  const std::string crashed = host_of(state_json(f), "lost", 0);
  REQUIRE_FALSE(crashed.empty());
  REQUIRE(f.fault("crash", crashed).ok());
  ShellResult rescheduled = run_skiff(f, "apply -auto-approve -no-color crash-jobs");
  REQUIRE(f.fault("restart", crashed).ok());
  INFO(rescheduled.output);
  CHECK(rescheduled.status == 0);
  CHECK_THAT(rescheduled.output, Catch::Contains("warning: host " + crashed + " could not be observed"));
  CHECK_THAT(rescheduled.output, Catch::Contains("lost: host " + crashed + " is down"));
  nlohmann::json state = state_json(f);
  CHECK(running_allocations(state, "lost") == 2);
  const std::string moved_to = host_of(state, "lost", 0);
  CHECK(moved_to != crashed);
  CHECK_FALSE(moved_to.empty());

  // Drain where index 0 runs now: the next apply migrates it away.
  REQUIRE(run_skiff(f, "node drain " + moved_to + " -enable").status == 0);
  ShellResult drained = run_skiff(f, "apply -auto-approve -no-color crash-jobs");
  INFO(drained.output);
  CHECK(drained.status == 0);
  CHECK_THAT(drained.output, Catch::Contains("host " + moved_to + " is draining"));
  state = state_json(f);
  CHECK(running_allocations(state, "lost") == 2);
  CHECK(host_of(state, "lost", 0) != moved_to);
  CHECK(run_skiff(f, "node drain " + moved_to + " -disable").status == 0);
  CHECK(prune_folder(f, "crash-jobs").status == 0);
}

TEST_CASE("apply runs a system job on every host, a batch job to completion, and a container service",
          "[integration][containers]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "mixed-jobs/agent.nomad.hcl", R"(job "agent" {
  type = "system"
  group "a" {
    update {
      min_healthy_time = "1s"
    }
    task "a" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "while :; do sleep 1; done"]
      }
    }
  }
})");
  write_fleet_file(f, "mixed-jobs/report.nomad.hcl", R"(job "report" {
  type = "batch"
  group "r" {
    count = 2
    task "r" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo done"]
      }
    }
  }
})");
  write_fleet_file(f, "mixed-jobs/box.nomad.hcl", R"(job "box" {
  group "b" {
    update {
      min_healthy_time = "1s"
    }
    task "b" {
      driver = "docker"
      config {
        image   = "localhost/skiff-busybox:latest"
        command = "sleep"
        args    = ["100000"]
      }
    }
  }
})");
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color mixed-jobs");
  INFO(applied.output);
  CHECK(applied.status == 0);
  nlohmann::json state = state_json(f);
  CHECK(running_allocations(state, "agent") == static_cast<int>(f.hosts().size()));
  CHECK(running_allocations(state, "box") == 1);
  std::this_thread::sleep_for(1500ms);
  // The batch runs ended well: nothing to do, and they are not started again.
  ShellResult again = run_skiff(f, "plan -no-color -detailed-exitcode mixed-jobs");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK(prune_folder(f, "mixed-jobs").status == 0);
  CHECK(observed_allocations(f, "mixed-jobs", "agent") == 0);
  CHECK(observed_allocations(f, "mixed-jobs", "box") == 0);
}

namespace {

std::string revertible(const std::string& version, const std::string& command) {
  return R"(job "rev" {
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    update {
      min_healthy_time = "1s"
      healthy_deadline = "15s"
      auto_revert      = true
    }
    task "t" {
      driver = "raw_exec"
      env {
        V = ")" +
      version + R"("
      }
      config {
        command = "/bin/sh"
        args    = ["-c", ")" +
      command + R"("]
      }
    }
  }
})";
}

std::string current_env(const TestFleet& f) {
  nlohmann::json versions = nlohmann::json::parse(run_skiff(f, "job history -json rev", false).output);
  return versions.back()["spec"]["groups"][0]["tasks"][0]["env"]["V"];
}

}  // namespace

TEST_CASE("a deployment that fails its health gate is rolled back by auto_revert; job revert runs an old version again",
          "[integration]") {
  TestFleet& f = fleet();
  const std::string loop = "while :; do sleep 1; done";
  write_fleet_file(f, "rev-jobs/rev.nomad.hcl", revertible("1", loop));
  REQUIRE(run_skiff(f, "apply -auto-approve -no-color rev-jobs").status == 0);

  write_fleet_file(f, "rev-jobs/rev.nomad.hcl", revertible("2", "exit 3"));
  ShellResult failed = run_skiff(f, "apply -auto-approve -no-color rev-jobs");
  INFO(failed.output);
  CHECK(failed.status == 1);
  CHECK_THAT(failed.output, Catch::Contains("is unhealthy"));
  CHECK_THAT(failed.output, Catch::Contains("auto_revert: rolling job \"rev\" back to its last stable version, 0"));
  CHECK(current_env(f) == "1");
  nlohmann::json state = state_json(f);
  CHECK(running_allocations(state, "rev") == 1);
  CHECK_THAT(run_skiff(f, "deployment status rev").output, Catch::Contains("Job Version = 1\nStatus      = failed"));

  write_fleet_file(f, "rev-jobs/rev.nomad.hcl", revertible("3", loop));
  REQUIRE(run_skiff(f, "apply -auto-approve -no-color rev-jobs").status == 0);
  CHECK(current_env(f) == "3");
  ShellResult reverted = run_skiff(f, "job revert rev 0 -auto-approve -no-color");
  INFO(reverted.output);
  CHECK(reverted.status == 0);
  CHECK(current_env(f) == "1");
  CHECK(running_allocations(state_json(f), "rev") == 1);
  CHECK(prune_folder(f, "rev-jobs").status == 0);
}
