// skiff debug run-task and skiff alloc status|logs|restart|signal|stop
// through the built binary, in the fleet's directory (its skiff.hcl names
// the inventory and known_hosts). Runs on host 1 (healthy). Then the same
// commands on an applied job: what they do lands in the state.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "drivers/shell_quote.hpp"
#include "integration/apply_support.hpp"
#include "integration/fleet_fixture.hpp"

using skiff::testing::fleet;
using skiff::testing::run_skiff;
using skiff::testing::sh;
using skiff::testing::ShellResult;
using skiff::testing::TestFleet;
using namespace std::chrono_literals;

TEST_CASE("debug run-task starts a job's group; alloc status, logs, restart, signal and stop find it by id prefix",
          "[integration]") {
  TestFleet& f = fleet();
  std::ofstream(f.dir() + "/ticker.nomad.hcl") << R"(
job "ticker" {
  group "g" {
    network {
      port "http" {}
    }
    task "tick" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "trap 'echo got HUP' HUP; echo port $NOMAD_PORT_http on ${node.unique.name}; while :; do sleep 0.2; done"]
      }
    }
  }
}
)";
  const std::string host = f.hosts()[1].name;
  ShellResult started = run_skiff(f, "debug run-task -host " + host + " ticker.nomad.hcl");
  INFO(started.output);
  REQUIRE(started.status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(started.output, m, std::regex("Allocation ([0-9a-f-]{36}) \\(ticker\\.g\\[0\\]\\) on " + host)));
  const std::string id = m[1];
  CHECK_THAT(started.output, Catch::Contains("Task \"tick\": running"));
  const std::string prefix = id.substr(0, 8);

  ShellResult status = run_skiff(f, "alloc status " + prefix);
  INFO(status.output);
  CHECK(status.status == 0);
  CHECK_THAT(status.output, Catch::Contains("ID          = " + id + "\n"));
  CHECK_THAT(status.output, Catch::Contains("Host        = " + host + " (" + f.hosts()[1].address + ")\n"));
  CHECK_THAT(status.output, Catch::Contains("State     = running\n"));

  std::this_thread::sleep_for(300ms);
  ShellResult logs = run_skiff(f, "alloc logs -n 5 " + prefix);
  CHECK(logs.status == 0);
  CHECK(std::regex_search(logs.output, std::regex("^port [0-9]{5} on " + host + "\n$")));

  ShellResult signalled = run_skiff(f, "alloc signal " + prefix + " SIGHUP");
  CHECK(signalled.output == "Task \"tick\": sent SIGHUP\n");
  std::this_thread::sleep_for(500ms);
  CHECK_THAT(run_skiff(f, "alloc logs " + prefix).output, Catch::Contains("got HUP\n"));

  ShellResult restarted = run_skiff(f, "alloc restart " + prefix);
  CHECK(restarted.output == "Task \"tick\": running\n");
  CHECK_THAT(run_skiff(f, "alloc status -json " + prefix).output, Catch::Contains("\"restarts\": 1"));

  ShellResult stopped = run_skiff(f, "alloc stop " + prefix);
  CHECK(stopped.output == "Task \"tick\": dead\n");
  CHECK_THAT(run_skiff(f, "alloc status " + prefix).output, Catch::Contains("Reason    = stopped\n"));

  ShellResult purged = run_skiff(f, "alloc stop -purge " + prefix);
  CHECK(purged.output == "Task \"tick\": dead\nPurged " + id + " from " + host + "\n");
  CHECK(run_skiff(f, "alloc status " + prefix).status == 1);

  ShellResult missing = run_skiff(f, "alloc status 00000000-dead");
  CHECK(missing.status == 1);
  CHECK_THAT(missing.output, Catch::Contains("no allocation with id \"00000000-dead\" on the reachable hosts"));
}

namespace {

// Every line of `text` is a number one above the line before it.
bool consecutive_numbers(const std::string& text, int* count) {
  std::istringstream in(text);
  std::string line;
  long previous = -1;
  *count = 0;
  while (std::getline(in, line)) {
    long n = std::stol(line);
    if (previous >= 0 && n != previous + 1) return false;
    previous = n;
    ++*count;
  }
  return true;
}

}  // namespace

