// bench/observe: how long skiff takes to observe a busy fleet. Brings up
// --hosts N test hosts (default 50; tests/fleet/fleet, as root; torn down
// however the run ends) or uses --fleet-dir DIR, starts --allocs A (default
// 20) real raw_exec tasks per host (`sleep 100000` under skiff's supervisor),
// then times --rounds R (default 7) warm observations of every host (one
// observe_command per host on one SshPool with parallelism N, after a
// warm-up) and one cold one (a fresh pool), and checks that every host
// reports its A tasks running. Prints figures only; the target is
// informational.
//
// Every test host shares this machine's cores, so the hosts' side of an
// observation (sshd, the observe script) competes with skiff for them: the
// report splits the machine's CPU into skiff's, the scripts' and the rest.
//
// `fleet down` kills every process of our own fleet (each host is a PID
// namespace), so there the tasks need no stopping; on a --fleet-dir fleet
// they are stopped and removed at the end.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>

#include "bench/support/bench_fleet.hpp"
#include "drivers/host/host_facts.hpp"
#include "drivers/host/observe.hpp"
#include "drivers/shell_quote.hpp"
#include "drivers/ssh/ssh_pool.hpp"
#include "drivers/task/allocation.hpp"
#include "drivers/task/task_driver.hpp"
#include "drivers/task/task_env.hpp"
#include "parser/environment.hpp"
#include "parser/load.hpp"

using namespace skiff;
using namespace skiff::bench;
using Results = std::vector<Result<drivers::CommandResult>>;

namespace {

constexpr const char* kDataDir = "/var/lib/skiff";  // the fleet hosts' data dir, as in their inventory

// A task that stays up and costs its host nothing while it does.
constexpr const char* kSleeperJob = R"(
job "bench" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["100000"]
      }
    }
  }
}
)";

struct Options {
  size_t hosts = 50;
  size_t allocs = 20;  // per host
  int rounds = 7;
  std::string fleet_dir;  // empty: bring up our own fleet
};

// One timed observation of every host.
struct Timed {
  double wall_ms, client_cpu_ms, machine_cpu_ms;
  Results results;
};

struct Figures {
  std::vector<double> warm_wall_ms, warm_client_cpu_ms, warm_machine_cpu_ms, parse_ms;
  Timed cold;
  double bytes_sent = 0, bytes_received = 0;  // per host, per observation
  double script_cpu_ms = 0;                   // the observe script alone, on one host, per run
  // The machine's busy CPU per second while skiff idles, before our tasks
  // start (other work) and once they run (other work + what the tasks and
  // their supervisors cost their hosts when nobody asks anything).
  double idle_busy_before_tasks = 0, idle_busy_with_tasks = 0;
};

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "bench_observe: " << what << "\n";
  std::exit(1);  // the watchdog still tears the fleet down
}

spec::Job load_sleeper_job() {
  parser::OsEnvironment env;
  parser::EvalOptions options;
  options.env = &env;
  options.use_environment_variables = false;
  parser::Diagnostics diagnostics;
  auto loaded = parser::load_job("bench.nomad.hcl", kSleeperJob, options, diagnostics);
  if (diagnostics.has_errors() || !loaded.job) fail("the bench job does not load:\n" + diagnostics.render_all());
  return *loaded.job;
}

std::unique_ptr<drivers::SshPool> open_pool(const Hosts& hosts) {
  auto pool = std::make_unique<drivers::SshPool>(drivers::SshPoolOptions{hosts.size()});
  for (const auto& h : hosts) pool->add_host(h);
  return pool;
}

// Every host's command ran and exited 0, or we stop here naming the first
// host that did not, with what it said.
void require_success(const Results& results, const Hosts& hosts, const std::string& what) {
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok()) fail(what + " on " + hosts[i].name + ": " + results[i].error().message);
    if (!results[i]->success()) {
      fail(what + " on " + hosts[i].name + ": exit " + std::to_string(results[i]->exit_status) + ": " + results[i]->stderr_data);
    }
  }
}

