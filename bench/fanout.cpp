// bench/fanout: `true` on every host of a fleet, skiff against pssh and
// ansible. Brings up --hosts N test hosts (default 50; tests/fleet/fleet, as
// root; torn down however the run ends) or uses --fleet-dir DIR, then times a
// warm-up round and --rounds R (default 5) rounds of: skiff cold (a fresh
// SshPool), skiff warm (its open sessions), parallel-ssh and ansible -m raw,
// all with parallelism N. Prints figures only; the targets are informational.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "bench/support/bench_fleet.hpp"
#include "drivers/ssh/ssh_pool.hpp"

using namespace skiff;
using namespace skiff::bench;

namespace {

// One line of the table: wall time and client CPU per host of each round.
struct Row {
  std::string name;
  Argv argv = {};  // an external tool's command line
  std::vector<double> wall_ms = {}, cpu_ms_per_host = {};
  std::vector<double> machine_cpu_ms = {};  // every process on both cores: sshds included
  std::string problem = {};                 // printed instead of figures
};

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

std::optional<std::string> find_on_path(const std::string& name) {
  std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  for (std::string dir; std::getline(path, dir, ':');) {
    if (::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  }
  return std::nullopt;
}

// The rows of pssh (Debian's parallel-ssh) and ansible: their command lines,
// or "not installed". pssh gets host names, resolved by the fleet's
// ssh_config; ansible gets addresses and the fleet's known_hosts (strict), no
// ControlPersist and a config of its own.
std::vector<Row> tool_rows(const std::string& work, const std::string& fleet, const Hosts& hosts) {
  std::string n = std::to_string(hosts.size()), names, inventory;
  for (const auto& h : hosts) {
    names += h.name + "\n";
    inventory += h.name + " ansible_host=" + h.address + " ansible_port=" + std::to_string(h.port) +
        " ansible_user=root ansible_ssh_private_key_file=" + fleet + "/client_key\n";
  }
  inventory += "\n[all:vars]\nansible_ssh_common_args='-F /dev/null -o UserKnownHostsFile=" + fleet +
      "/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes'\n";
  std::string config = "[defaults]\nhost_key_checking = True\n[ssh_connection]\nssh_args = -o ControlMaster=no\n";
  ::setenv("ANSIBLE_CONFIG", write_file(work + "/ansible.cfg", config).c_str(), 1);
  Row pssh{"pssh"}, ansible{"ansible"};
  if (auto program = find_on_path("parallel-ssh")) {
    pssh.argv = {*program,
                 "-p",
                 n,
                 "-t",
                 "60",
                 "-h",
                 write_file(work + "/pssh_hosts", names),
                 "-X",
                 "-F",
                 "-X",
                 fleet + "/ssh_config",
                 "-O",
                 "BatchMode=yes",
                 "true"};
  }
  if (auto program = find_on_path("ansible")) {
    ansible.argv = {*program, "all", "-i", write_file(work + "/inventory.ini", inventory), "-f", n, "-m", "raw", "-a", "true"};
  }
  for (Row* r : {&pssh, &ansible}) r->problem = r->argv.empty() ? "not installed (apt install pssh ansible)" : "";
  return {pssh, ansible};
}

// A cold run on a fresh pool, then a warm run on its open sessions.
void time_skiff(Row& cold, Row& warm, const Hosts& hosts, bool keep) {
  std::vector<drivers::HostCommand> batch;
  for (const auto& h : hosts) batch.push_back({h.name, drivers::Command{{"true"}, std::nullopt, {}}});
  auto measure = [&](Row& row, auto&& run_batch) {
    double cpu = own_cpu_ms(), machine = machine_busy_ms();
    auto start = Clock::now();
    auto results = run_batch();
    double wall = ms_since(start), cpu_per_host = (own_cpu_ms() - cpu) / static_cast<double>(hosts.size());
    double machine_cpu = machine_busy_ms() - machine;
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok() && results[i]->success()) continue;
      std::cerr << "bench_fanout: " << row.name << ": " << hosts[i].name << " failed: "
                << (results[i].ok() ? "exit " + std::to_string(results[i]->exit_status) : results[i].error().message) << "\n";
      std::exit(1);  // the watchdog still tears the fleet down
    }
    if (keep) row.wall_ms.push_back(wall), row.cpu_ms_per_host.push_back(cpu_per_host), row.machine_cpu_ms.push_back(machine_cpu);
  };
  std::optional<drivers::SshPool> pool;
  measure(cold, [&] {
    pool.emplace(drivers::SshPoolOptions{hosts.size()});
    for (const auto& h : hosts) pool->add_host(h);
    return pool->run_all(batch);
  });
  // The sshds finish the cold round's sessions (exits, logs) after skiff has
  // its results; a later warm batch would not meet that work, so it waits
  // for it, then runs three times.
  ::usleep(200 * 1000);
  for (int i = 0; i < 3; ++i) measure(warm, [&] { return pool->run_all(batch); });
}

