// Rollouts beyond a plain rolling update, through the built binary on the
// fleet: canaries then `deployment promote`, auto_promote, `deployment fail`
// with auto_revert, `job stop` (and -purge), and `apply -json` lines.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "integration/apply_support.hpp"

using skiff::testing::fleet;
using skiff::testing::prune_folder;
using skiff::testing::run_skiff;
using skiff::testing::running_allocations;
using skiff::testing::ShellResult;
using skiff::testing::state_json;
using skiff::testing::TestFleet;
using skiff::testing::write_fleet_file;

namespace {

std::string canary_job(const std::string& version, bool auto_promote) {
  return R"(job "can" {
  group "web" {
    count = 3
    update {
      canary           = 1
      max_parallel     = 1
      min_healthy_time = "1s"
      healthy_deadline = "20s"
      auto_revert      = true
      auto_promote     = )" +
      std::string(auto_promote ? "true" : "false") + R"(
    }
    task "t" {
      driver = "raw_exec"
      env {
        V = ")" +
      version + R"("
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "while :; do sleep 1; done"]
      }
    }
  }
})";
}

// The running allocations of job "can": id -> job version.
std::map<std::string, int> running(const nlohmann::json& state) {
  std::map<std::string, int> out;
  for (const auto& a : state["allocations"])
    if (a["job"] == "can" && a["status"] == "running") out[a["id"]] = a["job_version"];
  return out;
}

// The newest deployment of job "can".
nlohmann::json latest_deployment(const nlohmann::json& state) {
  nlohmann::json latest;
  for (const auto& d : state["deployments"])
    if (d["job"] == "can" && (latest.is_null() || d["created_unix"] >= latest["created_unix"])) latest = d;
  return latest;
}

}  // namespace

TEST_CASE("canaries wait for promotion; auto_promote; deployment fail reverts; job stop and -purge; apply -json",
          "[integration][rollout]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "can-jobs/can.nomad.hcl", canary_job("1", false));
  REQUIRE(run_skiff(f, "apply -auto-approve -no-color can-jobs").status == 0);
  REQUIRE(running(state_json(f)).size() == 3);

  // A destructive change: one canary beside the three old copies.
  write_fleet_file(f, "can-jobs/can.nomad.hcl", canary_job("2", false));
  ShellResult canary = run_skiff(f, "apply -auto-approve -no-color can-jobs");
  INFO(canary.output);
  REQUIRE(canary.status == 0);
  CHECK_THAT(canary.output, Catch::Contains("(1 canary, 3 ignore)"));
  CHECK_THAT(canary.output, Catch::Contains("waits for promotion"));
  nlohmann::json state = state_json(f);
  std::map<std::string, int> now = running(state);
  CHECK(now.size() == 4);
  std::string canary_id;
  for (const auto& [id, version] : now)
    if (version == 1) canary_id = id;
  REQUIRE_FALSE(canary_id.empty());
  nlohmann::json d = latest_deployment(state);
  CHECK(d["status"] == "running");
  CHECK(d["description"] == "Deployment is running but requires manual promotion");
  CHECK(d["groups"]["web"]["canaries"] == nlohmann::json::array({canary_id}));
  CHECK(state["jobs"]["can"]["versions"][1]["stable"] == false);

  // Waiting: a re-apply changes nothing.
  ShellResult waiting = run_skiff(f, "apply -auto-approve -no-color can-jobs");
  INFO(waiting.output);
  CHECK(waiting.status == 0);
  CHECK(running(state_json(f)).size() == 4);

  // Promote: the old copy at the canary's index stops, the others roll.
  ShellResult promoted = run_skiff(f, "deployment promote can -no-color");
  INFO(promoted.output);
  REQUIRE(promoted.status == 0);
  state = state_json(f);
  now = running(state);
  CHECK(now.size() == 3);
  CHECK(now.count(canary_id) == 1);
  for (const auto& [id, version] : now) CHECK(version == 1);
  CHECK(latest_deployment(state)["status"] == "successful");
  CHECK(latest_deployment(state)["groups"]["web"]["promoted"] == true);
  CHECK(state["jobs"]["can"]["versions"][1]["stable"] == true);
  CHECK(run_skiff(f, "deployment promote can").status == 1);  // nothing waits

  // auto_promote: canary, then the rest, in one apply, with -json lines.
  write_fleet_file(f, "can-jobs/can.nomad.hcl", canary_job("3", true));
  ShellResult automatic = run_skiff(f, "apply -auto-approve -json can-jobs", false);
  INFO(automatic.output);
  REQUIRE(automatic.status == 0);
  std::istringstream lines(automatic.output);
  std::map<std::string, int> types;
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    CHECK(j.contains("@timestamp"));
    ++types[j["type"]];
    if (j["type"] == "starting") CHECK(j["host"].is_string());
  }
  CHECK(types["planned_changes"] == 2);  // the canary round, then the rest
  CHECK(types["auto_promote"] == 1);
  CHECK(types["starting"] == 3);
  CHECK(types["stopping"] == 3);
  CHECK(types["apply_complete"] == 2);
  now = running(state_json(f));
  CHECK(now.size() == 3);
  for (const auto& [id, version] : now) CHECK(version == 2);

  // deployment fail: auto_revert goes back to version 2's spec; the canary stops.
  write_fleet_file(f, "can-jobs/can.nomad.hcl", canary_job("4", false));
  REQUIRE(run_skiff(f, "apply -auto-approve -no-color can-jobs").status == 0);
  CHECK(running(state_json(f)).size() == 4);
  ShellResult failed = run_skiff(f, "deployment fail can -no-color");
  INFO(failed.output);
  CHECK(failed.status == 0);
  CHECK_THAT(failed.output, Catch::Contains("auto_revert: rolling job \"can\" back to its last stable version, 2"));
  state = state_json(f);
  now = running(state);
  CHECK(now.size() == 3);
  for (const auto& [id, version] : now) CHECK(version == 4);  // version 4 is version 2 again: updated in place
  CHECK(state["jobs"]["can"]["versions"].back()["version"] == 4);

  // job stop: nothing runs, and apply leaves it stopped until the file
  // changes. The file first says what runs now (version 2's spec).
  write_fleet_file(f, "can-jobs/can.nomad.hcl", canary_job("3", true));
  ShellResult same = run_skiff(f, "apply -auto-approve -no-color can-jobs");
  INFO(same.output);
  CHECK_THAT(same.output, Catch::Contains("No changes."));
  ShellResult stopped = run_skiff(f, "job stop can -auto-approve -no-color");
  INFO(stopped.output);
  REQUIRE(stopped.status == 0);
  CHECK(running(state_json(f)).empty());
  CHECK(state_json(f)["jobs"]["can"]["versions"].back()["stopped"] == true);
  ShellResult still = run_skiff(f, "apply -auto-approve -no-color can-jobs");
  INFO(still.output);
  CHECK(still.status == 0);
  CHECK(running(state_json(f)).empty());
  // -purge forgets it; the next apply starts it as a new job.
  REQUIRE(run_skiff(f, "job stop can -purge -auto-approve -no-color").status == 0);
  CHECK_FALSE(state_json(f)["jobs"].contains("can"));
  REQUIRE(run_skiff(f, "apply -auto-approve -no-color can-jobs").status == 0);
  CHECK(running(state_json(f)).size() == 3);
  CHECK(prune_folder(f, "can-jobs").status == 0);
}