// The steady-state observation: the script installed on each host (the
// warm-up installs it; see drivers::observe_hosts).
std::vector<drivers::HostCommand> observe_batch(const Hosts& hosts) {
  std::vector<drivers::HostCommand> batch;
  for (const auto& h : hosts) batch.push_back({h.name, drivers::observe_installed_command(kDataDir)});
  return batch;
}

// Installs the observe script where it is missing (one extra round trip).
void install_observe_script(drivers::SshPool& pool, const Hosts& hosts) {
  std::vector<drivers::HostToObserve> targets;
  for (const auto& h : hosts) targets.push_back({h.name, kDataDir});
  for (const auto& observation : drivers::observe_hosts(pool, targets))
    if (!observation.ok()) fail("observing to install the script: " + observation.error().message);
}

// Allocation `index` of the bench job on `target`, with a fresh id.
drivers::Allocation new_allocation(const spec::Job& job, const drivers::SshTarget& target, int index) {
  Result<std::string> id = drivers::new_allocation_id();
  if (!id.ok()) fail(id.error().message);
  drivers::Allocation allocation;
  allocation.id = *id;
  allocation.job = job.id;
  allocation.group = job.groups.at(0).name;
  allocation.index = index;
  allocation.job_type = spec::to_string(job.type);
  allocation.host = target.name;
  allocation.host_address = target.address;
  allocation.data_dir = kDataDir;
  allocation.created_unix = std::time(nullptr);
  return allocation;
}

drivers::Command start_command(const spec::Job& job, const drivers::Allocation& allocation) {
  spec::Host host;
  host.name = allocation.host;
  host.address = allocation.host_address;
  const drivers::HostFacts facts;  // raw_exec needs none
  const auto& group = job.groups.at(0);
  auto driver = drivers::driver_for(group.tasks.at(0));
  if (!driver.ok()) fail("driver_for: " + driver.error().message);
  auto command = (*driver)->start({job, group, group.tasks.at(0), allocation, host, facts});
  if (!command.ok()) fail("start: " + command.error().message);
  return *command;
}

// `allocs` rounds of one batch over every host, each round starting one task
// per host: the pool then runs N starts at once, as an apply would. Returns
// the ids started.
std::set<std::string> start_tasks(drivers::SshPool& pool, const Hosts& hosts, size_t allocs) {
  const spec::Job job = load_sleeper_job();
  std::set<std::string> started;
  for (size_t index = 0; index < allocs; ++index) {
    std::vector<drivers::HostCommand> batch;
    for (const auto& h : hosts) {
      drivers::Allocation allocation = new_allocation(job, h, static_cast<int>(index));
      started.insert(allocation.id);
      batch.push_back({h.name, start_command(job, allocation)});
    }
    require_success(pool.run_all(batch), hosts, "starting allocation " + std::to_string(index));
  }
  return started;
}

// On a fleet we did not bring up (--fleet-dir) nothing else removes our
// tasks: stop each of ours that an observation finds, then remove its
// folder. (An interrupted run leaves its tasks; the next run then refuses
// to start, as the hosts are not empty.)
void remove_tasks(drivers::SshPool& pool, const Hosts& hosts, const std::set<std::string>& ours) {
  Results observed = pool.run_all(observe_batch(hosts));
  std::vector<drivers::HostCommand> batch;  // a host runs its commands one after another, in this order
  for (size_t i = 0; i < hosts.size(); ++i) {
    const std::string& host = hosts[i].name;
    auto observation = observed[i].ok() ? drivers::parse_observation(observed[i]->stdout_data)
                                        : Result<drivers::Observation>(observed[i].error());
    if (!observation.ok()) {
      std::cerr << "bench_observe: cannot remove our tasks from " << host << ": " << observation.error().message << "\n";
      continue;
    }
    for (const auto& a : observation->allocations) {
      if (!ours.count(a.allocation.id)) continue;
      for (const auto& [name, task] : a.tasks) {
        batch.push_back({host, drivers::driver_of(task).stop(a.allocation, name, task)});
      }
      batch.push_back({host, drivers::purge_command(kDataDir, a)});
    }
  }
  Results results = pool.run_all(batch);
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok() && results[i]->success()) continue;
    std::cerr << "bench_observe: removing our tasks from " << batch[i].host
              << " failed: " << (results[i].ok() ? results[i]->stderr_data : results[i].error().message) << "\n";
  }
}

