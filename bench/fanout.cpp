// bench/fanout: `true` on every host of a fleet, skiff against pssh and
// ansible. Brings up --hosts N test hosts (default 50; tests/fleet/fleet, as
// root; torn down however the run ends) or uses --fleet-dir DIR, then times a
// warm-up round and --rounds R (default 5) rounds of: skiff cold (a fresh
// SshPool), skiff warm (its open sessions), parallel-ssh and ansible -m raw,
// all with parallelism N. Prints figures only; the targets are informational.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "drivers/shell_quote.hpp"
#include "drivers/ssh_pool.hpp"

using namespace skiff;
using Clock = std::chrono::steady_clock;
using Argv = std::vector<std::string>;
using Hosts = std::vector<drivers::SshTarget>;

namespace {

// One line of the table: wall time and client CPU per host of each round.
struct Row {
  std::string name;
  Argv argv = {};  // an external tool's command line
  std::vector<double> wall_ms = {}, cpu_ms_per_host = {};
  std::vector<double> machine_cpu_ms = {};  // every process on both cores: sshds included
  std::string problem = {};  // printed instead of figures
};

std::string fleet_script() { return std::string(SKIFF_SOURCE_DIR) + "/tests/fleet/fleet"; }
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
double cpu_ms(const rusage& u) {  // user + system
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}
// CPU time the whole machine spent busy (user, nice, system, irq, softirq,
// steal) since boot, from /proc/stat; 10 ms resolution.
double machine_busy_ms() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return (user + nice + system + irq + softirq + steal) * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}
double own_cpu_ms() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return cpu_ms(u);
}

// Teardown: a child reads a pipe that only this process holds (close-on-exec:
// no tool we run inherits it) and at EOF, however we ended, runs `fleet
// down` on our fleet and removes the work dir. A normal exit and
// SIGINT/SIGTERM/SIGHUP wait for it, so the next run starts clean.
int g_watchdog_pipe = -1;
pid_t g_watchdog = -1;

void wait_for_teardown() {  // async-signal-safe
  ::close(g_watchdog_pipe);
  while (::waitpid(g_watchdog, nullptr, 0) < 0 && errno == EINTR) {
  }
}

void start_teardown_watchdog(const std::string& work_dir, const std::string& own_fleet_dir) {
  std::string line = "rm -rf " + drivers::shell_quote(work_dir);
  if (!own_fleet_dir.empty()) {
    line = drivers::shell_join({fleet_script(), "down", "--dir", own_fleet_dir}) + " >/dev/null 2>&1; " + line;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  if ((g_watchdog = ::fork()) == 0) {
    ::close(fds[1]);
    ::setsid();  // out of the terminal's session: ^C and hangups must not reach it
    for (int sig : {SIGINT, SIGHUP}) ::signal(sig, SIG_IGN);
    char byte;
    while (::read(fds[0], &byte, 1) < 0 && errno == EINTR) {
    }
    ::execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  g_watchdog_pipe = fds[1];
  std::atexit(wait_for_teardown);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, [](int s) { wait_for_teardown(), ::_exit(128 + s); });
}

struct Finished {
  bool ok;  // exited with status 0
  double wall_ms, cpu_ms;
};

// Runs argv with stdin from /dev/null and stdout+stderr to `log` (empty: our
// stderr). A shielded program runs in its own process group with our signals
// held until it ends, so that ^C cannot start the teardown under `fleet up`.
Finished run_program(const Argv& argv, const std::string& log, bool shielded = false) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  sigset_t held, old;
  sigfillset(&held);
  if (shielded) ::sigprocmask(SIG_BLOCK, &held, &old);
  auto start = Clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    if (shielded) ::setpgid(0, 0), ::sigprocmask(SIG_SETMASK, &old, nullptr);
    int out = log.empty() ? 2 : ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(::open("/dev/null", O_RDONLY), 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};  // the program's and that of every descendant it waited for
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  Finished f{WIFEXITED(status) && WEXITSTATUS(status) == 0, ms_since(start), cpu_ms(usage)};
  if (shielded) ::sigprocmask(SIG_SETMASK, &old, nullptr);  // a held ^C ends us here
  return f;
}

// The first `limit` hosts of hosts.tsv (name, address, port; '#' lines
// skipped) as strict targets with the fleet's key and known_hosts.
Hosts load_hosts(const std::string& fleet, size_t limit) {
  std::ifstream in(fleet + "/hosts.tsv");
  Hosts hosts;
  drivers::SshTarget t;
  t.user = "root";
  t.identity_files = {fleet + "/client_key"};
  t.known_hosts_files = {fleet + "/known_hosts"};
  t.strict = drivers::StrictHostKeys::kYes;
  for (std::string line; std::getline(in, line) && hosts.size() < limit;) {
    if (line[0] != '#' && std::istringstream(line) >> t.name >> t.address >> t.port) hosts.push_back(t);
  }
  if (hosts.empty()) throw std::runtime_error("no hosts in " + fleet + "/hosts.tsv");
  return hosts;
}

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
    pssh.argv = {*program, "-p", n, "-t", "60", "-h", write_file(work + "/pssh_hosts", names), "-X", "-F",
                 "-X", fleet + "/ssh_config", "-O", "BatchMode=yes", "true"};
  }
  if (auto program = find_on_path("ansible")) {
    ansible.argv = {*program, "all", "-i", write_file(work + "/inventory.ini", inventory), "-f", n, "-m", "raw",
                    "-a", "true"};
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
                << (results[i].ok() ? "exit " + std::to_string(results[i]->exit_status) : results[i].error().message)
                << "\n";
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

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

void print_report(const std::vector<Row>& rows, size_t hosts, int rounds) {
  std::printf("fan-out of `true` to %zu hosts, %d rounds after one warm-up round\n\n", hosts, rounds);
  std::printf("%-12s %10s %10s %10s %17s %14s\n", "wall ms", "median", "min", "max", "client CPU/host", "machine CPU");
  std::vector<double> medians;  // 0: not measured
  for (const auto& r : rows) {
    auto [min, max] = std::minmax_element(r.wall_ms.begin(), r.wall_ms.end());
    medians.push_back(r.wall_ms.empty() ? 0 : median(r.wall_ms));
    if (r.wall_ms.empty()) std::printf("%-12s %s\n", r.name.c_str(), r.problem.c_str());
    else if (r.machine_cpu_ms.empty()) std::printf("%-12s %10.1f %10.1f %10.1f %14.2f ms\n", r.name.c_str(), medians.back(), *min, *max,
                     median(r.cpu_ms_per_host));
    else std::printf("%-12s %10.1f %10.1f %10.1f %14.2f ms %11.0f ms\n", r.name.c_str(), medians.back(), *min, *max,
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
  char work_template[] = "/tmp/skiff-bench-fanout-XXXXXX";
  if (!::mkdtemp(work_template)) throw std::runtime_error("mkdtemp failed");
  const std::string work = work_template;
  const bool own_fleet = fleet_dir.empty();
  const std::string fleet = own_fleet ? work + "/fleet" : fleet_dir;
  start_teardown_watchdog(work, own_fleet ? fleet : "");
  if (own_fleet) {
    std::fprintf(stderr, "bench_fanout: bringing up %zu hosts in %s\n", n, fleet.c_str());
    if (!run_program({fleet_script(), "up", std::to_string(n), "--dir", fleet}, "", true).ok) {
      throw std::runtime_error("fleet up failed");
    }
  }
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
