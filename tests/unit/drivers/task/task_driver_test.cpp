// Which TaskDriver a task gets (from its job's driver name, or from its
// observation), what each driver's commands act on, the purge built from
// every task's driver, and the task states observation reads and prints.
#include "drivers/task/task_driver.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "drivers/task/container_task_driver.hpp"
#include "drivers/task/supervised_task_driver.hpp"
#include "drivers/task/task_state.hpp"
#include "support/job_from_hcl.hpp"

using namespace skiff;
using namespace skiff::drivers;
using skiff::testing::job_from;

namespace {

spec::Task task_named(const std::string& name, const std::string& driver) {
  spec::Task t;
  t.name = name;
  t.driver = driver;
  return t;
}

bool is_supervised(const TaskDriver& d) { return dynamic_cast<const SupervisedTaskDriver*>(&d) != nullptr; }
bool is_container(const TaskDriver& d) { return dynamic_cast<const ContainerTaskDriver*>(&d) != nullptr; }

Allocation allocation() {
  Allocation a;
  a.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
  a.job = "web";
  a.group = "front";
  return a;
}

ObservedTask container_task(const std::string& cli) {
  ObservedTask t;
  t.state = TaskState::kRunning;
  t.supervisor_alive = true;
  t.driver = "docker";
  t.container = "skiff-" + allocation().id + "-proxy";
  t.cli = cli;
  return t;
}

// An observation of allocation() with one task, "t", as the host printed it.
ObservedTask observed_from(const nlohmann::json& task) {
  nlohmann::json output = {{"format", 1},
                           {"allocs",
                            {{{"dir", "/d/allocs/" + allocation().id},
                              {"alloc", allocation_to_json(allocation()).dump()},
                              {"tasks", {{"t", task}}}}}}};
  auto observation = parse_observation(output.dump());
  REQUIRE(observation.ok());
  REQUIRE(observation->allocations.size() == 1);
  return observation->allocations[0].tasks.at("t");
}

}  // namespace

TEST_CASE("driver names read into a DriverKind and print back the same", "[drivers][task_driver]") {
  for (const char* name : {"raw_exec", "exec", "java", "docker", "podman"}) {
    INFO(name);
    std::optional<DriverKind> kind = parse_driver_kind(name);
    REQUIRE(kind);
    CHECK(to_string(*kind) == name);
  }
  CHECK(parse_driver_kind("docker") == DriverKind::kDocker);
  CHECK(parse_driver_kind("raw_exec") == DriverKind::kRawExec);
  for (const char* name : {"", "lxc", "qemu", "Docker", "raw-exec", "exec "}) {
    INFO(name);
    CHECK_FALSE(parse_driver_kind(name));
  }
}

TEST_CASE("a job's task gets the supervisor or the container driver, once, by its driver name", "[drivers][task_driver]") {
  for (const char* name : {"raw_exec", "exec", "java"}) {
    INFO(name);
    Result<const TaskDriver*> driver = driver_for(task_named("t", name));
    REQUIRE(driver.ok());
    CHECK(is_supervised(**driver));
  }
  for (const char* name : {"docker", "podman"}) {
    INFO(name);
    Result<const TaskDriver*> driver = driver_for(task_named("t", name));
    REQUIRE(driver.ok());
    CHECK(is_container(**driver));
  }
  // One driver per kind for the whole program.
  CHECK(*driver_for(task_named("a", "docker")) == &task_driver(DriverKind::kPodman));
  CHECK(*driver_for(task_named("a", "exec")) == &task_driver(DriverKind::kRawExec));
}

TEST_CASE("a driver skiff cannot run is refused with the task's name", "[drivers][task_driver]") {
  Result<const TaskDriver*> driver = driver_for(task_named("cache", "lxc"));
  REQUIRE_FALSE(driver.ok());
  CHECK(driver.error().code == ErrorCode::kUnsupported);
  CHECK(driver.error().message == "task \"cache\": driver \"lxc\" cannot be run yet (raw_exec, exec, java and docker can)");
}

TEST_CASE("an observed task is acted on by the driver that started it", "[drivers][task_driver]") {
  ObservedTask process;
  process.state = TaskState::kRunning;
  process.driver = "raw_exec";
  CHECK(is_supervised(driver_of(process)));
  CHECK(is_container(driver_of(container_task("podman"))));
  // The job file may say otherwise now; what runs decides.
  ObservedTask started_as_container = container_task("docker");
  started_as_container.driver = "raw_exec";
  CHECK(is_container(driver_of(started_as_container)));
}

TEST_CASE("container commands use the CLI observation names, docker when it names none", "[drivers][task_driver]") {
  const Allocation a = allocation();
  const ObservedTask podman = container_task("podman");
  const TaskDriver& driver = driver_of(podman);
  CHECK(driver.signal(a, "proxy", podman, "HUP").argv ==
        std::vector<std::string>{"podman", "kill", "--signal", "HUP", podman.container});
  Command stop = driver.stop(a, "proxy", podman);
  REQUIRE(stop.argv.size() == 7);
  CHECK(std::vector<std::string>(stop.argv.begin() + 3, stop.argv.end()) ==
        std::vector<std::string>{"skiff-stop", a.control_dir("proxy"), "podman", podman.container});
  const ObservedTask old = container_task("");
  CHECK(driver_of(old).signal(a, "proxy", old, "HUP").argv.at(0) == "docker");
  CHECK(driver_of(old).logs(a, "proxy", old, "stdout", 5).argv.at(4) == "docker");
}

