// bench/reconcile: the GitOps loop's figures (issue 18). Brings up --hosts N
// test hosts (default 50; tests/fleet/fleet, as root; torn down however the
// run ends) or uses the first N of --fleet-dir DIR, and makes a git
// repository (the git command, in the work dir) of --jobs J job files
// (default 1,000: raw_exec `sleep`, one allocation each, pinned round-robin
// so that every host runs J/N), a hosts.hcl of the hosts and a skiff.hcl
// with their known_hosts. The state lives outside it (--state). Then:
//
// 1. The first cycle (`skiff reconcile --once`, which starts every
//    allocation), then the no-change cycle (fetch, load the commit, lock
//    and read the state, observe every host, plan, record) timed --rounds R
//    times (default 7) in this process with ReconcileCycle: warm (one
//    cycle kept with keep_connections, as the --watch loop keeps it, after
//    a cycle that connects) and cold (a fresh ReconcileCycle each time, new
//    SSH logins), and `skiff reconcile --once` three times (a process start
//    too). The warm cycle's parts are timed apart as well. Beside them the
//    peers' published figures, as text: nothing of theirs runs here.
// 2. The built binary (--skiff PATH; default: the one at the root of this
//    build) as `skiff reconcile --watch --interval 30s --listen ...` in a
//    child process: after its first cycle, its CPU (utime + stime of
//    /proc/PID/stat, every thread) over a window with no cycle in it (20 s,
//    shortened to end a second before the next cycle could start), its RSS
//    and its peak RSS.
// 3. Push to running: a commit that changes one job's env (forcing a new
//    allocation), a signed GitHub push webhook to the loop, and the time
//    until the state file records the new allocation running (the file is
//    read again each time skiff renames a new one over it: inotify).
//
// The targets: a warm no-change cycle under 1 s; the loop idle under 1% of
// a core. Since the test hosts share this machine's cores, and some days it
// starts programs several times slower than others, the report begins with
// how busy the machine was before the fleet came up and what a fork + exec
// costs. --quick runs a smoke test of all of it on 5 hosts and 100 jobs.
// Every process this benchmark starts is killed by its PID if it outlives
// the run (PR_SET_PDEATHSIG, and at exit); on a --fleet-dir fleet, which
// outlives the run, a last commit without jobs (--prune) stops what it
// started.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/digest.hpp"
#include "bench/support/bench_fleet.hpp"
#include "cli/commit_load.hpp"
#include "cli/fleet_view.hpp"
#include "cli/locked_state.hpp"
#include "cli/planning.hpp"
#include "cli/reconcile_cycle.hpp"
#include "drivers/git/libgit2_source.hpp"
#include "parser/environment.hpp"
#include "reconciler/reconcile_metrics.hpp"

using namespace skiff;
using namespace skiff::bench;

namespace {

struct Options {
  size_t hosts = 50;
  size_t jobs = 1000;
  int rounds = 7;
  double idle_s = 20;
  bool quick = false;
  std::string skiff;      // empty: the skiff binary of this build
  std::string fleet_dir;  // empty: bring up our own fleet
};

// Where everything of one run lives, below the work dir.
struct Paths {
  std::string fleet, work, repo, state, cache, secret;
};

// The watch loop's log while it runs: kept in /tmp when we fail.
std::string g_watch_log;

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "bench_reconcile: " << what << "\n";
  std::error_code ec;
  if (!g_watch_log.empty() &&
      std::filesystem::copy_file(g_watch_log, "/tmp/bench_reconcile-watch.log", std::filesystem::copy_options::overwrite_existing,
                                 ec))
    std::cerr << "bench_reconcile: the watch loop's log: /tmp/bench_reconcile-watch.log\n";
  std::exit(1);  // the atexit handlers kill our watch loop, then tear the fleet down
}