TEST_CASE("alloc logs -f follows a raw_exec log and a container's log, each line once", "[integration][containers]") {
  TestFleet& f = fleet();
  std::ofstream(f.dir() + "/counter.nomad.hcl") << R"(
job "counter" {
  group "g" {
    task "file" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done"]
      }
    }
    task "box" {
      driver = "docker"
      config {
        image   = "localhost/skiff-busybox:latest"
        command = "sh"
        args    = ["-c", "i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done"]
      }
    }
  }
}
)";
  ShellResult started = run_skiff(f, "debug run-task -host " + f.hosts()[1].name + " counter.nomad.hcl");
  INFO(started.output);
  REQUIRE(started.status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(started.output, m, std::regex("Allocation ([0-9a-f]{8})")));
  const std::string prefix = m[1];
  std::this_thread::sleep_for(500ms);
  for (const std::string task : {"file", "box"}) {
    ShellResult followed = sh("cd " + skiff::drivers::shell_quote(f.dir()) + " && timeout 3 " + SKIFF_BINARY +
                              " alloc logs -f -n 3 -task " + task + " " + prefix + " 2>/dev/null");
    INFO(task << ":\n" << followed.output);
    int lines = 0;
    CHECK(consecutive_numbers(followed.output, &lines));
    // 3 at first, then about 20 a second for 3 s.
    CHECK(lines > 20);
  }
  CHECK(run_skiff(f, "alloc stop -purge " + prefix).status == 0);
}

namespace {

std::string user_job(const std::string& version) {
  return R"(job "sl" {
  group "g" {
    update {
      min_healthy_time = "1s"
      healthy_deadline = "20s"
    }
    task "t" {
      driver = "raw_exec"
      env {
        V = ")" +
      version + R"("
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "trap 'echo got HUP' HUP; while :; do sleep 0.2; done"]
      }
    }
  }
})";
}

// The state's record of allocation `id`.
nlohmann::json record_of(const TestFleet& f, const std::string& id) {
  const nlohmann::json state = skiff::testing::state_json(f);
  for (const auto& a : state["allocations"])
    if (a["id"] == id) return a;
  return nullptr;
}

// The id of job sl's running allocation, per the state.
std::string running_sl(const TestFleet& f) {
  const nlohmann::json state = skiff::testing::state_json(f);
  for (const auto& a : state["allocations"])
    if (a["job"] == "sl" && a["status"] == "running") return a["id"];
  return "";
}

}  // namespace

TEST_CASE(
    "alloc stop, restart and signal record what they did in the state; the next plan replaces a stopped allocation; "
    "job stop -purge removes stopped ones too",
    "[integration]") {
  TestFleet& f = fleet();
  skiff::testing::write_fleet_file(f, "user-jobs/sl.nomad.hcl", user_job("1"));
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color user-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const std::string first = running_sl(f);
  REQUIRE(!first.empty());

  ShellResult signalled = run_skiff(f, "alloc signal " + first.substr(0, 8) + " HUP");
  CHECK(signalled.status == 0);
  CHECK(record_of(f, first)["status"] == "running");
  CHECK(record_of(f, first)["status_reason"] == "sent SIGHUP by user");

  ShellResult stopped = run_skiff(f, "alloc stop " + first.substr(0, 8));
  INFO(stopped.output);
  CHECK(stopped.status == 0);
  CHECK(record_of(f, first)["status"] == "complete");
  CHECK(record_of(f, first)["status_reason"] == "stopped by user");
  CHECK_THAT(run_skiff(f, "job status sl").output, Catch::Contains("complete (stopped by user)"));

  // Plan and apply agree: one place, replacing the stopped copy.
  ShellResult planned = run_skiff(f, "plan -no-color user-jobs");
  INFO(planned.output);
  CHECK(planned.status == 0);
  CHECK_THAT(planned.output, Catch::Contains("+ sl.g[0]"));
  CHECK_THAT(planned.output, Catch::Contains("(replaces " + first.substr(0, 8) + "…, stopped by user)"));
  CHECK_THAT(planned.output, Catch::Contains("Plan: 1 to place, 0 to update in place, 0 to replace, 0 to stop, 0 to migrate."));
  ShellResult replaced = run_skiff(f, "apply -auto-approve -no-color user-jobs");
  INFO(replaced.output);
  CHECK(replaced.status == 0);
  CHECK_THAT(replaced.output, Catch::Contains("Apply complete! 1 started, 0 updated in place, 0 stopped"));
  const std::string second = running_sl(f);
  REQUIRE(!second.empty());
  CHECK(second != first);
  CHECK_THAT(run_skiff(f, "plan -no-color user-jobs").output, Catch::Contains("No changes."));

  CHECK(run_skiff(f, "alloc restart " + second.substr(0, 8)).status == 0);
  CHECK(record_of(f, second)["status"] == "running");
  CHECK(record_of(f, second)["status_reason"] == "restarted by user");

  // Stopped by hand and left on its host, it still leaves with the job.
  CHECK(run_skiff(f, "alloc stop " + second.substr(0, 8)).status == 0);
  ShellResult purged = run_skiff(f, "job stop -purge -auto-approve -no-color sl");
  INFO(purged.output);
  CHECK(purged.status == 0);
  const nlohmann::json state = skiff::testing::state_json(f);
  for (const auto& a : state["allocations"]) CHECK(a["job"] != "sl");
  CHECK(run_skiff(f, "alloc status " + second.substr(0, 8)).status == 1);
  std::filesystem::remove_all(f.dir() + "/user-jobs");
}