TEST_CASE("supervised commands act on the task's control dir and logs", "[drivers][task_driver]") {
  const Allocation a = allocation();
  ObservedTask t;
  t.state = TaskState::kRunning;
  const TaskDriver& driver = driver_of(t);
  Command stop = driver.stop(a, "app", t);
  CHECK(std::vector<std::string>(stop.argv.begin() + 3, stop.argv.end()) ==
        std::vector<std::string>{"skiff-stop", a.control_dir("app")});
  Command signal = driver.signal(a, "app", t, "USR1");
  CHECK(std::vector<std::string>(signal.argv.begin() + 3, signal.argv.end()) ==
        std::vector<std::string>{"skiff-signal", a.control_dir("app"), "USR1"});
  Command logs = driver.logs_since(a, "app", t, "stderr", "120");
  CHECK(std::vector<std::string>(logs.argv.begin() + 3, logs.argv.end()) ==
        std::vector<std::string>{"skiff-logs", a.log_path("app", "stderr"), "120"});
  CHECK(driver.purge_script(t).empty());
}

TEST_CASE("purge removes each container its driver names, then the allocation's folder", "[drivers][task_driver]") {
  ObservedTask app;
  app.state = TaskState::kDead;
  ObservedAllocation observed{allocation(), {{"app", app}, {"proxy", container_task("podman")}}};
  Command purge = purge_command("/srv/skiff", observed);
  REQUIRE(purge.argv.size() == 4);
  CHECK(purge.argv[3] == "skiff-purge");
  // The folder goes last, unless it is a symbolic link (symlink_guard.sh).
  CHECK_THAT(purge.argv[2],
             Catch::StartsWith("podman rm -f skiff-" + allocation().id + "-proxy >/dev/null 2>&1\nsh -c ") &&
                 Catch::Contains("rm -rf \"$1\"") && Catch::EndsWith(" skiff-purge /srv/skiff/allocs/" + allocation().id + "\n"));
}

TEST_CASE("the container driver refuses a host without docker or podman, naming task and host", "[drivers][task_driver]") {
  spec::Job job = job_from(R"(job "d" {
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis" }
    }
  }
})");
  spec::Host host;
  host.name = "h1";
  HostFacts facts;
  const Allocation a = allocation();
  Result<const TaskDriver*> driver = driver_for(job.groups[0].tasks[0]);
  REQUIRE(driver.ok());
  Result<Command> start = (*driver)->start(TaskContext{job, job.groups[0], job.groups[0].tasks[0], a, host, facts});
  REQUIRE_FALSE(start.ok());
  CHECK(start.error().message == "task \"t\" on h1: the docker driver needs docker or podman on the host, and it has neither");
  facts.drivers["podman"].detected = true;
  facts.drivers["podman"].healthy = true;
  start = (*driver)->start(TaskContext{job, job.groups[0], job.groups[0].tasks[0], a, host, facts});
  REQUIRE(start.ok());
  CHECK(start->argv.at(3) == "skiff-start");
  CHECK(start->argv.at(7) == "podman");
}

TEST_CASE("task states read from their words and print back the same", "[drivers][task_state]") {
  CHECK(parse_task_state("running") == TaskState::kRunning);
  CHECK(parse_task_state("restarting") == TaskState::kRestarting);
  CHECK(parse_task_state("dead") == TaskState::kDead);
  CHECK(parse_task_state("lost") == TaskState::kLost);
  for (TaskState s : {TaskState::kRunning, TaskState::kRestarting, TaskState::kDead, TaskState::kLost, TaskState::kUnknown})
    CHECK(parse_task_state(to_string(s)) == s);
  CHECK(to_string(TaskState::kUnknown) == "unknown");
  // A word skiff does not know is unknown, never an error.
  for (const char* word : {"", "starting", "Running", "running\n", "exited"}) {
    INFO(word);
    CHECK(parse_task_state(word) == TaskState::kUnknown);
  }
  CHECK(is_active(TaskState::kRunning));
  CHECK(is_active(TaskState::kRestarting));
  CHECK_FALSE(is_active(TaskState::kDead));
  CHECK_FALSE(is_active(TaskState::kLost));
  CHECK_FALSE(is_active(TaskState::kUnknown));
}

TEST_CASE("observation reads each task's state, and names the driver's keeper when one is lost", "[drivers][task_state]") {
  ObservedTask process =
      observed_from({{"state", "restarting"}, {"reason", "exited with status 2"}, {"supervisor_alive", false}});
  CHECK(process.state == TaskState::kLost);
  CHECK(process.reason == "the supervisor is gone (was restarting: exited with status 2)");

  ObservedTask container = observed_from(
      {{"state", "running"}, {"container", "skiff-" + allocation().id + "-t"}, {"cli", "podman"}, {"supervisor_alive", false}});
  CHECK(container.state == TaskState::kLost);
  CHECK(container.reason == "the container is gone (was running)");

  ObservedTask alive = observed_from({{"state", "running"}, {"supervisor_alive", true}});
  CHECK(alive.state == TaskState::kRunning);
  CHECK(alive.reason.empty());

  // No status file, or a word from a newer or damaged one: unknown, and
  // never lost, whatever the supervisor does.
  CHECK(observed_from({{"supervisor_alive", false}}).state == TaskState::kUnknown);
  ObservedTask odd = observed_from({{"state", "starting"}, {"reason", "hm"}, {"supervisor_alive", false}});
  CHECK(odd.state == TaskState::kUnknown);
  CHECK(odd.reason == "hm");
}
