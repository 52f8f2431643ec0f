// The apply executor against a fake fleet: which commands each host is
// asked to run, in which rounds, and what the recorder and the progress
// stream are told, for placements, stops, in-place updates, failures on
// one host, and rolling waves gated on health.
#include "reconciler/apply/apply.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/fake_fleet.hpp"
#include "support/job_from_hcl.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using skiff::testing::FakeFleet;
using skiff::testing::job_from;
using skiff::testing::RanCommand;
using Names = std::vector<std::string>;

namespace {

// A batch job: no update policy, so nothing waits for health.
const char* kPlainJob = R"(
job "web" {
  type = "batch"
  group "web" {
    count = 3
    task "server" {
      driver = "raw_exec"
      config { command = "/bin/server" }
    }
  }
}
)";

// Rolled out one allocation at a time after a canary, healthy once its
// task has run for a second.
const char* kRollingJob = R"(
job "web" {
  group "web" {
    count = 2
    update {
      max_parallel     = 1
      canary           = 1
      health_check     = "task_states"
      min_healthy_time = "1s"
      healthy_deadline = "3s"
    }
    task "server" {
      driver = "raw_exec"
      config { command = "/bin/server" }
    }
  }
}
)";

std::string id(int n) {
  std::string digits = std::to_string(n);
  return "00000000-0000-4000-8000-" + std::string(12 - digits.size(), '0') + digits;
}

// Tells every call as one line: "web.web[0] pending starting",
// "healthy ID", "ended ID stopped stopped by apply", "step".
class FakeRecorder : public ApplyRecorder {
 public:
  std::vector<std::string> calls;
  std::optional<std::string> save_error;

  void allocation(const drivers::Allocation& a, RecordedStatus status, const std::string& reason) override {
    calls.push_back(a.name() + " " + to_string(status) + (reason.empty() ? "" : " " + reason));
  }
  void healthy(const std::string& alloc_id) override { calls.push_back("healthy " + alloc_id); }
  void ended(const std::string& alloc_id, RecordedStatus status, const std::string& reason) override {
    calls.push_back("ended " + alloc_id + " " + to_string(status) + " " + reason);
  }
  Status step_done() override {
    calls.push_back("step");
    if (save_error) return make_error(ErrorCode::kIo, *save_error);
    return Status::success();
  }
};

ApplyHost host(const std::string& name) {
  ApplyHost h;
  h.host.name = name;
  h.host.address = "10.0.0." + name.substr(1);
  return h;
}

Action place(int index, const std::string& to) {
  Action a;
  a.kind = ActionKind::kPlace;
  a.job = "web";
  a.group = "web";
  a.index = index;
  a.to_node = to;
  a.job_version = 1;
  a.reason = "new";
  return a;
}

// An existing allocation of web.web[index] on `where`, observed with `tasks`.
drivers::ObservedAllocation existing(int n, int index, const std::string& where,
                                     std::map<std::string, drivers::ObservedTask> tasks) {
  drivers::Allocation a;
  a.id = id(n);
  a.job = "web";
  a.group = "web";
  a.index = index;
  a.host = where;
  a.job_version = 1;
  return {a, std::move(tasks)};
}

drivers::ObservedTask running_task() {
  drivers::ObservedTask t;
  t.state = drivers::TaskState::kRunning;
  t.supervisor_alive = true;
  return t;
}

// An action on the existing allocation `observed`.
Action on(ActionKind kind, const drivers::ObservedAllocation& observed, const std::string& reason) {
  Action a;
  a.kind = kind;
  a.job = observed.allocation.job;
  a.group = observed.allocation.group;
  a.index = observed.allocation.index;
  a.alloc_id = observed.allocation.id;
  a.node = observed.allocation.host;
  a.job_version = 2;
  a.reason = reason;
  return a;
}