Timed time_observation(drivers::SshPool& pool, const std::vector<drivers::HostCommand>& batch) {
  double cpu = own_cpu_ms(), machine = machine_busy_ms();
  auto start = Clock::now();
  Results results = pool.run_all(batch);
  return {ms_since(start), own_cpu_ms() - cpu, machine_busy_ms() - machine, std::move(results)};
}

// Each host must report exactly `allocs` allocations, every task running:
// an observation that misses or misreads a task is no figure to print.
void check_observations(const Results& results, const Hosts& hosts, size_t allocs) {
  require_success(results, hosts, "observing");
  for (size_t i = 0; i < results.size(); ++i) {
    auto observation = drivers::parse_observation(results[i]->stdout_data);
    const std::string where = "observation of " + hosts[i].name + ": ";
    if (!observation.ok()) fail(where + observation.error().message);
    if (!observation->unreadable.empty()) fail(where + "unreadable allocation " + observation->unreadable[0]);
    if (observation->allocations.size() != allocs) {
      fail(where + std::to_string(observation->allocations.size()) + " allocations, expected " + std::to_string(allocs));
    }
    for (const auto& a : observation->allocations) {
      if (a.tasks.size() != 1) fail(where + a.allocation.id + " has " + std::to_string(a.tasks.size()) + " tasks");
      for (const auto& [name, task] : a.tasks) {
        if (task.state == drivers::TaskState::kRunning) continue;
        fail(where + a.allocation.id + "/" + name + " is " + drivers::to_string(task.state) + ": " + task.reason);
      }
    }
  }
}

// What crosses the wire per host and observation, SSH's own framing aside:
// the line SshShell writes (the quoted command inside its wrapper with two
// 32-digit markers, as in SshShell::begin) and the output that comes back.
double bytes_sent_per_host(const drivers::Command& command) {
  const std::string token(32, '0');
  const std::string line = "( " + drivers::shell_join(command.argv) + " ) </dev/null; printf '%s %d\\n' " + token +
      " \"$?\"; printf '%s\\n' " + token + " >&2\n";
  return static_cast<double>(line.size());
}

double bytes_received_per_host(const Results& results) {
  double total = 0;
  for (const auto& r : results) total += static_cast<double>(r->stdout_data.size() + r->stderr_data.size());
  return total / static_cast<double>(results.size());
}

// The machine's busy CPU per second while skiff does nothing: whatever
// else runs then also runs during the rounds and shows in every figure.
double idle_busy_ms_per_s() {
  double before = machine_busy_ms();
  auto start = Clock::now();
  ::usleep(1000 * 1000);
  return (machine_busy_ms() - before) * 1000 / ms_since(start);
}

