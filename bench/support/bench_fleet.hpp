// What every fleet benchmark shares: bringing up a test fleet
// (tests/fleet/fleet) in a work dir that is torn down however the run ends,
// running external programs, loading the fleet's hosts, and the clocks the
// benchmarks read (wall, own CPU, the whole machine's CPU).
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <string>
#include <vector>

#include "drivers/ssh/ssh_target.hpp"

namespace skiff::bench {

using Clock = std::chrono::steady_clock;
using Argv = std::vector<std::string>;
using Hosts = std::vector<drivers::SshTarget>;

// tests/fleet/fleet of the source tree the benchmark was built from.
std::string fleet_script();

double ms_since(Clock::time_point t);
double cpu_ms(const rusage& u);  // user + system
// This process's CPU time (user + system) so far.
double own_cpu_ms();
// CPU time the whole machine spent busy since boot, from /proc/stat: every
// process on every core (the fleet's sshds and shells included); 10 ms
// resolution.
double machine_busy_ms();
double median(std::vector<double> v);

// Forks a watchdog that, once this process ends however it ends (return,
// exit, SIGINT/SIGTERM/SIGHUP, crash, SIGKILL), runs `fleet down` on
// own_fleet_dir (unless empty) and removes work_dir. A normal exit and those
// signals wait for it, so the next run starts clean. Call once, first.
void start_teardown_watchdog(const std::string& work_dir, const std::string& own_fleet_dir);

struct Finished {
  bool ok;  // exited with status 0
  double wall_ms, cpu_ms;
};

// Runs argv with stdin from /dev/null and stdout+stderr to `log` (empty: our
// stderr). A shielded program runs in its own process group with our signals
// held until it ends, so that ^C cannot start the teardown under `fleet up`.
Finished run_program(const Argv& argv, const std::string& log, bool shielded = false);

// The first `limit` hosts of DIR/hosts.tsv (name, address, port; '#' lines
// skipped) as strict targets with the fleet's key and known_hosts, as root.
Hosts load_hosts(const std::string& fleet_dir, size_t limit);

// A benchmark's work dir and the fleet it runs against.
struct BenchFleet {
  std::string work_dir;   // /tmp/skiff-bench-NAME-XXXXXX, removed at the end
  std::string fleet_dir;  // work_dir/fleet when the benchmark brought it up
};

// Makes the work dir, starts the teardown watchdog and, unless
// existing_fleet_dir names a running fleet, brings up `hosts` hosts in
// work_dir/fleet (torn down at the end). Throws when `fleet up` fails.
BenchFleet prepare_fleet(const std::string& bench_name, size_t hosts, const std::string& existing_fleet_dir);

}  // namespace skiff::bench