struct Apply {
  std::vector<spec::Job> jobs;
  std::map<std::string, ApplyHost> hosts{{"h1", host("h1")}, {"h2", host("h2")}};
  drivers::ObservedAllocations observed;
  FakeFleet fleet;
  FakeRecorder recorder;
  std::vector<ApplyEvent> events;
  int ids = 100;
  int tokens = 0;
  std::chrono::steady_clock::time_point clock{};
  ApplyEnvironment env{fleet,
                       recorder,
                       [this](const ApplyEvent& e) { events.push_back(e); },
                       [this] { return id(++ids); },
                       [this] { return "skiff-t" + std::to_string(++tokens); },
                       [] { return int64_t{1700000000}; },
                       [this] { return clock; },
                       [this](std::chrono::milliseconds d) { clock += d; },
                       [this] { return interrupt; },
                       "5f2c1e8a-1111-4000-8000-000000000000"};
  bool interrupt = false;  // the user's Ctrl-C, as apply asks for it

  explicit Apply(const char* hcl) { jobs.push_back(job_from(hcl)); }

  // As host `a.allocation.host` reports it.
  void observe(const drivers::ObservedAllocation& a) { observed[{a.allocation.host, a.allocation.id}] = a; }

  ApplyReport run(std::vector<Action> actions) {
    Plan plan;
    plan.actions = std::move(actions);
    return execute_plan(plan, jobs, hosts, observed, env);
  }

  // The commands named `name` that `host` was asked, in order.
  std::vector<RanCommand> commands(const std::string& host, const std::string& name) const {
    std::vector<RanCommand> out;
    for (const RanCommand& c : fleet.ran())
      if (c.host == host && c.name == name) out.push_back(c);
    return out;
  }

  // The event types of the progress stream, in order.
  Names event_types() const {
    Names out;
    for (const ApplyEvent& e : events) out.push_back(e.type);
    return out;
  }
};

// The allocation a start command writes as alloc.json.
nlohmann::json started_allocation(const RanCommand& start) {
  REQUIRE(start.argv.size() >= 7);
  return nlohmann::json::parse(start.argv[6]);
}

}  // namespace

TEST_CASE("placing allocations sends one batched start per host and records each", "[apply]") {
  Apply apply(kPlainJob);
  ApplyReport report = apply.run({place(0, "h1"), place(1, "h2"), place(2, "h1")});

  CHECK(report.ok());
  CHECK(report.started == 3);
  CHECK(apply.fleet.rounds() == 1);  // every host at once, in one round
  CHECK(report.commands_per_host == std::map<std::string, int>{{"h1", 1}, {"h2", 1}});
  CHECK(apply.fleet.names_on("h1") == Names{"skiff-start", "skiff-start"});
  CHECK(apply.fleet.names_on("h2") == Names{"skiff-start"});

  // Each host starts its own allocations' task, with their alloc.json.
  std::vector<RanCommand> on_h1 = apply.commands("h1", "skiff-start");
  REQUIRE(on_h1.size() == 2);
  CHECK(on_h1[0].argv[5] == "server");
  CHECK(started_allocation(on_h1[0])["index"] == 0);
  CHECK(started_allocation(on_h1[1])["index"] == 2);
  CHECK(started_allocation(on_h1[1])["host"] == "h1");
  CHECK(started_allocation(apply.commands("h2", "skiff-start").at(0))["index"] == 1);
  // Each records the lineage of the state that made it (ownership.hpp).
  CHECK(started_allocation(on_h1[0])["lineage"] == apply.env.lineage);

  // Pending before anything runs, running once its host answered, then
  // one save for the step.
  CHECK(apply.recorder.calls ==
        Names{"web.web[0] pending starting", "web.web[1] pending starting", "web.web[2] pending starting", "web.web[0] running",
              "web.web[2] running", "web.web[1] running", "step"});
  CHECK(apply.event_types() == Names{"starting", "starting", "starting"});
  CHECK(apply.events[1].host == "h2");
  CHECK(apply.events[1].alloc_id == id(102));
}