// CPU the observe script costs a host per run, as the long-lived shell runs
// it (a subshell evaluating the launcher, which execs awk on the installed
// program; no sshd): `runs` runs on `host` after one that installs it, then
// the shell's `times` builtin, whose second line is its children's user and
// system time ("0m0.412000s 0m0.048000s").
double observe_script_cpu_ms(drivers::SshPool& pool, const std::string& host, int runs) {
  if (auto installed = pool.run_all({{host, drivers::observe_install_command(kDataDir)}});
      !installed[0].ok() || !installed[0]->success())
    fail("installing the observe program on " + host + " failed");
  const drivers::Command observe = drivers::observe_installed_command(kDataDir);  // sh -c SCRIPT NAME D PROGRAM
  const char* loop = R"(script=$1 d=$2 program=$3 runs=$4 i=0
while [ "$i" -lt "$runs" ]; do (set -- "$d" "$program"; eval "$script") >/dev/null; i=$((i + 1)); done
times)";
  const std::vector<std::string> argv = {
      "sh", "-c", loop, "skiff-probe", observe.argv.at(2), observe.argv.at(4), observe.argv.at(5), std::to_string(runs)};
  const drivers::Command probe{argv, std::nullopt, std::chrono::milliseconds{60000}};
  auto result = pool.run_all({{host, probe}});
  if (!result[0].ok() || !result[0]->success()) fail("timing the observe script on " + host + " failed");
  const std::string& out = result[0]->stdout_data;
  int user_min = 0, system_min = 0;
  double user_s = 0, system_s = 0;
  const char* children = out.c_str() + out.find('\n') + 1;
  if (std::sscanf(children, "%dm%lfs %dm%lfs", &user_min, &user_s, &system_min, &system_s) != 4) {
    fail("cannot read `times` output: " + out);
  }
  return ((user_min + system_min) * 60 + user_s + system_s) * 1000 / runs;
}

Figures measure(drivers::SshPool& pool, const Hosts& hosts, const Options& o, double idle_busy_before_tasks) {
  Figures f;
  f.idle_busy_before_tasks = idle_busy_before_tasks;
  const auto batch = observe_batch(hosts);
  check_observations(time_observation(pool, batch).results, hosts, o.allocs);  // warm-up
  f.idle_busy_with_tasks = idle_busy_ms_per_s();
  for (int round = 0; round < o.rounds; ++round) {
    Timed t = time_observation(pool, batch);
    auto parse_start = Clock::now();
    check_observations(t.results, hosts, o.allocs);
    f.parse_ms.push_back(ms_since(parse_start));
    f.warm_wall_ms.push_back(t.wall_ms);
    f.warm_client_cpu_ms.push_back(t.client_cpu_ms);
    f.warm_machine_cpu_ms.push_back(t.machine_cpu_ms);
    f.bytes_received = bytes_received_per_host(t.results);
  }
  f.bytes_sent = bytes_sent_per_host(batch[0].command);
  f.script_cpu_ms = observe_script_cpu_ms(pool, hosts[0].name, 50);  // `times` ticks are 10 ms
  // Cold: a fresh pool connects and observes. The warm pool's sessions are
  // closed first, and the sshds given time to finish them, so that each
  // host serves the one new connection only.
  pool.close_all();
  ::usleep(200 * 1000);
  auto cold_pool = open_pool(hosts);
  f.cold = time_observation(*cold_pool, batch);
  check_observations(f.cold.results, hosts, o.allocs);
  return f;
}