std::string read_file(const std::string& path) {
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// --- child processes -------------------------------------------------------

// The watch loop while it runs: killed (SIGKILL, by its PID) when we exit
// early; PR_SET_PDEATHSIG covers the ways of ending that run no handler.
pid_t g_watch_pid = -1;

void kill_watch_loop() {
  if (g_watch_pid <= 0) return;
  ::kill(g_watch_pid, SIGKILL);
  while (::waitpid(g_watch_pid, nullptr, 0) < 0 && errno == EINTR) {}
  g_watch_pid = -1;
}

struct Child {
  pid_t pid = -1;
  Clock::time_point started;
};

// Starts argv with stdin from /dev/null and stdout+stderr to `log`; it is
// killed when this process ends.
Child start_child(const Argv& argv, const std::string& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  Child child{-1, Clock::now()};
  child.pid = ::fork();
  if (child.pid < 0) fail("fork failed");
  if (child.pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(::open("/dev/null", O_RDONLY), 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return child;
}

struct Exit {
  int code;  // the exit status; 128 + N for a signal
  double wall_ms, cpu_ms;
  std::string output;
};

Exit wait_child(const Child& child, const std::string& log) {
  int status = 0;
  rusage usage{};
  while (::wait4(child.pid, &status, 0, &usage) < 0 && errno == EINTR) {}
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return {code, ms_since(child.started), cpu_ms(usage), read_file(log)};
}

// SIGTERM, then up to 30 s for it to exit, else SIGKILL; its exit.
Exit stop_child(const Child& child, const std::string& log) {
  ::kill(child.pid, SIGTERM);
  int status = 0;
  rusage usage{};
  const Clock::time_point asked = Clock::now();
  while (::wait4(child.pid, &status, WNOHANG, &usage) != child.pid) {
    if (ms_since(asked) > 30000) {
      std::cerr << "bench_reconcile: the watch loop did not exit 30 s after SIGTERM: killed\n";
      ::kill(child.pid, SIGKILL);
      return wait_child(child, log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return {code, ms_since(child.started), cpu_ms(usage), read_file(log)};
}

Exit run(const Argv& argv, const std::string& log) { return wait_child(start_child(argv, log), log); }

// git in the repository, as a bench user; what it printed.
std::string git(const Paths& p, Argv args) {
  Argv argv{"git", "-C", p.repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  Exit e = run(argv, p.work + "/git.log");
  if (e.code != 0) fail("git " + args.front() + " failed:\n" + e.output);
  return e.output;
}

// bench_reconcile lives in BUILD/bench; skiff in BUILD.
std::string default_skiff() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "skiff").string();
}

// --- the repository --------------------------------------------------------

std::string job_name(size_t i) {
  char name[32];
  std::snprintf(name, sizeof(name), "sleep-%04zu", i);
  return name;
}

// A sleeper pinned to one host (1,000 jobs of one allocation each would
// otherwise be binpacked onto a few hosts), gated on health with no wait.
std::string sleeper_job(size_t i, const std::string& host, const std::string& version) {
  return "job \"" + job_name(i) +
      "\" {\n  group \"g\" {\n    constraint {\n      attribute = \"${node.unique.name}\"\n      value     = \"" + host +
      "\"\n    }\n    update {\n      min_healthy_time = \"0s\"\n      healthy_deadline = \"5m\"\n    }\n"
      "    task \"sleep\" {\n      driver = \"raw_exec\"\n      config {\n        command = \"/bin/sleep\"\n"
      "        args    = [\"100000\"]\n      }\n      env {\n        BENCH_VERSION = \"" +
      version + "\"\n      }\n      resources {\n        cpu    = 20\n        memory = 16\n      }\n    }\n  }\n}\n";
}

std::string job_path(const Paths& p, size_t i) { return p.repo + "/jobs/" + job_name(i) + ".nomad.hcl"; }

// skiff.hcl, hosts.hcl and the job files, committed on main.
void make_repository(const Paths& p, const Hosts& hosts, size_t jobs) {
  std::filesystem::create_directories(p.repo + "/jobs");
  write_file(p.repo + "/skiff.hcl",
             "inventory = \"hosts.hcl\"\n\nssh {\n  known_hosts = \"" + p.fleet +
                 "/known_hosts\"\n  strict_host_key_checking = \"yes\"\n  connect_timeout = \"5s\"\n}\n");
  std::string inventory;
  for (const auto& h : hosts)
    inventory += "host \"" + h.name + "\" {\n  address = \"" + h.address + "\"\n  port = " + std::to_string(h.port) +
        "\n  user = \"root\"\n  identity_file = \"" + p.fleet + "/client_key\"\n}\n\n";
  write_file(p.repo + "/hosts.hcl", inventory);
  for (size_t i = 0; i < jobs; ++i) write_file(job_path(p, i), sleeper_job(i, hosts[i % hosts.size()].name, "1"));
  git(p, {"init", "-q", "-b", "main"});
  git(p, {"add", "-A"});
  git(p, {"commit", "-q", "-m", "bench: " + std::to_string(jobs) + " sleepers"});
}

std::string head_commit(const Paths& p) {
  std::string id = git(p, {"rev-parse", "HEAD"});
  return id.substr(0, id.find_first_of(" \n"));
}

// --- the state file --------------------------------------------------------

struct Allocation {
  std::string id, job, host, status;
};

std::vector<Allocation> allocations(const Paths& p) {
  std::vector<Allocation> out;
  try {
    const nlohmann::json state = nlohmann::json::parse(read_file(p.state));
    for (const auto& a : state.at("allocations")) out.push_back({a.at("id"), a.at("job"), a.at("host"), a.at("status")});
  } catch (const std::exception& e) {
    fail("the state file " + p.state + " does not read: " + e.what());
  }
  return out;
}

// --- cycles in this process ------------------------------------------------

struct Spread {
  double median = 0, min = 0, max = 0;
};

Spread spread_of(const std::vector<double>& v) {
  if (v.empty()) return {};
  return {median(v), *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

struct CycleFigures {
  Spread wall, client_cpu, machine_cpu;
  std::vector<double> walls;
};

// A Context whose output is kept, for when a cycle goes wrong.
struct Quiet {
  std::ostringstream out, err;
  parser::OsEnvironment env;
  cli::Context context{out, err, env};
  std::string said() const { return out.str() + err.str(); }
};

cli::ReconcileSettings settings_of(const Paths& p) {
  cli::ReconcileSettings s;
  s.repo = p.repo;
  s.ref = "main";
  s.cache_dir = p.cache;
  s.state_path = p.state;
  return s;
}

// One cycle that must find nothing to change: {wall, own CPU, machine CPU}.
std::array<double, 3> timed_cycle(cli::ReconcileCycle& cycle, Quiet& quiet) {
  quiet.out.str(""), quiet.err.str("");
  cli::ApplyOutput out(quiet.context, false, cli::render_options(true, quiet.context));
  const double cpu = own_cpu_ms(), busy = machine_busy_ms();
  const Clock::time_point start = Clock::now();
  cli::CycleReport report = cycle.run(out, cli::CycleControl{});
  const double wall = ms_since(start);
  if (report.result != cli::CycleResult::kNoChanges)
    fail(std::string("a cycle of an unchanged commit ended ") + std::string(reconciler::cycle_result_name(report.result)) +
         ":\n" + quiet.said());
  return {wall, own_cpu_ms() - cpu, machine_busy_ms() - busy};
}

CycleFigures summarize(const std::vector<std::array<double, 3>>& runs) {
  std::vector<double> wall, cpu, machine;
  for (const auto& r : runs) wall.push_back(r[0]), cpu.push_back(r[1]), machine.push_back(r[2]);
  return {spread_of(wall), spread_of(cpu), spread_of(machine), wall};
}

CycleFigures warm_cycles(const Options& o, const Paths& p) {
  Quiet quiet;
  cli::ReconcileCycle cycle(settings_of(p), true, quiet.context);
  timed_cycle(cycle, quiet);  // connects
  std::vector<std::array<double, 3>> runs;
  for (int i = 0; i < o.rounds; ++i) runs.push_back(timed_cycle(cycle, quiet));
  return summarize(runs);
}

CycleFigures cold_cycles(const Options& o, const Paths& p) {
  Quiet quiet;
  std::vector<std::array<double, 3>> runs;
  for (int i = 0; i < o.rounds; ++i) {
    cli::ReconcileCycle cycle(settings_of(p), false, quiet.context);
    runs.push_back(timed_cycle(cycle, quiet));
  }
  return summarize(runs);
}

// Where a warm cycle's time goes: its parts, each timed apart, on a git
// source and connections kept open as the loop keeps them.
struct Parts {
  Spread fetch, load, lock, observe, plan, save;
};

Parts cycle_parts(const Options& o, const Paths& p) {
  Quiet quiet;
  drivers::GitSourceOptions git{p.repo, "main", p.work + "/cache-parts"};
  Result<std::unique_ptr<drivers::GitSource>> source = drivers::open_libgit2_source(git);
  if (!source.ok()) fail("git source: " + source.error().message);
  std::optional<cli::FleetAccess> fleet;
  std::vector<double> fetch, load, lock, observe, plan, save;
  for (int i = -1; i < o.rounds; ++i) {  // round -1 clones and connects
    Clock::time_point t = Clock::now();
    Result<drivers::GitCommit> head = (*source)->fetch();
    if (!head.ok()) fail("fetch: " + head.error().message);
    fetch.push_back(ms_since(t)), t = Clock::now();
    Result<drivers::GitTree> tree = (*source)->read_tree(head->id, "");
    if (!tree.ok()) fail("read_tree: " + tree.error().message);
    cli::LoadedCommit loaded = cli::load_commit(*tree, {}, quiet.context);
    if (!loaded.ok()) fail("the commit does not load:\n" + quiet.said());
    loaded.workspace->project.state = spec::StateSettings{spec::StateBackend::kLocal, p.state, ""};
    load.push_back(ms_since(t)), t = Clock::now();
    Result<cli::LockedState> locked = cli::lock_state(*loaded.workspace, "bench", std::chrono::milliseconds(0));
    if (!locked.ok()) fail("state lock: " + locked.error().message);
    lock.push_back(ms_since(t));
    if (!fleet) {
      Result<cli::FleetAccess> opened = cli::open_fleet(*loaded.workspace, 0, cli::FleetUse::kChange, quiet.context);
      if (!opened.ok()) fail("open_fleet: " + opened.error().message);
      fleet.emplace(std::move(*opened));
    }
    t = Clock::now();
    cli::FleetView view = cli::observe_fleet(*fleet, *loaded.workspace, cli::Owner{locked->state});
    if (!view.warnings.empty()) fail("observe: " + view.warnings.front());
    observe.push_back(ms_since(t));
    std::optional<state::State> current = locked->state;
    t = Clock::now();
    reconciler::Plan planned = cli::compute(*loaded.jobs, view, current, false);
    plan.push_back(ms_since(t));
    if (reconciler::has_changes(planned)) fail("the plan of an unchanged commit has changes");
    t = Clock::now();
    if (Status saved = locked->store->save(locked->state, locked->state.serial); !saved.ok())
      fail("state save: " + saved.error().message);
    save.push_back(ms_since(t));
  }
  for (auto* v : {&fetch, &load, &lock, &observe, &plan, &save}) v->erase(v->begin());
  return {spread_of(fetch), spread_of(load), spread_of(lock), spread_of(observe), spread_of(plan), spread_of(save)};
}

// --- `skiff reconcile` as a program ----------------------------------------

Argv reconcile_argv(const Options& o, const Paths& p, const std::string& mode) {
  return {o.skiff, "reconcile", mode,    "--repo",      p.repo,  "--ref",
          "main",  "--state",   p.state, "--cache-dir", p.cache, "--no-color"};
}

Exit reconcile_once(const Options& o, const Paths& p, const std::string& name, int expected_code) {
  std::fprintf(stderr, "bench_reconcile: skiff reconcile --once (%s)\n", name.c_str());
  Exit e = run(reconcile_argv(o, p, "--once"), p.work + "/once-" + name + ".log");
  if (e.code != expected_code)
    fail("skiff reconcile --once (" + name + ") exited " + std::to_string(e.code) + ", not " + std::to_string(expected_code) +
         ":\n" + e.output.substr(e.output.size() > 4000 ? e.output.size() - 4000 : 0));
  return e;
}

// The watch loop's log, read as it grows: its lines by their start.
struct LoopLog {
  std::string path;
  size_t count(const std::string& start) const {
    std::istringstream in(read_file(path));
    size_t n = 0;
    for (std::string line; std::getline(in, line);) n += line.rfind(start, 0) == 0;
    return n;
  }
};

constexpr const char* kCycleEnd[] = {"Reconciled commit", "Reconcile failed at"};

size_t cycles_ended(const LoopLog& log) { return log.count(kCycleEnd[0]) + log.count(kCycleEnd[1]); }

// Waits up to `timeout` for `done`, checking every 5 ms; the ms it took, or
// we fail saying `what`.
template <typename Done>
double wait_for(Done done, double timeout_ms, const std::string& what, Clock::time_point since) {
  for (;;) {
    if (done()) return ms_since(since);
    if (ms_since(since) > timeout_ms) fail("timed out waiting for " + what);
    if (g_watch_pid > 0 && ::waitpid(g_watch_pid, nullptr, WNOHANG) == g_watch_pid)
      g_watch_pid = -1, fail("the watch loop ended while waiting for " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

double process_cpu_ms(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // from field 3, the state
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// "VmRSS" -> kB, from /proc/PID/status.
long status_field(pid_t pid, const std::string& name) {
  std::istringstream in(read_file("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(in, line);)
    if (line.rfind(name + ":", 0) == 0) return std::stol(line.substr(name.size() + 1));
  return -1;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    fail("no free port on 127.0.0.1");
  ::close(fd);
  return ntohs(a.sin_port);
}

// POSTs `body` as a signed GitHub push to 127.0.0.1:port; the response's
// status line.
std::string post_push(int port, const std::string& secret, const std::string& body) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) fail("cannot connect to the loop's --listen port");
  const std::string request = "POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
      "\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" +
      base::hmac_sha256_hex(secret, body) + "\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body;
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    fail("the webhook's send failed");
  std::string response;
  char buffer[4096];
  for (ssize_t n; response.find("\r\n") == std::string::npos && (n = ::recv(fd, buffer, sizeof(buffer), 0)) > 0;)
    response.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return response.substr(0, response.find("\r\n"));
}

struct LoopFigures {
  double first_cycle_ms = 0;  // from the start of the program to its first cycle's end
  double window_ms = 0, idle_cpu_ms = 0;
  double cpu_before_ms = 0;                  // the loop's CPU until the window: its first cycle, mostly
  double idle_machine_cores = 0;             // the whole machine's, during the window
  long rss_kb = 0, hwm_kb = 0, threads = 0;  // after the idle window
  long hwm_after_change_kb = 0;
  std::string changed_job, old_alloc, new_alloc, new_host, response;
  double response_ms = 0, trigger_ms = 0, running_ms = 0, cycle_end_ms = 0;
  std::string trigger;  // the loop's "Cycle now: ..." line
  int exit_code = -1;
};

// The commit the webhook announces: job `i`'s env changed, which replaces
// its allocation.
std::string commit_change(const Paths& p, const Hosts& hosts, size_t i) {
  write_file(job_path(p, i), sleeper_job(i, hosts[i % hosts.size()].name, "2"));
  git(p, {"commit", "-q", "-a", "-m", "bench: " + job_name(i) + " BENCH_VERSION 2"});
  return head_commit(p);
}

void idle_window(const Options& o, LoopFigures& f, const LoopLog& log, Clock::time_point cycle_start) {
  // The next cycle starts 27 s (30 s - 10%) after this one began at the earliest.
  const double until_next_ms = 27000 - ms_since(cycle_start) - 1000;
  const double window_ms = std::min(o.idle_s * 1000, until_next_ms);
  if (window_ms < 2000) fail("the first cycle took too long to leave an idle window before the next");
  const size_t ended = cycles_ended(log), started = log.count("Reconciling commit");
  std::fprintf(stderr, "bench_reconcile: the loop idles; sampling its CPU for %.1f s\n", window_ms / 1000);
  const double cpu = f.cpu_before_ms = process_cpu_ms(g_watch_pid), busy = machine_busy_ms();
  const Clock::time_point t = Clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(window_ms)));
  f.idle_cpu_ms = process_cpu_ms(g_watch_pid) - cpu;
  f.window_ms = ms_since(t);
  f.idle_machine_cores = (machine_busy_ms() - busy) / f.window_ms;
  if (cycles_ended(log) != ended || log.count("Reconciling commit") != started) fail("a cycle ran in the idle window");
  f.rss_kb = status_field(g_watch_pid, "VmRSS");
  f.hwm_kb = status_field(g_watch_pid, "VmHWM");
  f.threads = status_field(g_watch_pid, "Threads");
}

// Tells when the state file was saved again (skiff renames a new file over
// it): the state is parsed only then, since parsing takes CPU the loop
// competes for. Not its times and size: two saves within one tick of the
// file system's clock, "pending" then "running", look alike.
class StateChanges {
 public:
  explicit StateChanges(const std::string& path) : name_(std::filesystem::path(path).filename()) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0 || ::inotify_add_watch(fd_, std::filesystem::path(path).parent_path().c_str(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
      fail("inotify on the state's folder failed");
  }
  ~StateChanges() { ::close(fd_); }
  StateChanges(const StateChanges&) = delete;
  StateChanges& operator=(const StateChanges&) = delete;

  // Whether it was saved since the last call.
  bool renamed() {
    alignas(inotify_event) char buffer[8192];
    bool saved = false;
    for (ssize_t n; (n = ::read(fd_, buffer, sizeof(buffer))) > 0;) {
      for (ssize_t at = 0; at < n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
        if (event->len > 0 && name_ == event->name) saved = true;
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
    }
    return saved;
  }

 private:
  std::string name_;
  int fd_ = -1;
};

void push_to_running(const Paths& p, int port, const std::string& secret, const std::string& commit, LoopFigures& f,
                     const LoopLog& log) {
  const size_t ended = cycles_ended(log), triggers = log.count("Cycle now: ");
  StateChanges changes(p.state);
  const std::string body = R"({"ref":"refs/heads/main","after":")" + commit + R"(","repository":{"default_branch":"main"}})";
  std::fprintf(stderr, "bench_reconcile: webhook: push of %s\n", commit.substr(0, 12).c_str());
  const Clock::time_point t = Clock::now();
  f.response = post_push(port, secret, body);
  f.response_ms = ms_since(t);
  if (f.response.find(" 202") == std::string::npos) fail("the webhook was answered " + f.response);
  auto new_allocation_runs = [&] {
    if (!changes.renamed()) return false;
    for (const Allocation& a : allocations(p)) {
      if (a.job != f.changed_job || a.id == f.old_alloc || a.status != "running") continue;
      f.new_alloc = a.id;
      f.new_host = a.host;
      return true;
    }
    return false;
  };
  wait_for(
      [&] {
        if (f.trigger_ms == 0 && log.count("Cycle now: ") > triggers) f.trigger_ms = ms_since(t);
        if (f.running_ms == 0 && new_allocation_runs()) f.running_ms = ms_since(t);
        if (f.cycle_end_ms == 0 && cycles_ended(log) > ended) f.cycle_end_ms = ms_since(t);
        return f.trigger_ms > 0 && f.running_ms > 0 && f.cycle_end_ms > 0;
      },
      180000, "the new allocation of " + f.changed_job + " to run and its cycle to end", t);
  std::istringstream in(read_file(log.path));
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Cycle now: ", 0) == 0) f.trigger = line;
  f.hwm_after_change_kb = status_field(g_watch_pid, "VmHWM");
}

LoopFigures watch_loop(const Options& o, const Paths& p, const Hosts& hosts) {
  LoopFigures f;
  const int port = free_port();
  const std::string secret = "bench-" + std::to_string(::getpid()) + "-" + std::to_string(port);
  write_file(p.secret, secret + "\n");
  ::chmod(p.secret.c_str(), 0600);
  Argv argv = reconcile_argv(o, p, "--watch");
  for (const char* a : {"--interval", "30s", "--listen"}) argv.push_back(a);
  argv.push_back("127.0.0.1:" + std::to_string(port));
  argv.push_back("--webhook-secret-file");
  argv.push_back(p.secret);
  const LoopLog log{p.work + "/watch.log"};
  std::fprintf(stderr, "bench_reconcile: skiff reconcile --watch --interval 30s --listen 127.0.0.1:%d\n", port);
  Child child = start_child(argv, log.path);
  g_watch_log = log.path;
  g_watch_pid = child.pid;
  wait_for([&] { return log.count("Reconciling commit") > 0; }, 60000, "the loop's first cycle to start", child.started);
  const Clock::time_point cycle_start = Clock::now();
  f.first_cycle_ms = wait_for([&] { return cycles_ended(log) > 0; }, 120000, "the loop's first cycle", child.started);
  if (log.count("Reconciled commit") != 1) fail("the loop's first cycle failed:\n" + read_file(log.path));
  f.changed_job = job_name(o.jobs / 2);
  for (const Allocation& a : allocations(p))
    if (a.job == f.changed_job && a.status == "running") f.old_alloc = a.id;
  const std::string commit = commit_change(p, hosts, o.jobs / 2);  // the loop does not look before the webhook
  idle_window(o, f, log, cycle_start);
  push_to_running(p, port, secret, commit, f, log);
  f.exit_code = stop_child(child, log.path).code;
  g_watch_log.clear();
  g_watch_pid = -1;
  return f;
}

// On a --fleet-dir fleet, which outlives the run: a commit without jobs,
// applied with --prune, stops every allocation we started.
void stop_all(const Options& o, const Paths& p) {
  git(p, {"rm", "-q", "-r", "jobs"});
  git(p, {"commit", "-q", "-m", "bench: no jobs"});
  Argv argv = reconcile_argv(o, p, "--once");
  argv.push_back("--prune");
  argv.push_back("--allow-empty");
  std::fprintf(stderr, "bench_reconcile: stopping every allocation (reconcile --once --prune --allow-empty)\n");
  Exit e = run(argv, p.work + "/once-stop.log");
  if (e.code != 2) std::cerr << "bench_reconcile: stopping the allocations failed; they still run:\n" << e.output << "\n";
}

// --- the report ------------------------------------------------------------

void print_cycles(const char* name, const CycleFigures& c, const std::string& note) {
  std::printf("%-40s %7.0f ms %7.0f ms %7.0f ms %9.0f ms %9.0f ms  %s\n", name, c.wall.median, c.wall.min, c.wall.max,
              c.client_cpu.median, c.machine_cpu.median, note.c_str());
}

void print_part(const char* name, const Spread& s) {
  std::printf("  %-44s %7.1f ms  (%.1f to %.1f)\n", name, s.median, s.min, s.max);
}

struct Figures {
  double background_cores = 0;  // the machine's busy cores before the fleet came up
  double fork_exec_ms = 0;      // one fork + exec + wait of /bin/true
  Exit initial{};
  long running_after_initial = 0;
  CycleFigures warm, cold, once;
  Parts parts;
  LoopFigures loop;
};

void print_report(const Options& o, size_t hosts, const Figures& f) {
  std::printf(
      "reconcile: a repository of %zu jobs (raw_exec `sleep`, one allocation each, %zu per host) on %zu hosts, followed\n"
      "on main; the state outside it. A no-change cycle fetches, loads the commit, locks and reads the state, observes\n"
      "every host, plans and records.\n\n",
      o.jobs, o.jobs / hosts, hosts);
  std::printf("the machine: %ld cores, %.2f of them busy before the fleet came up; fork + exec of /bin/true %.1f ms\n\n",
              ::sysconf(_SC_NPROCESSORS_ONLN), f.background_cores, f.fork_exec_ms);
  std::printf("first cycle, `skiff reconcile --once` starting all %zu allocations: %.1f s (%ld running after it)\n\n", o.jobs,
              f.initial.wall_ms / 1000, f.running_after_initial);
  std::printf("%-40s %10s %10s %10s %12s %12s\n", "no-change cycle", "median", "min", "max", "client CPU", "machine CPU");
  print_cycles("warm connections (the --watch loop's)", f.warm, "(" + std::to_string(f.warm.walls.size()) + " cycles)");
  print_cycles("cold connections (a fresh cycle)", f.cold, "(" + std::to_string(f.cold.walls.size()) + " cycles)");
  print_cycles("`skiff reconcile --once`", f.once, "(" + std::to_string(f.once.walls.size()) + " runs, a process each)");
  std::printf("  cold / warm: %.1fx; --once / warm: %.1fx\n", f.cold.wall.median / f.warm.wall.median,
              f.once.wall.median / f.warm.wall.median);
  std::printf("  warm cycles, ms:");
  for (double w : f.warm.walls) std::printf(" %.0f", w);
  std::printf("\n\nwhere a warm cycle's time goes (each part timed apart, medians of %d):\n", o.rounds);
  print_part("fetch (libgit2, a local repository)", f.parts.fetch);
  print_part(("read the tree, load the commit (" + std::to_string(o.jobs) + " job files)").c_str(), f.parts.load);
  print_part("take the state lock, read the state", f.parts.lock);
  print_part(("observe " + std::to_string(hosts) + " hosts (warm connections)").c_str(), f.parts.observe);
  print_part("plan", f.parts.plan);
  print_part("save the state", f.parts.save);
  const Parts& q = f.parts;
  std::printf("  %-44s %7.1f ms  of the warm cycle's %.0f ms\n", "the parts together",
              q.fetch.median + q.load.median + q.lock.median + q.observe.median + q.plan.median + q.save.median,
              f.warm.wall.median);
  std::printf(
      "\npeers, their published figures (not measured here): Flux reconciles 1,000 Kustomizations in 4 min 16 s\n"
      "on 2 CPUs; Argo CD polls each repository every 3 minutes by default\n");
  const LoopFigures& l = f.loop;
  const double idle_pct = l.idle_cpu_ms / l.window_ms * 100;
  std::printf("\n`skiff reconcile --watch --interval 30s --listen 127.0.0.1:PORT --webhook-secret-file F`:\n");
  std::printf("  first cycle (connects to every host) ended %.0f ms after the program started\n", l.first_cycle_ms);
  std::printf(
      "  idle between cycles: %.0f ms of CPU in %.1f s = %.3f%% of a core (utime + stime of its %ld threads; %.0f ms ticks)\n",
      l.idle_cpu_ms, l.window_ms / 1000, idle_pct, l.threads, 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK)));
  std::printf("    (its CPU until the window, the first cycle mostly: %.0f ms; the whole machine meanwhile: %.2f cores busy)\n",
              l.cpu_before_ms, l.idle_machine_cores);
  std::printf("  memory: VmRSS %.1f MB, VmHWM %.1f MB after the first cycle; VmHWM %.1f MB after the change's cycle\n",
              l.rss_kb / 1024.0, l.hwm_kb / 1024.0, l.hwm_after_change_kb / 1024.0);
  std::printf("\npush to running: a commit changes %s's env (a new allocation), a signed GitHub push webhook\n",
              l.changed_job.c_str());
  std::printf("  POST /hooks/github answered \"%s\" in %.1f ms\n", l.response.c_str(), l.response_ms);
  std::printf("  the loop said, %.0f ms after the POST: %s\n", l.trigger_ms, l.trigger.c_str());
  std::printf("  new allocation %s (on %s; was %s) running in the state: %.0f ms after the POST\n",
              l.new_alloc.substr(0, 8).c_str(), l.new_host.c_str(), l.old_alloc.substr(0, 8).c_str(), l.running_ms);
  std::printf("  its cycle ended (health gate passed, state recorded): %.0f ms after the POST\n", l.cycle_end_ms);
  std::printf("  SIGTERM: the loop exited %d\n", l.exit_code);
  std::printf("\ntargets:\n  %-48s %s\n  %-48s %s\n",
              "no-change cycle under 1 s, warm connections:", f.warm.wall.median < 1000 ? "met" : "NOT met",
              "watch loop idle under 1% of a core:", idle_pct < 1 ? "met" : "NOT met");
}

// How busy and how quick the machine is before we start: other work on its
// cores slows every figure, and some days it starts programs several times
// slower than others (README, Figures).
void measure_machine(Figures& f) {
  const double busy = machine_busy_ms();
  const Clock::time_point t = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  f.background_cores = (machine_busy_ms() - busy) / ms_since(t);
  const Clock::time_point e = Clock::now();
  for (int i = 0; i < 50; ++i) run({"/bin/true"}, "/dev/null");
  f.fork_exec_ms = ms_since(e) / 50;
}

int run_bench(const Options& o) {
  Figures f;
  measure_machine(f);
  const BenchFleet bench = prepare_fleet("reconcile", o.hosts, o.fleet_dir);
  std::atexit(kill_watch_loop);  // runs before the teardown's wait
  const Hosts hosts = load_hosts(bench.fleet_dir, o.hosts);
  const std::string w = bench.work_dir;
  const Paths p{bench.fleet_dir, w, w + "/repo", w + "/state/state.json", w + "/cache", w + "/webhook-secret"};
  std::filesystem::create_directories(w + "/state");
  std::fprintf(stderr, "bench_reconcile: a repository of %zu jobs on %zu hosts\n", o.jobs, hosts.size());
  make_repository(p, hosts, o.jobs);
  f.initial = reconcile_once(o, p, "initial", 2);
  std::map<std::string, long> statuses;
  for (const Allocation& a : allocations(p)) ++statuses[a.status];
  f.running_after_initial = statuses["running"];
  if (f.running_after_initial != static_cast<long>(o.jobs)) {
    std::string tally;
    for (const auto& [status, n] : statuses) tally += " " + status + " " + std::to_string(n);
    fail("the first cycle did not start every allocation (" + tally + " ); it said:\n" +
         f.initial.output.substr(f.initial.output.size() > 3000 ? f.initial.output.size() - 3000 : 0));
  }
  std::fprintf(stderr, "bench_reconcile: %d cold no-change cycles\n", o.rounds);
  f.cold = cold_cycles(o, p);
  std::fprintf(stderr, "bench_reconcile: %d warm no-change cycles\n", o.rounds);
  f.warm = warm_cycles(o, p);
  std::fprintf(stderr, "bench_reconcile: a warm cycle's parts\n");
  f.parts = cycle_parts(o, p);
  std::vector<std::array<double, 3>> once;
  for (int i = 0; i < 3; ++i) {
    const double busy = machine_busy_ms();
    Exit e = reconcile_once(o, p, "noop-" + std::to_string(i), 0);
    once.push_back({e.wall_ms, e.cpu_ms, machine_busy_ms() - busy});
  }
  f.once = summarize(once);
  f.loop = watch_loop(o, p, hosts);
  if (!o.fleet_dir.empty()) stop_all(o, p);  // our own fleet goes down with its tasks
  print_report(o, hosts.size(), f);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool usage = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--quick") {
      o.quick = true, o.hosts = 5, o.jobs = 100, o.rounds = 5, o.idle_s = 5;
      continue;
    }
    if (i + 1 >= argc) {
      usage = true;
      break;
    }
    const std::string value = argv[++i];
    if (flag == "--hosts") o.hosts = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--jobs") o.jobs = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--rounds") o.rounds = std::atoi(value.c_str());
    else if (flag == "--idle") o.idle_s = std::atof(value.c_str());
    else if (flag == "--skiff") o.skiff = value;
    else if (flag == "--fleet-dir") o.fleet_dir = value;
    else usage = true;
  }
  if (usage || o.hosts < 1 || o.hosts > 200 || o.jobs < o.hosts || o.jobs > 9999 || o.rounds < 5 || o.idle_s < 2) {
    std::fprintf(stderr,
                 "usage: bench_reconcile [--quick] [--hosts 1-200] [--jobs J >= hosts] [--rounds R >= 5] [--idle SECONDS]\n"
                 "                       [--skiff PATH] [--fleet-dir DIR]\n"
                 "  --quick: 5 hosts, 100 jobs, 5 rounds, a 5 s idle window (flags after it override it)\n");
    return 2;
  }
  o.skiff = o.skiff.empty() ? default_skiff() : std::filesystem::absolute(o.skiff).string();
  if (::access(o.skiff.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "bench_reconcile: no skiff binary at %s (--skiff PATH)\n", o.skiff.c_str());
    return 2;
  }
  try {
    return run_bench(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_reconcile: %s\n", e.what());
    return 1;
  }
}