TEST_CASE("stopping an allocation stops each task, then purges it, in one batch", "[apply]") {
  Apply apply(kPlainJob);
  drivers::ObservedAllocation old = existing(1, 2, "h1", {{"server", running_task()}});
  apply.observe(old);
  ApplyReport report = apply.run({on(ActionKind::kStop, old, "count 3 -> 2")});

  CHECK(report.ok());
  CHECK(report.stopped == 1);
  CHECK(apply.fleet.rounds() == 1);
  CHECK(apply.fleet.names_on("h1") == Names{"skiff-stop", "skiff-purge"});
  CHECK(apply.fleet.names_on("h2").empty());
  // The supervisor's stop, on the task's control dir; the purge of its folder.
  const RanCommand stop = apply.commands("h1", "skiff-stop").at(0);
  CHECK(stop.argv.size() == 5);
  CHECK(stop.argv[4] == old.allocation.control_dir("server"));
  // The folder is removed unless it is a symbolic link (symlink_guard.sh).
  const std::string purge = apply.commands("h1", "skiff-purge").at(0).argv[2];
  CHECK_THAT(purge,
             Catch::StartsWith("sh -c ") && Catch::Contains("no_links remove \"$1\" \"$1\" || exit 1\nrm -rf \"$1\"") &&
                 Catch::EndsWith(" skiff-purge /var/lib/skiff/allocs/" + id(1) + "\n"));
  CHECK(apply.recorder.calls == Names{"ended " + id(1) + " stopped stopped by apply", "step"});
  REQUIRE(apply.events.size() == 1);
  CHECK(apply.events[0].type == "stopping");
  CHECK(apply.events[0].reason == "count 3 -> 2");
}

TEST_CASE("each task is stopped and purged by the driver observation says it runs under", "[apply]") {
  Apply apply(kPlainJob);
  drivers::ObservedTask proxy = running_task();
  proxy.driver = "docker";
  proxy.cli = "podman";
  proxy.container = "skiff-" + id(1) + "-proxy";
  drivers::ObservedAllocation old = existing(1, 0, "h2", {{"app", running_task()}, {"proxy", proxy}});
  apply.observe(old);
  ApplyReport report = apply.run({on(ActionKind::kStop, old, "job stopped")});

  CHECK(report.ok());
  CHECK(apply.fleet.names_on("h2") == Names{"skiff-stop", "skiff-stop", "skiff-purge"});
  std::vector<RanCommand> stops = apply.commands("h2", "skiff-stop");
  REQUIRE(stops.size() == 2);
  CHECK(stops[0].argv.size() == 5);  // app: the supervisor's stop
  CHECK(std::vector<std::string>(stops[1].argv.begin() + 4, stops[1].argv.end()) ==
        Names{old.allocation.control_dir("proxy"), "podman", proxy.container});
  const std::string purge = apply.commands("h2", "skiff-purge").at(0).argv[2];
  CHECK_THAT(purge,
             Catch::StartsWith("podman rm -f " + proxy.container + " >/dev/null 2>&1\nsh -c ") &&
                 Catch::EndsWith(" skiff-purge /var/lib/skiff/allocs/" + id(1) + "\n"));
}

TEST_CASE("a failed start on one host is recorded as failed and holds back no other host", "[apply]") {
  Apply apply(kPlainJob);
  apply.fleet.answer("h1", "skiff-start", drivers::CommandResult{1, "", "no space left on device\n", std::nullopt});
  ApplyReport report = apply.run({place(0, "h1"), place(1, "h2")});

  CHECK(report.started == 1);
  CHECK(report.errors == Names{"h1: start web.web[0]: start task \"server\": exit status 1: no space left on device\n"});
  CHECK(apply.fleet.names_on("h2") == Names{"skiff-start"});
  CHECK(apply.recorder.calls ==
        Names{"web.web[0] pending starting", "web.web[1] pending starting",
              "web.web[0] failed start task \"server\": exit status 1: no space left on device\n", "web.web[1] running", "step"});
}

