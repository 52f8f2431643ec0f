// Hosts that go away and come back, on the fleet's real hosts: a crashed
// host's allocations are rescheduled and its stale copies removed when it
// restarts; an unreachable host waits out fleet.down_after; a host
// partitioned in the middle of a rolling apply leaves a failed deployment,
// a truthful state and a fleet that the next apply converges.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "drivers/shell_quote.hpp"
#include "integration/apply_support.hpp"

using namespace skiff::testing;
using namespace std::chrono_literals;

namespace {

// Allocations of `job` the reachable hosts report (the plan's actions that
// name an existing allocation, on any host but `except`): id -> host.
std::map<std::string, std::string> on_hosts(const std::string& dir, const std::string& folder, const std::string& job,
                                            const std::string& except = "") {
  nlohmann::json plan = nlohmann::json::parse(skiff_in(dir, "plan -json " + folder, false).output);
  std::map<std::string, std::string> out;
  for (const auto& a : plan["actions"])
    if (a["job"] == job && !a["alloc_id"].get<std::string>().empty() && a["node"] != except) out[a["alloc_id"]] = a["node"];
  return out;
}

std::string host_of_index(const nlohmann::json& state, const std::string& job, int index) {
  for (const auto& a : state["allocations"])
    if (a["job"] == job && a["index"] == index && a["status"] == "running") return a["host"];
  return "";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Stops every job of the project: applies a placeholder with -prune.
int prune_project(const TestFleet& f, const std::string& folder) {
  write_fleet_file(f, folder + "/empty/placeholder.nomad.hcl",
                   "job \"placeholder\" {\n  type = \"batch\"\n  parameterized {}\n  group \"g\" {\n    task \"t\" {\n"
                   "      driver = \"raw_exec\"\n      config {\n        command = \"true\"\n      }\n    }\n  }\n}\n");
  return skiff_in(f.dir() + "/" + folder, "apply -auto-approve -no-color -prune empty").status;
}

// Puts a host back however a test ended.
struct Restore {
  const TestFleet& f;
  std::string verb, host;
  ~Restore() {
    if (!host.empty()) (void)f.fault(verb, host);
  }
};

}  // namespace

TEST_CASE("a crashed host's allocations are rescheduled; restarted, its stale copies are removed", "[integration][down]") {
  TestFleet& f = fleet();
  const std::string dir = make_project(f, "down-crash", "");
  write_fleet_file(f, "down-crash/jobs/four.nomad.hcl", spread_service("four", 4, "1", kQuickUpdate));
  REQUIRE(skiff_in(dir, "apply -auto-approve -no-color jobs").status == 0);
  const std::string crashed = host_of_index(state_in(dir), "four", 0);
  REQUIRE_FALSE(crashed.empty());

  REQUIRE(f.fault("crash", crashed).ok());
  Restore restore{f, "restart", crashed};
  ShellResult rescheduled = skiff_in(dir, "apply -auto-approve -no-color jobs");
  INFO(rescheduled.output);
  CHECK(rescheduled.status == 0);
  CHECK_THAT(rescheduled.output, Catch::Contains("lost: host " + crashed + " is down"));
  std::map<std::string, std::string> running = running_in_state(state_in(dir), "four");
  CHECK(running.size() == 4);
  for (const auto& [id, host] : running) CHECK(host != crashed);

  REQUIRE(f.fault("restart", crashed).ok());
  restore.host.clear();
  // Back with the old folder on its disk, its processes dead with the crash.
  CHECK(on_hosts(dir, "jobs", "four").size() == 5);
  ShellResult cleaned = skiff_in(dir, "apply -auto-approve -no-color jobs");
  INFO(cleaned.output);
  CHECK(cleaned.status == 0);
  CHECK_THAT(cleaned.output, Catch::Contains("stale copy: index 0 was replaced while host " + crashed + " was down"));
  nlohmann::json state = state_in(dir);
  running = running_in_state(state, "four");
  CHECK(running.size() == 4);
  CHECK(on_hosts(dir, "jobs", "four") == running);
  CHECK(state["hosts"][crashed]["down_since_unix"].is_null());
  CHECK(skiff_in(dir, "plan -no-color -detailed-exitcode jobs").status == 0);
  CHECK(prune_project(f, "down-crash") == 0);
}

TEST_CASE("an unreachable host keeps its allocations until down_after; healed, its stale copy gives way", "[integration][down]") {
  TestFleet& f = fleet();
  const std::string dir = make_project(f, "down-grace", "fleet {\n  down_after = \"1h\"\n}\n");
  write_fleet_file(f, "down-grace/jobs/pair.nomad.hcl", spread_service("pair", 2, "1", kQuickUpdate));
  REQUIRE(skiff_in(dir, "apply -auto-approve -no-color jobs").status == 0);
  const std::string cut = host_of_index(state_in(dir), "pair", 0);
  REQUIRE_FALSE(cut.empty());
  const std::map<std::string, std::string> before = running_in_state(state_in(dir), "pair");

  REQUIRE(f.fault("partition", cut).ok());
  Restore restore{f, "heal", cut};
  ShellResult waiting = skiff_in(dir, "apply -auto-approve -no-color jobs");
  INFO(waiting.output);
  CHECK(waiting.status == 0);
  CHECK_THAT(waiting.output, Catch::Contains("host " + cut + " unreachable; down after 1h0m0s"));
  CHECK_THAT(waiting.output, Catch::Contains("No changes"));
  nlohmann::json state = state_in(dir);
  CHECK(running_in_state(state, "pair") == before);
  REQUIRE(state["hosts"][cut]["down_since_unix"].is_number());

  // A shorter grace, already passed since the host was first unreachable.
  make_project(f, "down-grace", "fleet {\n  down_after = \"1s\"\n}\n");
  std::this_thread::sleep_for(1500ms);
  ShellResult lost = skiff_in(dir, "apply -auto-approve -no-color jobs");
  INFO(lost.output);
  CHECK(lost.status == 0);
  CHECK_THAT(lost.output, Catch::Contains("lost: host " + cut + " is down"));
  state = state_in(dir);
  CHECK(running_in_state(state, "pair").size() == 2);

  // Healed: the old copy never stopped (a partition kills nothing). It goes.
  REQUIRE(f.fault("heal", cut).ok());
  restore.host.clear();
  CHECK(on_hosts(dir, "jobs", "pair").size() == 3);
  ShellResult healed = skiff_in(dir, "apply -auto-approve -no-color jobs");
  INFO(healed.output);
  CHECK(healed.status == 0);
  CHECK_THAT(healed.output, Catch::Contains("stale copy: index 0 was replaced while host " + cut + " was down"));
  const std::map<std::string, std::string> after = running_in_state(state_in(dir), "pair");
  CHECK(after.size() == 2);
  CHECK(on_hosts(dir, "jobs", "pair") == after);
  CHECK(prune_project(f, "down-grace") == 0);
}

TEST_CASE("a host partitioned in the middle of a rolling apply: the rest finishes, the state tells the truth",
          "[integration][down]") {
  TestFleet& f = fleet();
  const std::string dir = make_project(f, "down-part", "");
  write_fleet_file(f, "down-part/jobs/roll.nomad.hcl", spread_service("roll", 4, "1", kQuickUpdate));
  REQUIRE(skiff_in(dir, "apply -auto-approve -no-color jobs").status == 0);
  // The last wave replaces index 3: its host is cut once the first wave is healthy.
  const std::string cut = host_of_index(state_in(dir), "roll", 3);
  REQUIRE_FALSE(cut.empty());

  write_fleet_file(f, "down-part/jobs/roll.nomad.hcl",
                   spread_service("roll", 4, "2",
                                  "      max_parallel = 1\n      min_healthy_time = \"2s\"\n      healthy_deadline = \"20s\"\n"));
  const std::string q = skiff::drivers::shell_quote(dir);
  // sh() waits for what it started: the apply runs on a thread of its own.
  std::thread apply([q] {
    sh("cd " + q + " && { timeout 300 " + SKIFF_BINARY +
       " apply -auto-approve -no-color jobs > roll.log 2>&1; echo $? > roll.status; }");
  });
  struct Join {
    std::thread& t;
    ~Join() { t.join(); }
  } join{apply};
  for (int i = 0; i < 300 && read_text(dir + "/roll.log").find("Wave 1: 1 allocation(s) healthy") == std::string::npos; ++i)
    std::this_thread::sleep_for(100ms);
  REQUIRE_THAT(read_text(dir + "/roll.log"), Catch::Contains("Wave 1: 1 allocation(s) healthy"));
  REQUIRE(f.fault("partition", cut).ok());
  Restore restore{f, "heal", cut};
  for (int i = 0; i < 2400 && read_text(dir + "/roll.status").empty(); ++i) std::this_thread::sleep_for(100ms);
  const std::string log = read_text(dir + "/roll.log");
  INFO(log);
  REQUIRE_FALSE(read_text(dir + "/roll.status").empty());
  CHECK(std::stoi(read_text(dir + "/roll.status")) == 1);  // failed, not killed by `timeout` (124)
  CHECK_THAT(log, Catch::Contains("Apply failed"));
  CHECK_THAT(log, Catch::Contains(cut));

  nlohmann::json state = state_in(dir);
  bool failed_deployment = false;
  for (const auto& d : state["deployments"]) failed_deployment |= d["job"] == "roll" && d["status"] == "failed";
  CHECK(failed_deployment);
  // What the state says runs on the reachable hosts is what runs there.
  std::map<std::string, std::string> recorded;
  for (const auto& [id, host] : running_in_state(state, "roll"))
    if (host != cut) recorded[id] = host;
  CHECK(recorded.size() >= 3);
  CHECK(on_hosts(dir, "jobs", "roll", cut) == recorded);

  REQUIRE(f.fault("heal", cut).ok());
  restore.host.clear();
  ShellResult converged = skiff_in(dir, "apply -auto-approve -no-color jobs");
  INFO(converged.output);
  CHECK(converged.status == 0);
  const std::map<std::string, std::string> running = running_in_state(state_in(dir), "roll");
  CHECK(running.size() == 4);
  CHECK(on_hosts(dir, "jobs", "roll") == running);
  std::set<std::string> hosts;
  for (const auto& [id, host] : running) hosts.insert(host);
  CHECK(hosts.size() == 4);  // distinct_hosts: one copy per host, no duplicates
  CHECK(skiff_in(dir, "plan -no-color -detailed-exitcode jobs").status == 0);
  CHECK(prune_project(f, "down-part") == 0);
}