namespace {

// Moves a periodic job's clock back: its last launch (or first apply) was
// `seconds` ago, as if that much time had passed since.
void age_periodic_job(const TestFleet& f, const std::string& job, int64_t seconds) {
  const std::string path = f.dir() + "/.skiff/state.json";
  nlohmann::json state = nlohmann::json::parse(std::ifstream(path));
  nlohmann::json& record = state["jobs"][job];
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  record["last_periodic_launch_unix"] = record["last_periodic_launch_unix"].get<int64_t>() == 0 ? 0 : now - seconds;
  for (auto& v : record["versions"]) v["applied_unix"] = now - seconds;
  std::ofstream(path) << state.dump(2);
}

int live_allocations(const nlohmann::json& state, const std::string& job) {
  int n = 0;
  for (const auto& a : state["allocations"]) n += a["job"] == job && (a["status"] == "running" || a["status"] == "pending");
  return n;
}

}  // namespace

TEST_CASE("a periodic job: apply records it, launches a run once a cron time has passed, prohibit_overlap waits",
          "[integration][rollout]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "tick-jobs/tick.nomad.hcl", R"(job "tick" {
  type = "batch"
  periodic {
    crons            = ["* * * * *"]
    prohibit_overlap = true
  }
  group "g" {
    count = 2
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "sleep 600"]
      }
    }
  }
})");
  ShellResult recorded = run_skiff(f, "apply -auto-approve -no-color tick-jobs");
  INFO(recorded.output);
  REQUIRE(recorded.status == 0);
  CHECK(live_allocations(state_json(f), "tick") == 0);

  age_periodic_job(f, "tick", 150);  // two cron times passed: one run
  ShellResult launched = run_skiff(f, "apply -auto-approve -no-color tick-jobs");
  INFO(launched.output);
  REQUIRE(launched.status == 0);
  CHECK_THAT(launched.output, Catch::Contains("periodic: launches the run due at"));
  nlohmann::json state = state_json(f);
  CHECK(live_allocations(state, "tick") == 2);
  CHECK(state["jobs"]["tick"]["last_periodic_launch_unix"].get<int64_t>() > 0);

  age_periodic_job(f, "tick", 90);  // due again, but the run still runs
  ShellResult waits = run_skiff(f, "apply -auto-approve -no-color tick-jobs");
  INFO(waits.output);
  CHECK(waits.status == 0);
  CHECK_THAT(waits.output, Catch::Contains("waits: the last run still runs (prohibit_overlap)"));
  CHECK(live_allocations(state_json(f), "tick") == 2);
  CHECK(prune_folder(f, "tick-jobs").status == 0);
}