TEST_CASE("an unreachable host fails its own items with the transport's error", "[apply]") {
  Apply apply(kPlainJob);
  apply.fleet.unreachable("h2");
  drivers::ObservedAllocation old = existing(1, 2, "h2", {{"server", running_task()}});
  apply.observe(old);
  ApplyReport report = apply.run({place(0, "h1"), place(1, "h2"), on(ActionKind::kStop, old, "count 3 -> 2")});

  CHECK(report.stopped == 0);
  CHECK(report.started == 1);
  CHECK(report.errors ==
        Names{"h2: stop web.web[2]: stop task \"server\": connect: timed out",
              "h2: start web.web[1]: start task \"server\": connect: timed out"});
  // The stop that failed on h2 did not keep h1's start from being sent.
  CHECK(apply.fleet.names_on("h1") == Names{"skiff-start"});
  CHECK(apply.recorder.calls ==
        Names{"step", "web.web[0] pending starting", "web.web[1] pending starting", "web.web[0] running",
              "web.web[1] failed start task \"server\": connect: timed out", "step"});
}

TEST_CASE("without random bytes for an allocation id, that start fails and nothing is sent for it", "[apply]") {
  Apply apply(kPlainJob);
  apply.env.new_id = []() -> skiff::Result<std::string> {
    return skiff::make_error(skiff::ErrorCode::kIo,
                             "new allocation id: random bytes: open /dev/urandom: No such file or directory");
  };
  ApplyReport report = apply.run({place(0, "h1")});

  CHECK(report.started == 0);
  CHECK(report.errors ==
        Names{"h1: start web.web[0]: new allocation id: random bytes: open /dev/urandom: No such file or directory"});
  CHECK(apply.fleet.names_on("h1").empty());
  CHECK(apply.events.empty());
}

TEST_CASE("without random bytes for a host's marker, its commands fail unsent and other hosts go on", "[apply]") {
  Apply apply(kPlainJob);
  int tokens = 0;
  apply.env.token = [&tokens]() -> skiff::Result<std::string> {
    if (++tokens == 1)
      return skiff::make_error(skiff::ErrorCode::kIo, "shell marker: random bytes: read /dev/urandom: Input/output error");
    return std::string("skiff-t2");
  };
  ApplyReport report = apply.run({place(0, "h1"), place(1, "h2")});  // h1's batch is made first

  CHECK(report.started == 1);
  CHECK(report.errors ==
        Names{"h1: start web.web[0]: start task \"server\": shell marker: random bytes: read /dev/urandom: Input/output error"});
  CHECK(apply.fleet.names_on("h1").empty());
  CHECK(apply.fleet.names_on("h2") == Names{"skiff-start"});
  CHECK(report.commands_per_host == std::map<std::string, int>{{"h2", 1}});
}

TEST_CASE("a task whose driver skiff cannot run is refused before any command", "[apply]") {
  // validate refuses such a job file; a job version kept in an older state
  // may still name one.
  Apply apply(R"(
job "web" {
  group "web" {
    task "server" {
      driver = "docker"
      config { image = "web" }
    }
  }
}
)");
  apply.jobs[0].groups[0].tasks[0].driver = "lxc";
  ApplyReport report = apply.run({place(0, "h1")});

  CHECK(apply.fleet.rounds() == 0);
  CHECK(report.errors ==
        Names{"h1: start web.web[0]: task \"server\": driver \"lxc\" cannot be run yet (raw_exec, exec, java and docker can)",
              "h1: start web.web[0]: no task could be started"});
  CHECK(apply.recorder.calls == Names{"web.web[0] pending starting", "web.web[0] failed no task could be started"});
}

TEST_CASE("an in-place update rewrites alloc.json with the new version and starts nothing", "[apply]") {
  Apply apply(kPlainJob);
  drivers::ObservedAllocation old = existing(1, 0, "h1", {{"server", running_task()}});
  apply.observe(old);
  ApplyReport report = apply.run({on(ActionKind::kUpdateInPlace, old, "count 3 -> 4")});

  CHECK(report.ok());
  CHECK(report.updated == 1);
  CHECK(apply.fleet.names_on("h1") == Names{"skiff-update"});
  const RanCommand update = apply.commands("h1", "skiff-update").at(0);
  // Written whole, never through a link (alloc_json_write.sh): the folder
  // must be there.
  REQUIRE(update.argv.size() == 7);
  CHECK(update.argv[4] == "require");
  CHECK(update.argv[5] == old.allocation.dir());
  CHECK(nlohmann::json::parse(update.argv[6])["job_version"] == 2);
  CHECK(apply.recorder.calls == Names{"web.web[0] running", "step"});
  CHECK(apply.event_types() == Names{"updating"});
}