// Runs a tool once; a failure ends its row, with the tool's output on stderr.
void time_tool(Row& row, const std::string& log, size_t hosts, bool keep) {
  if (!row.problem.empty()) return;
  Finished f = run_program(row.argv, log);
  if (!f.ok) {
    std::cerr << "bench_fanout: " << row.name << " failed:\n" << std::ifstream(log).rdbuf() << "\n";
    row.problem = "failed (its output is on stderr)";
    row.wall_ms.clear();
  } else if (keep) {
    row.wall_ms.push_back(f.wall_ms);
    row.cpu_ms_per_host.push_back(f.cpu_ms / static_cast<double>(hosts));
  }
}

void print_report(const std::vector<Row>& rows, size_t hosts, int rounds) {
  std::printf("fan-out of `true` to %zu hosts, %d rounds after one warm-up round\n\n", hosts, rounds);
  std::printf("%-12s %10s %10s %10s %17s %14s\n", "wall ms", "median", "min", "max", "client CPU/host", "machine CPU");
  std::vector<double> medians;  // 0: not measured
  for (const auto& r : rows) {
    auto [min, max] = std::minmax_element(r.wall_ms.begin(), r.wall_ms.end());
    medians.push_back(r.wall_ms.empty() ? 0 : median(r.wall_ms));
    if (r.wall_ms.empty()) std::printf("%-12s %s\n", r.name.c_str(), r.problem.c_str());
    else if (r.machine_cpu_ms.empty())
      std::printf("%-12s %10.1f %10.1f %10.1f %14.2f ms\n", r.name.c_str(), medians.back(), *min, *max,
                  median(r.cpu_ms_per_host));
    else
      std::printf("%-12s %10.1f %10.1f %10.1f %14.2f ms %11.0f ms\n", r.name.c_str(), medians.back(), *min, *max,
                  median(r.cpu_ms_per_host), median(r.machine_cpu_ms));
  }
  double cold = medians[0], warm = medians[1], pssh = medians[2], ansible = medians[3];
  std::printf("\n");
  for (size_t i : {2, 3}) {
    if (medians[i] == 0) std::printf("%-7s / skiff cold: n/a\n", rows[i].name.c_str());
    else std::printf("%-7s / skiff cold: %.1fx\n", rows[i].name.c_str(), medians[i] / cold);
  }
  std::printf("skiff client CPU per connection (cold): %.2f ms\n", median(rows[0].cpu_ms_per_host));
  auto target = [](const char* what, double measured, bool met) {
    std::printf("  %-38s %s\n", what, measured == 0 ? "n/a" : met ? "met" : "NOT met");
  };
  std::printf("\ntargets (informational):\n");
  target("cold skiff no slower than pssh:", pssh, cold <= pssh);
  target("cold skiff >= 5x faster than ansible:", ansible, ansible >= 5 * cold);
  target("warm < 50 ms for 50 hosts:", warm, warm < 50);
}

// The benchmark on our own fleet of n hosts, or the first n of fleet_dir's.
int run(size_t n, int rounds, const std::string& fleet_dir) {
  const BenchFleet bench = prepare_fleet("fanout", n, fleet_dir);
  const std::string &work = bench.work_dir, &fleet = bench.fleet_dir;
  Hosts hosts = load_hosts(fleet, n);
  std::vector<Row> rows = {{"skiff cold"}, {"skiff warm"}}, tools = tool_rows(work, fleet, hosts);
  rows.insert(rows.end(), tools.begin(), tools.end());
  for (int round = 0; round <= rounds; ++round) {
    bool keep = round > 0;  // round 0 warms caches and checks that every tool works
    std::fprintf(stderr, "bench_fanout: %s %d\n", keep ? "round" : "warm-up", round);
    time_skiff(rows[0], rows[1], hosts, keep);
    time_tool(rows[2], work + "/pssh.log", hosts.size(), keep);
    time_tool(rows[3], work + "/ansible.log", hosts.size(), keep);
  }
  print_report(rows, hosts.size(), rounds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  size_t hosts = 50;
  int rounds = 5;
  std::string fleet_dir;  // empty: bring up our own fleet
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--hosts") hosts = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--rounds") rounds = std::atoi(value.c_str());
    else if (flag == "--fleet-dir") fleet_dir = value;
    else rounds = 0;  // unknown flag: usage
  }
  if (argc % 2 == 0 || hosts < 1 || hosts > 200 || rounds < 1) {
    std::fprintf(stderr, "usage: bench_fanout [--hosts 1-200] [--rounds R>=1] [--fleet-dir DIR]\n");
    return 2;
  }
  try {
    return run(hosts, rounds, fleet_dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_fanout: %s\n", e.what());
    return 1;
  }
}
