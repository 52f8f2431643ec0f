// A host that prints without end costs skiff one failed command, not its
// memory: past the target's max_output the pool stops reading, fails the
// command with "output too large" naming the host and the command, drops
// the connection (which ends the command on the host), and the next
// command to that host connects again. Runs on the healthy hosts 0 and 1
// only (see ssh_transport_test.cpp), with a 1 MiB cap.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "drivers/ssh/ssh_pool.hpp"
#include "fleet_fixture.hpp"

using namespace skiff::drivers;
using skiff::ErrorCode;
using skiff::testing::command;
using skiff::testing::fleet;
using skiff::testing::TestFleet;
using namespace std::chrono_literals;

namespace {

constexpr uint64_t kCap = 1 << 20;

SshTarget capped(const TestFleet& f, size_t i) {
  SshTarget t = f.target(i);
  t.max_output = kCap;
  return t;
}

// Whether process `pid` runs on `host` (a zombie runs no more), through a
// fresh command on `pool`.
bool runs_on(SshPool& pool, const std::string& host, const std::string& pid) {
  auto r = pool.run_all(
      {HostCommand{host, command({"sh", "-c", "[ -d /proc/$1 ] && ! grep -q '^State:.*Z' /proc/$1/status", "probe", pid}, 10s)}});
  REQUIRE(r.front().ok());
  return r.front()->success();
}

}  // namespace

TEST_CASE("a command printing more than max_output over SSH fails cleanly, and the host is usable again",
          "[integration][bounded]") {
  TestFleet& f = fleet();
  for (bool persistent_shell : {true, false}) {
    INFO("persistent shell: " << persistent_shell);
    SshPool pool(SshPoolOptions{4, persistent_shell});
    pool.add_host(capped(f, 1));
    const std::string host = f.hosts()[1].name;
    const std::string pid_file = "/tmp/skiff-flood-" + std::to_string(persistent_shell);
    REQUIRE(pool.run_all({HostCommand{host, command({"rm", "-f", pid_file})}}).front().ok());

    // Prints forever: without the cap this would end only with the
    // timeout, after gigabytes.
    auto t0 = std::chrono::steady_clock::now();
    auto flood = pool.run_all(
        {HostCommand{host, command({"sh", "-c", "echo $$ > \"$1\"; exec yes skiff-flood", "skiff-flood", pid_file}, 30s)}});
    auto took = std::chrono::steady_clock::now() - t0;
    REQUIRE_FALSE(flood.front().ok());
    CHECK(flood.front().error().code == ErrorCode::kIo);
    CHECK(flood.front().error().message ==
          "`skiff-flood` on " + host + ": output too large (more than 1 MiB); skiff stopped reading it and ended the command");
    CHECK(took < 10s);

    // The next command on the same pool works (on a new connection).
    auto next = pool.run_all({HostCommand{host, command({"cat", pid_file})}});
    REQUIRE(next.front().ok());
    CHECK(next.front()->success());
    CHECK(pool.open_connections() == 1);
    const std::string pid = next.front()->stdout_data.substr(0, next.front()->stdout_data.find('\n'));
    REQUIRE_FALSE(pid.empty());

    // The printer is gone from the host: sshd closed its output with the
    // connection, and its next write ended it.
    bool gone = false;
    for (int i = 0; i < 50 && !gone; ++i) {
      gone = !runs_on(pool, host, pid);
      if (!gone) std::this_thread::sleep_for(100ms);
    }
    CHECK(gone);
  }
}

TEST_CASE("one host's flood fails only that host's command in a batch", "[integration][bounded]") {
  TestFleet& f = fleet();
  SshPool pool;
  pool.add_host(capped(f, 0));
  pool.add_host(capped(f, 1));
  const std::string quiet = f.hosts()[0].name, loud = f.hosts()[1].name;
  // Exactly the cap is allowed, split over both streams; a byte more is not.
  auto results =
      pool.run_all({HostCommand{quiet, command({"sh", "-c", "head -c 524288 /dev/zero; head -c 524288 /dev/zero >&2"}, 30s)},
                    HostCommand{loud, command({"sh", "-c", "head -c 524288 /dev/zero; head -c 524289 /dev/zero >&2"}, 30s)}});
  REQUIRE(results[0].ok());
  CHECK(results[0]->stdout_data.size() + results[0]->stderr_data.size() == kCap);
  REQUIRE_FALSE(results[1].ok());
  CHECK_THAT(results[1].error().message, Catch::StartsWith("`sh` on " + loud + ": output too large (more than 1 MiB)"));
}