TEST_CASE("a copy on a down host is recorded lost, and nothing is sent", "[apply]") {
  Apply apply(kPlainJob);
  Action stop;
  stop.kind = ActionKind::kStop;
  stop.job = "web";
  stop.group = "web";
  stop.alloc_id = id(7);
  stop.node = "h9";
  stop.reason = "host h9 is down";
  ApplyReport report = apply.run({stop});

  CHECK(report.ok());
  CHECK(apply.fleet.rounds() == 0);
  CHECK(apply.recorder.calls == Names{"ended " + id(7) + " lost host h9 is down"});
}

TEST_CASE("a state that cannot be saved after a step is an error", "[apply]") {
  Apply apply(kPlainJob);
  apply.recorder.save_error = "disk full";
  ApplyReport report = apply.run({place(0, "h1")});
  CHECK(report.started == 1);
  CHECK(report.errors == Names{"state: disk full"});
}

TEST_CASE("a rolling update starts the next wave only once the canary is healthy", "[apply][waves]") {
  Apply apply(kRollingJob);
  drivers::ObservedAllocation old0 = existing(1, 0, "h1", {{"server", running_task()}});
  drivers::ObservedAllocation old1 = existing(2, 1, "h2", {{"server", running_task()}});
  apply.observe(old0);
  apply.observe(old1);
  Action canary = on(ActionKind::kReplace, old0, "task \"server\": config changed");
  canary.to_node = "h1";
  canary.canary = true;
  Action second = on(ActionKind::kReplace, old1, "task \"server\": config changed");
  second.to_node = "h2";
  second.wave = 1;
  ApplyReport report = apply.run({canary, second});

  INFO(report.errors.size());
  CHECK(report.ok());
  CHECK(report.started == 2);
  CHECK(report.stopped == 2);
  // Wave 0 on h1: stop and purge the old copy, start the canary, then
  // observe until it has run for min_healthy_time (1 s, a look every 0.5 s).
  CHECK(apply.fleet.names_on("h1") ==
        Names{"skiff-stop", "skiff-purge", "skiff-start", "skiff-observe", "skiff-observe", "skiff-observe"});
  CHECK(apply.fleet.names_on("h2") ==
        Names{"skiff-stop", "skiff-purge", "skiff-start", "skiff-observe", "skiff-observe", "skiff-observe"});
  CHECK(report.health_observations == 6);
  // Nothing of wave 1 before the canary's last look.
  CHECK(apply.fleet.names_on("h2", 0).empty());
  CHECK(apply.fleet.names_on("h2", 5) == Names{"skiff-stop", "skiff-purge"});
  CHECK(started_allocation(apply.commands("h1", "skiff-start").at(0))["canary"] == true);
  CHECK(started_allocation(apply.commands("h2", "skiff-start").at(0))["canary"] == false);

  CHECK(apply.recorder.calls ==
        Names{"ended " + id(1) + " stopped stopped by apply", "step", "web.web[0] pending starting", "web.web[0] running", "step",
              "healthy " + id(101), "step", "ended " + id(2) + " stopped stopped by apply", "step", "web.web[1] pending starting",
              "web.web[1] running", "step", "healthy " + id(102), "step"});
}

