// recorded_kill_timeouts: `alloc stop` waits as long as the job version an
// allocation runs gives its tasks, read back from the state.
#include "cli/alloc_lookup.hpp"

#include <catch2/catch.hpp>

#include "support/job_from_hcl.hpp"

using namespace skiff;
using std::chrono::milliseconds;

namespace {

state::JobVersion version_of(uint64_t number, const char* kill_timeout) {
  state::JobVersion v;
  v.version = number;
  v.spec = parser::job_to_json(testing::job_from(std::string(R"(job "web" {
  group "front" {
    task "server" {
      driver       = "raw_exec"
      kill_timeout = ")") + kill_timeout + R"("
      config { command = "/bin/server" }
    }
    task "log" {
      driver = "raw_exec"
      config { command = "/bin/log" }
    }
  }
})"));
  return v;
}

}  // namespace

TEST_CASE("alloc stop reads each task's kill_timeout from the job version its allocation runs", "[alloc_lookup]") {
  state::State s;
  s.jobs["web"].id = "web";
  s.jobs["web"].versions = {version_of(1, "90s"), version_of(2, "2m")};
  drivers::Allocation a;
  a.job = "web";
  a.group = "front";
  a.job_version = 1;

  auto timeouts = cli::recorded_kill_timeouts(s, a);
  CHECK(timeouts.at("server") == milliseconds(90'000));
  CHECK(timeouts.at("log") == milliseconds(5'000));  // Nomad's default
  a.job_version = 2;
  CHECK(cli::recorded_kill_timeouts(s, a).at("server") == milliseconds(120'000));

  // A version, group or job the state does not have: nothing, and the stop
  // assumes Nomad's max_kill_timeout.
  a.job_version = 3;
  CHECK(cli::recorded_kill_timeouts(s, a).empty());
  a.job_version = 1;
  a.group = "back";
  CHECK(cli::recorded_kill_timeouts(s, a).empty());
  a.job = "api";
  CHECK(cli::recorded_kill_timeouts(s, a).empty());
}
