#include "bench/support/bench_fleet.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "drivers/shell_quote.hpp"

namespace skiff::bench {

std::string fleet_script() { return std::string(SKIFF_SOURCE_DIR) + "/tests/fleet/fleet"; }

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double cpu_ms(const rusage& u) {
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

double own_cpu_ms() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return cpu_ms(u);
}

// Busy = user, nice, system, irq, softirq, steal of the aggregate cpu line.
double machine_busy_ms() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return (user + nice + system + irq + softirq + steal) * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

namespace {

// The watchdog reads a pipe that only this process holds (close-on-exec: no
// tool we run inherits it), so EOF on it means we ended, however we ended.
int g_watchdog_pipe = -1;
pid_t g_watchdog = -1;

void wait_for_teardown() {  // async-signal-safe: also runs from signal handlers
  ::close(g_watchdog_pipe);
  while (::waitpid(g_watchdog, nullptr, 0) < 0 && errno == EINTR) {}
}

}  // namespace

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
    while (::read(fds[0], &byte, 1) < 0 && errno == EINTR) {}
    ::execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  g_watchdog_pipe = fds[1];
  std::atexit(wait_for_teardown);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, [](int s) { wait_for_teardown(), ::_exit(128 + s); });
}

Finished run_program(const Argv& argv, const std::string& log, bool shielded) {
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
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {}
  Finished f{WIFEXITED(status) && WEXITSTATUS(status) == 0, ms_since(start), cpu_ms(usage)};
  if (shielded) ::sigprocmask(SIG_SETMASK, &old, nullptr);  // a held ^C ends us here
  return f;
}

Hosts load_hosts(const std::string& fleet_dir, size_t limit) {
  std::ifstream in(fleet_dir + "/hosts.tsv");
  Hosts hosts;
  drivers::SshTarget t;
  t.user = "root";
  t.identity_files = {fleet_dir + "/client_key"};
  t.known_hosts_files = {fleet_dir + "/known_hosts"};
  t.strict = drivers::StrictHostKeys::kYes;
  for (std::string line; std::getline(in, line) && hosts.size() < limit;) {
    if (!line.empty() && line[0] != '#' && std::istringstream(line) >> t.name >> t.address >> t.port) {
      hosts.push_back(t);
    }
  }
  if (hosts.empty()) throw std::runtime_error("no hosts in " + fleet_dir + "/hosts.tsv");
  return hosts;
}

BenchFleet prepare_fleet(const std::string& bench_name, size_t hosts, const std::string& existing_fleet_dir) {
  std::string work_template = "/tmp/skiff-bench-" + bench_name + "-XXXXXX";
  if (!::mkdtemp(work_template.data())) throw std::runtime_error("mkdtemp failed");
  const bool own_fleet = existing_fleet_dir.empty();
  BenchFleet fleet{work_template, own_fleet ? work_template + "/fleet" : existing_fleet_dir};
  start_teardown_watchdog(fleet.work_dir, own_fleet ? fleet.fleet_dir : "");
  if (own_fleet) {
    std::fprintf(stderr, "bench_%s: bringing up %zu hosts in %s\n", bench_name.c_str(), hosts, fleet.fleet_dir.c_str());
    if (!run_program({fleet_script(), "up", std::to_string(hosts), "--dir", fleet.fleet_dir}, "", true).ok) {
      throw std::runtime_error("fleet up failed");
    }
  }
  return fleet;
}

}  // namespace skiff::bench