TEST_CASE("an unhealthy canary fails the deployment and the next wave never starts", "[apply][waves]") {
  Apply apply(kRollingJob);
  apply.fleet.after_start("server", {"dead", 1, "exited with status 1"});
  drivers::ObservedAllocation old0 = existing(1, 0, "h1", {{"server", running_task()}});
  drivers::ObservedAllocation old1 = existing(2, 1, "h2", {{"server", running_task()}});
  apply.observe(old0);
  apply.observe(old1);
  Action canary = on(ActionKind::kReplace, old0, "config changed");
  canary.to_node = "h1";
  Action second = on(ActionKind::kReplace, old1, "config changed");
  second.to_node = "h2";
  second.wave = 1;
  ApplyReport report = apply.run({canary, second});

  CHECK(report.errors == Names{"h1: web.web[0] is unhealthy: task \"server\" dead: exited with status 1"});
  CHECK(apply.fleet.names_on("h1") == Names{"skiff-stop", "skiff-purge", "skiff-start", "skiff-observe"});
  CHECK(apply.fleet.names_on("h2").empty());  // its old copy keeps running
  REQUIRE(apply.recorder.calls.size() >= 2);
  CHECK(apply.recorder.calls[apply.recorder.calls.size() - 2] == "web.web[0] failed task \"server\" dead: exited with status 1");
  CHECK(apply.recorder.calls.back() == "step");
}

TEST_CASE("a wave that is not healthy by its healthy_deadline fails", "[apply][waves]") {
  Apply apply(kRollingJob);
  apply.fleet.after_start("server", {"restarting", 1, "exited with status 1; restarting in 1s"});
  ApplyReport report = apply.run({place(0, "h1")});

  CHECK(report.errors == Names{"wave 0: not every allocation was healthy within the healthy_deadline (3 s)"});
  CHECK(apply.clock > std::chrono::steady_clock::time_point{} + std::chrono::seconds(3));
  // One look per half second until the deadline had passed.
  CHECK(report.health_observations == 8);
  CHECK(std::count(apply.recorder.calls.begin(), apply.recorder.calls.end(), "healthy " + id(101)) == 0);
}

TEST_CASE("interrupted while a wave waits for health, apply records what ran and starts no other wave", "[apply][waves]") {
  Apply apply(kRollingJob);
  drivers::ObservedAllocation old0 = existing(1, 0, "h1", {{"server", running_task()}});
  drivers::ObservedAllocation old1 = existing(2, 1, "h2", {{"server", running_task()}});
  apply.observe(old0);
  apply.observe(old1);
  Action canary = on(ActionKind::kReplace, old0, "config changed");
  canary.to_node = "h1";
  Action second = on(ActionKind::kReplace, old1, "config changed");
  second.to_node = "h2";
  second.wave = 1;
  // Ctrl-C during the first half-second wait for the canary's health.
  apply.env.sleep = [&](std::chrono::milliseconds d) {
    apply.clock += d;
    apply.interrupt = true;
  };
  ApplyReport report = apply.run({canary, second});

  CHECK(report.ok());
  CHECK(report.interrupted == "interrupted before wave 0 was healthy");
  CHECK(report.started == 1);
  CHECK(apply.fleet.names_on("h2").empty());  // wave 1 never started
  CHECK(std::count(apply.recorder.calls.begin(), apply.recorder.calls.end(), "web.web[0] running") == 1);
  CHECK(apply.recorder.calls.back() == "step");  // the start was saved
}

TEST_CASE("interrupted before it starts, apply runs nothing", "[apply]") {
  Apply apply(kRollingJob);
  apply.interrupt = true;
  ApplyReport report = apply.run({place(0, "h1")});
  CHECK(report.interrupted == "interrupted before wave 0 started");
  CHECK(apply.fleet.ran().empty());
}

TEST_CASE("a wave that waits for health says where each allocation stands every 10 s", "[apply][waves]") {
  Apply apply(R"(
job "web" {
  group "web" {
    update {
      health_check     = "task_states"
      min_healthy_time = "25s"
      healthy_deadline = "60s"
    }
    task "server" {
      driver = "raw_exec"
      config { command = "/bin/server" }
    }
  }
}
)");
  ApplyReport report = apply.run({place(0, "h1")});
  CHECK(report.ok());
  Names health;
  for (const ApplyEvent& e : apply.events)
    if (e.type == "health") {
      health.push_back(e.message);
      CHECK(e.alloc_id == id(101));
      CHECK(e.host == "h1");
    }
  // Healthy at 25 s: two looks on the way, none after.
  CHECK(health == Names{"web.web[0] on h1: running 10/25s", "web.web[0] on h1: running 20/25s"});
}

