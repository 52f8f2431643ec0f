// The test fleet for the integration tier: real sshd hosts on this machine,
// brought up by tests/fleet/fleet (see its README) once per test binary run.
//
// Two modes:
// - SKIFF_FLEET_DIR set: use the fleet already up in that directory (a CI
//   script that wraps the binary owns bring-up and teardown).
// - otherwise: `fleet up 5 --containers --dir <tmp>` on first use, and `fleet down` at
//   exit. A watchdog child process holds a pipe from this process and runs
//   the teardown when the pipe closes, so the fleet is torn down however
//   this binary ends: normal exit, a failed assertion, a crash or SIGKILL.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "drivers/ssh/ssh_target.hpp"
#include "drivers/transport.hpp"

namespace skiff::testing {

struct FleetHost {
  std::string name;
  std::string address;
  int port = 22;
};

class TestFleet {
 public:
  // The fleet, brought up on first call. Fails the calling test (via the
  // returned Error) when the fleet cannot be brought up.
  static Result<TestFleet*> get();

  const std::string& dir() const { return dir_; }
  const std::vector<FleetHost>& hosts() const { return hosts_; }
  std::string client_key() const { return dir_ + "/client_key"; }
  std::string known_hosts() const { return dir_ + "/known_hosts"; }
  std::string ssh_config() const { return dir_ + "/ssh_config"; }

  // A strict target for host i with the fleet's key and known_hosts.
  drivers::SshTarget target(size_t i) const;

  // Runs `fleet <verb> <host> --dir DIR` (partition, heal, crash, restart,
  // rekey, stop-sshd).
  Status fault(const std::string& verb, const std::string& host) const;

 private:
  Status load_hosts();
  std::string dir_;
  std::vector<FleetHost> hosts_;
};

// Runs a command line through /bin/sh, returning its exit status and output.
struct ShellResult {
  int status = -1;
  std::string output;
};
ShellResult sh(const std::string& line);

// A command with no stdin and `timeout` (zero: the transport's default).
inline drivers::Command command(std::vector<std::string> argv, std::chrono::milliseconds timeout = {}) {
  return drivers::Command{std::move(argv), std::nullopt, timeout};
}

// The fleet, or the calling test fails (Catch FAIL) saying why.
TestFleet& fleet();

// Runs the built skiff with `args` in the fleet's directory (its skiff.hcl
// names the inventory and known_hosts); stderr joins stdout, or is dropped.
ShellResult run_skiff(const TestFleet& f, const std::string& args, bool with_stderr = true);

}  // namespace skiff::testing
