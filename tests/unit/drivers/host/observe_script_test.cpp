// The observe program (drivers/scripts/observe.sh and observe.awk, run from
// their files, as an installed copy runs) on this machine, with each awk a
// host may have, over a data dir made by hand: quotes and backslashes
// survive, a damaged alloc.json is reported, a live supervisor is told from
// a dead one and from a zombie, and the process groups of removed
// allocations (D/lingering/) are reported while they live.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "drivers/host/observe.hpp"
#include "drivers/local_transport.hpp"
#include "support/test_files.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;
using skiff::testing::write_test_file;

namespace {

// "PID STARTTIME" of process `pid`, as the supervisor records itself.
std::string pid_record(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  std::string rest = line.substr(line.rfind(") ") + 2);
  std::istringstream fields(rest);
  std::string field;
  for (int i = 0; i < 20; ++i) fields >> field;
  return std::to_string(pid) + " " + field;
}

std::string own_pid_record() { return pid_record(::getpid()); }

// A child that has exited and that this process has not reaped yet: a
// zombie, as a SIGKILLed supervisor stays where nothing reaps orphans.
struct Zombie {
  pid_t pid = ::fork();
  Zombie() {
    if (pid == 0) ::_exit(0);
    for (int i = 0; i < 100 && !is_zombie(); ++i) ::usleep(10000);
  }
  ~Zombie() { ::waitpid(pid, nullptr, 0); }
  bool is_zombie() const {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    return line.find(") Z ") != std::string::npos;
  }
};

}  // namespace

TEST_CASE("the observe script reads allocations with mawk and busybox awk alike", "[drivers]") {
  fs::path d = fs::temp_directory_path() / ("skiff-observe-" + std::to_string(::getpid()));
  fs::remove_all(d);
  Allocation a;
  a.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
  a.job = "j \"quoted\" \\ back";
  a.group = "g";
  const fs::path alloc = d / "allocs" / a.id;
  write_test_file(alloc / "alloc.json", allocation_to_json(a).dump());
  write_test_file(alloc / "web/.skiff/status",
                  "state=running\nrestarts=2\nexit_code=\nreason=it said \"no\" \\ twice\nsince=17\npid=1\n");
  write_test_file(alloc / "web/.skiff/supervisor.pid", own_pid_record() + "\n");
  write_test_file(alloc / "db/.skiff/status", "state=running\nrestarts=0\nexit_code=\nreason=\nsince=18\npid=2\n");
  write_test_file(alloc / "db/.skiff/supervisor.pid", "1 0\n");  // PID 1, but not started then
  write_test_file(d / "allocs/broken/alloc.json", "{\"id\": tru");
  Zombie zombie;
  REQUIRE(zombie.is_zombie());
  write_test_file(alloc / "cache/.skiff/status", "state=running\nrestarts=0\nexit_code=\nreason=\nsince=19\npid=3\n");
  write_test_file(alloc / "cache/.skiff/supervisor.pid", pid_record(zombie.pid) + "\n");
  // This process's group lives; group 999999 does not.
  write_test_file(d / "lingering/1d2e3f40-aaaa-4bbb-8ccc-000000000001.web.v2", std::to_string(::getpgrp()) + "\n");
  write_test_file(d / "lingering/1d2e3f40-aaaa-4bbb-8ccc-000000000002.web", "999999\n");

  std::vector<std::string> awks = {"awk"};
  if (std::system("command -v busybox >/dev/null 2>&1") == 0) awks.push_back("busybox awk");
  const fs::path scripts = fs::path(SKIFF_SOURCE_DIR) / "drivers" / "scripts";
  for (const std::string& awk : awks) {
    INFO(awk);
    // observe.sh runs `awk`: another one under test comes first on PATH.
    const char* inherited = std::getenv("PATH");
    std::string path = std::string("PATH=") + (inherited ? inherited : "/usr/bin:/bin");
    if (awk != "awk") {
      write_test_file(d / "bin/awk", "#!/bin/sh\nexec " + awk + " \"$@\"\n");
      fs::permissions(d / "bin/awk", fs::perms::owner_all, fs::perm_options::add);
      path.insert(5, (d / "bin").string() + ":");
    }
    auto run = LocalTransport().run(
        Command{{"env", path, "dash", (scripts / "observe.sh").string(), d.string(), (scripts / "observe.awk").string()},
                std::nullopt,
                {}});
    REQUIRE(run.ok());
    INFO(run->stderr_data);
    auto observation = parse_observation(run->stdout_data);
    if (!observation.ok()) FAIL(observation.error().message);
    REQUIRE(observation->allocations.size() == 1);
    CHECK(observation->unreadable == std::vector<std::string>{(d / "allocs/broken").string()});
    const ObservedAllocation& o = observation->allocations[0];
    CHECK(o.allocation.job == a.job);
    CHECK(skiff::drivers::to_string(o.tasks.at("web").state) == "running");
    CHECK(o.tasks.at("web").supervisor_alive);
    CHECK(o.tasks.at("web").reason == "it said \"no\" \\ twice");
    CHECK(o.tasks.at("web").restarts == 2);
    CHECK(skiff::drivers::to_string(o.tasks.at("db").state) == "lost");
    CHECK(skiff::drivers::to_string(o.tasks.at("cache").state) == "lost");
    CHECK_FALSE(o.tasks.at("cache").supervisor_alive);
    REQUIRE(observation->lingering_groups.size() == 1);
    CHECK(observation->lingering_groups[0].allocation_id == "1d2e3f40-aaaa-4bbb-8ccc-000000000001");
    CHECK(observation->lingering_groups[0].task == "web.v2");
    CHECK(observation->lingering_groups[0].process_group == std::to_string(::getpgrp()));
  }
  fs::remove_all(d);
}