TEST_CASE("a wave whose tasks do not run yet says so in its progress", "[apply][waves]") {
  Apply apply(kRollingJob);
  apply.fleet.after_start("server", {"restarting", 1, "exited with status 1; restarting in 1s"});
  Action a = place(0, "h1");
  apply.jobs[0].groups[0].update->healthy_deadline = spec::Duration::seconds(30);
  ApplyReport report = apply.run({a});
  CHECK_FALSE(report.ok());
  Names health;
  for (const ApplyEvent& e : apply.events)
    if (e.type == "health") health.push_back(e.message);
  CHECK(health ==
        Names{"web.web[0] on h1: waiting for its tasks to run", "web.web[0] on h1: waiting for its tasks to run",
              "web.web[0] on h1: waiting for its tasks to run"});
}

namespace {

// What host `host` prints when it claims allocations `claims` (id -> the
// state of task "server") as its own: alloc.json naming itself, as a
// compromised host would write it, so the document is not rejected.
std::string claimed_observation(const std::string& host, const std::map<std::string, std::string>& claims) {
  nlohmann::json allocs = nlohmann::json::array();
  for (const auto& [alloc_id, state] : claims) {
    drivers::Allocation a;
    a.id = alloc_id;
    a.job = "web";
    a.group = "web";
    a.host = host;
    a.data_dir = "/var/lib/skiff";
    a.job_version = 1;
    nlohmann::json task = {{"state", state},     {"restarts", "0"}, {"exit_code", state == "dead" ? "1" : ""},
                           {"reason", "forged"}, {"since", "100"},  {"supervisor_alive", state != "dead"}};
    allocs.push_back({{"dir", "/var/lib/skiff/allocs/" + alloc_id},
                      {"alloc", drivers::allocation_to_json(a).dump()},
                      {"tasks", {{"server", task}}}});
  }
  return nlohmann::json{{"format", 1}, {"allocs", allocs}, {"orphans", nlohmann::json::array()}}.dump() + "\n";
}

}  // namespace

TEST_CASE("the health gate reads each allocation from its own host: another host's claim neither fails nor passes it",
          "[apply][waves]") {
  Action first = place(0, "h1");   // id(101)
  Action second = place(1, "h2");  // id(102)

  SECTION("h2 says h1's new allocation is dead: it is healthy all the same") {
    Apply apply(kRollingJob);
    apply.fleet.answer(
        "h2", "skiff-observe",
        drivers::CommandResult{0, claimed_observation("h2", {{id(101), "dead"}, {id(102), "running"}}), "", std::nullopt});
    ApplyReport report = apply.run({first, second});
    INFO(report.errors.size());
    CHECK(report.ok());
    CHECK(std::count(apply.recorder.calls.begin(), apply.recorder.calls.end(), "healthy " + id(101)) == 1);
    CHECK(std::count(apply.recorder.calls.begin(), apply.recorder.calls.end(), "healthy " + id(102)) == 1);
  }
  SECTION("h2 says h1's failing allocation runs: it is never healthy") {
    Apply apply(kRollingJob);
    apply.fleet.after_start("server", {"restarting", 1, "exited with status 1; restarting in 1s"});
    apply.fleet.answer(
        "h2", "skiff-observe",
        drivers::CommandResult{0, claimed_observation("h2", {{id(101), "running"}, {id(102), "running"}}), "", std::nullopt});
    ApplyReport report = apply.run({first, second});
    CHECK(report.errors == Names{"wave 0: not every allocation was healthy within the healthy_deadline (3 s)"});
    CHECK(std::count(apply.recorder.calls.begin(), apply.recorder.calls.end(), "healthy " + id(101)) == 0);
  }
}