void print_report(const Figures& f, const Options& o, size_t hosts) {
  const double n = static_cast<double>(hosts), cores = static_cast<double>(::sysconf(_SC_NPROCESSORS_ONLN));
  auto [min, max] = std::minmax_element(f.warm_wall_ms.begin(), f.warm_wall_ms.end());
  const double warm = median(f.warm_wall_ms), machine = median(f.warm_machine_cpu_ms);
  const double client = median(f.warm_client_cpu_ms), scripts = n * f.script_cpu_ms;
  std::printf("observation of %zu hosts x %zu allocations (raw_exec, running), %d warm rounds after one warm-up\n\n", hosts,
              o.allocs, o.rounds);
  std::printf("%-48s %8.1f ms (min %.1f, max %.1f)\n", "warm observation, all hosts, median:", warm, *min, *max);
  std::printf("%-48s %8.1f ms\n", "cold observation (connect + observe):", f.cold.wall_ms);
  std::printf("%-48s %8.0f B\n", "sent per host (command line + shell framing):", f.bytes_sent);
  std::printf("%-48s %8.0f B\n", "received per host (stdout + stderr):", f.bytes_received);
  std::printf("%-48s %8.2f ms\n", "skiff client CPU per host, warm (median):", client / n);
  std::printf("%-48s %8.2f ms\n", "skiff client CPU per host, cold:", f.cold.client_cpu_ms / n);
  std::printf("%-48s %8.2f ms\n", "skiff CPU per host to parse + check, warm:", median(f.parse_ms) / n);
  std::printf("%-48s %8.2f ms\n", "host CPU per observation, launcher + awk alone:", f.script_cpu_ms);
  std::printf("%-48s %8.0f ms (%.0f%% of %.0f cores over the wall time)\n", "machine CPU per warm round (median):", machine,
              100 * machine / (cores * warm), cores);
  std::printf("%-48s %8.0f ms skiff, %.0f ms observe scripts, %.0f ms the rest (sshds, tasks, kernel, other)\n",
              "  split:", client, scripts, machine - client - scripts);
  std::printf("%-48s %8.0f ms (in %.0f ms of wall time)\n", "machine CPU, cold round:", f.cold.machine_cpu_ms, f.cold.wall_ms);
  std::printf("%-48s %8.0f ms per s before the tasks start, %.0f ms per s with them\n",
              "machine CPU while skiff idles:", f.idle_busy_before_tasks, f.idle_busy_with_tasks);
  if (f.idle_busy_before_tasks > 100 * cores) {  // over 10% of the machine: every figure above is inflated
    std::printf("WARNING: other work kept the machine busy; run again on a quiet machine\n");
  }
  if (f.idle_busy_with_tasks - f.idle_busy_before_tasks > 100 * cores) {
    const double per_task = (f.idle_busy_with_tasks - f.idle_busy_before_tasks) / (n * static_cast<double>(o.allocs));
    std::printf("NOTE: the idle tasks keep the machine busy (%.1f ms per s per task); the rounds compete with them\n", per_task);
  }
  const bool target_shape = hosts == 50 && o.allocs == 20;
  std::printf("\ntarget: warm observation of 50 hosts x 20 allocs under 100 ms: %s%s\n", warm < 100 ? "met" : "NOT met",
              target_shape ? "" : " (measured with another shape)");
}

int run(const Options& o) {
  const BenchFleet bench = prepare_fleet("observe", o.hosts, o.fleet_dir);
  const Hosts hosts = load_hosts(bench.fleet_dir, o.hosts);
  auto pool = open_pool(hosts);
  const double idle_busy_before_tasks = idle_busy_ms_per_s();
  // Someone else's allocations would skew the figures and fail the count.
  std::fprintf(stderr, "bench_observe: checking that the hosts run no allocations yet\n");
  install_observe_script(*pool, hosts);
  check_observations(pool->run_all(observe_batch(hosts)), hosts, 0);
  std::fprintf(stderr, "bench_observe: starting %zu tasks on each of %zu hosts\n", o.allocs, hosts.size());
  auto start = Clock::now();
  const std::set<std::string> started = start_tasks(*pool, hosts, o.allocs);
  std::fprintf(stderr, "bench_observe: started %zu tasks in %.1f s; observing\n", o.allocs * hosts.size(),
               ms_since(start) / 1000);
  Figures figures = measure(*pool, hosts, o, idle_busy_before_tasks);
  print_report(figures, o, hosts.size());
  if (!o.fleet_dir.empty()) remove_tasks(*pool, hosts, started);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool usage = argc % 2 == 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--hosts") o.hosts = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--allocs") o.allocs = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--rounds") o.rounds = std::atoi(value.c_str());
    else if (flag == "--fleet-dir") o.fleet_dir = value;
    else usage = true;
  }
  if (usage || o.hosts < 1 || o.hosts > 200 || o.allocs < 1 || o.allocs > 200 || o.rounds < 1) {
    std::fprintf(stderr, "usage: bench_observe [--hosts 1-200] [--allocs 1-200] [--rounds R>=1] [--fleet-dir DIR]\n");
    return 2;
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_observe: %s\n", e.what());
    return 1;
  }
}