TEST_CASE("the observe script reads no file a task turned into a symbolic link", "[drivers]") {
  fs::path d = fs::temp_directory_path() / ("skiff-observe-links-" + std::to_string(::getpid()));
  fs::remove_all(d);
  // Outside the data dir: what the links point at, each readable as what
  // observe.awk looks for, with "planted" in it.
  Allocation outside;
  outside.id = "9e8d7c6b-5a49-4382-8170-6f5e4d3c2b1a";
  outside.job = "planted-job";
  write_test_file(d / "outside/alloc.json", allocation_to_json(outside).dump());
  write_test_file(d / "outside/status", "state=running\nrestarts=0\nexit_code=\nreason=planted-reason\nsince=1\n");
  write_test_file(d / "outside/pid", own_pid_record() + "\n");
  write_test_file(d / "outside/limits", "planted-limits\n");

  Allocation a;
  a.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
  a.job = "web";
  a.group = "g";
  const fs::path alloc = d / "data/allocs" / a.id;
  write_test_file(alloc / "alloc.json", allocation_to_json(a).dump());
  // web: its status is a link; api: its .skiff folder; db: supervisor.pid;
  // cache: limits; ok: nothing planted.
  fs::create_directories(alloc / "web/.skiff");
  fs::create_symlink(d / "outside/status", alloc / "web/.skiff/status");
  fs::create_directories(alloc / "api");
  fs::create_directory_symlink(d / "outside", alloc / "api/.skiff");
  for (const char* task : {"db", "cache", "ok"})
    write_test_file(alloc / task / ".skiff/status", "state=running\nrestarts=0\nexit_code=\nreason=\nsince=2\n");
  fs::create_symlink(d / "outside/pid", alloc / "db/.skiff/supervisor.pid");
  fs::create_symlink(d / "outside/limits", alloc / "cache/.skiff/limits");
  // A second allocation whose alloc.json is a link.
  fs::create_directories(d / "data/allocs" / outside.id);
  fs::create_symlink(d / "outside/alloc.json", d / "data/allocs" / outside.id / "alloc.json");

  const fs::path scripts = fs::path(SKIFF_SOURCE_DIR) / "drivers" / "scripts";
  auto run = LocalTransport().run(Command{
      {"dash", (scripts / "observe.sh").string(), (d / "data").string(), (scripts / "observe.awk").string()}, std::nullopt, {}});
  REQUIRE(run.ok());
  INFO(run->stdout_data << run->stderr_data);
  CHECK(run->stdout_data.find("planted") == std::string::npos);
  auto observation = parse_observation(run->stdout_data);
  REQUIRE(observation.ok());
  REQUIRE(observation->allocations.size() == 1);
  const ObservedAllocation& o = observation->allocations[0];
  CHECK(o.allocation.id == a.id);
  CHECK(o.tasks.count("ok") == 1);
  for (const char* task : {"web", "api", "db", "cache"}) {
    INFO(task);
    CHECK(o.tasks.count(task) == 0);
  }
  fs::remove_all(d);
}
