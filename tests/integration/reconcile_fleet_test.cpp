// skiff reconcile end to end on the test fleet: the repository is a bare
// git repository on a fleet host, served by that host's sshd and fetched
// over ssh:// with strict known_hosts (a HOME of the test's own holds
// ~/.ssh/config and ~/.ssh/known_hosts); the jobs run on the fleet's hosts,
// and what runs is checked on the hosts themselves (allocation folders,
// status files, /proc). Covered: --once through add, rolling update, a
// broken commit and its fix; --watch restoring an allocation whose
// processes were killed; SIGTERM in the middle of a rollout; two loops on
// one state; --verify-signatures with SSH-signed commits.
//
// Every process a test starts is stopped by its PID when the test ends,
// however it ends, and every job it placed is stopped and purged.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/shell_quote.hpp"
#include "integration/apply_support.hpp"
#include "support/background_skiff.hpp"
#include "support/git_repo.hpp"
#include "support/test_files.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using skiff::drivers::shell_join;
using skiff::drivers::shell_quote;
using skiff::testing::fleet;
using skiff::testing::GitRepo;
using skiff::testing::occurrences;
using skiff::testing::on_host;
using skiff::testing::read_test_file;
using skiff::testing::sh;
using skiff::testing::ShellResult;
using skiff::testing::skiff_in;
using skiff::testing::TestFleet;
using skiff::testing::write_test_file;

using Clock = std::chrono::steady_clock;

// A service of `count` raw_exec copies rolled one at a time, env V =
// `version`; the task's command line is the same in every version, so the
// version is read from the process's environment.
std::string service(const std::string& name, int count, const std::string& version, const std::string& min_healthy = "1s") {
  return "job \"" + name + "\" {\n  group \"g\" {\n    count = " + std::to_string(count) +
      "\n    update {\n      max_parallel     = 1\n      min_healthy_time = \"" + min_healthy +
      "\"\n      healthy_deadline = \"30s\"\n    }\n    task \"t\" {\n      driver = \"raw_exec\"\n      env {\n        V = \"" +
      version +
      "\"\n      }\n      config {\n        command = \"/bin/sh\"\n"
      "        args    = [\"-c\", \"while :; do sleep 1; done\"]\n      }\n    }\n  }\n}\n";
}

// An allocation a fleet host really runs: its folder, a status file saying
// running, and a live task process.
struct HostAllocation {
  std::string id;
  std::string host;
  std::string version;  // the task's V
  bool operator<(const HostAllocation& o) const { return id < o.id; }
};

// The allocations of `job` that the fleet's hosts run, read on each host:
// the folders under /var/lib/skiff/allocs whose alloc.json names the job,
// whose task's status file says running and whose task PID is alive.
std::vector<HostAllocation> running_on_hosts(const TestFleet& f, const std::string& job) {
  const std::string script =
      "for d in /var/lib/skiff/allocs/*/; do "
      "[ -f \"$d/alloc.json\" ] || continue; "
      "grep -q -F '\"job\":\"" +
      job +
      "\"' \"$d/alloc.json\" || continue; "
      "s=$(sed -n 's/^state=//p' \"$d/t/.skiff/status\" 2>/dev/null); "
      "p=$(sed -n 's/^pid=//p' \"$d/t/.skiff/status\" 2>/dev/null); "
      "[ \"$s\" = running ] && [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null || continue; "
      "v=$(tr '\\0' '\\n' < /proc/$p/environ | sed -n 's/^V=//p'); "
      "echo \"$(basename \"$d\") $v\"; done";
  std::vector<HostAllocation> out;
  for (const auto& host : f.hosts()) {
    ShellResult r = on_host(f, host.name, script);
    std::istringstream lines(r.output);
    for (std::string id, version; lines >> id >> version;) out.push_back({id, host.name, version});
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const std::vector<HostAllocation>& allocations) {
  std::string out;
  for (const auto& a : allocations) out += a.id + " on " + a.host + " V=" + a.version + "\n";
  return out.empty() ? "(none)\n" : out;
}

// The versions the hosts run of `job`, one per allocation, sorted.
std::vector<std::string> versions(const std::vector<HostAllocation>& allocations) {
  std::vector<std::string> out;
  for (const auto& a : allocations) out.push_back(a.version);
  std::sort(out.begin(), out.end());
  return out;
}

// One test's GitOps set-up on the fleet:
// - a bare repository /root/NAME.git on the fleet's last host, served by
//   its sshd;
// - a work tree here (prod/: skiff.hcl, the fleet's inventory, jobs/) that
//   commits as Ada and pushes to it over ssh with the fleet's key and
//   known_hosts;
// - the folder reconcile runs in, FLEET/NAME, whose .skiff/state.json is
//   the state (--state) and whose skiff.hcl lets `job stop` reach it;
// - a HOME whose ~/.ssh/config calls the git host "gitbox" (address, user,
//   the fleet's key) and whose ~/.ssh/known_hosts holds that host's key
//   alone: reconcile fetches ssh://gitbox/root/NAME.git.
// At scope exit the jobs listed in `jobs` are stopped and purged, and the
// bare repository removed.
class GitOps {
 public:
  GitOps(TestFleet& f, const std::string& name) : f_(f), name_(name), repo_(name), git_host_(f.hosts().back()) {
    ops_ = skiff::testing::make_project(f, name, "");
    home_ = repo_.root / "home";
    write_test_file(home_ / ".ssh/config",
                    "Host gitbox\n  HostName " + git_host_.address + "\n  User root\n  IdentityFile " + f.client_key() +
                        "\n  IdentitiesOnly yes\n");
    ShellResult key = sh("grep -F " + shell_quote(git_host_.address + " ") + " " + shell_quote(f.known_hosts()));
    REQUIRE(key.status == 0);
    write_test_file(home_ / ".ssh/known_hosts", key.output);
    ShellResult bare = on_host(f, git_host_.name, "rm -rf " + bare_path() + " && git init -q --bare -b main " + bare_path());
    INFO(bare.output);
    REQUIRE(bare.status == 0);
    repo_.write("prod/skiff.hcl",
                "jobs      = [\"jobs\"]\ninventory = \"inventory.hcl\"\n\nssh {\n  known_hosts = \"" + f.known_hosts() +
                    "\"\n  strict_host_key_checking = \"yes\"\n  connect_timeout = \"5s\"\n}\n");
    repo_.write("prod/inventory.hcl", read_test_file(f.dir() + "/inventory.hcl"));
  }
  ~GitOps() {
    for (const std::string& job : jobs) skiff_in(ops_, "job stop -purge -auto-approve -no-color " + job);
    on_host(f_, git_host_.name, "rm -rf " + bare_path());
    std::error_code ignored;
    fs::remove_all(ops_, ignored);
  }
  GitOps(const GitOps&) = delete;
  GitOps& operator=(const GitOps&) = delete;

  GitRepo& repo() { return repo_; }
  const GitRepo& repo() const { return repo_; }
  const std::string& ops() const { return ops_; }
  std::string state_path() const { return ops_ + "/.skiff/state.json"; }
  std::string url() const { return "ssh://gitbox" + bare_path(); }
  const std::string& git_host() const { return git_host_.name; }
  const fs::path& home() const { return home_; }

  void write_job(const std::string& job, const std::string& text) { repo_.write("prod/jobs/" + job + ".nomad.hcl", text); }

  // Commits the work tree and pushes it; the commit's id.
  std::string commit(const std::string& message) {
    const std::string id = repo_.commit(message);
    push();
    return id;
  }
  void push() const {
    const std::string ssh = "ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i " + shell_quote(f_.client_key()) +
        " -o UserKnownHostsFile=" + shell_quote(f_.known_hosts()) + " -o StrictHostKeyChecking=yes";
    ShellResult pushed = sh("cd " + shell_quote(repo_.work.string()) + " && GIT_SSH_COMMAND=" + shell_quote(ssh) +
                            " git push -q " + shell_quote("ssh://root@" + git_host_.address + bare_path()) + " main");
    INFO(pushed.output);
    REQUIRE(pushed.status == 0);
  }

  // reconcile's arguments: `mode` (--once, --watch ...), the repository
  // over ssh, prod/, a cache of `cache`'s name, the state, and `extra`.
  std::vector<std::string> reconcile_args(const std::vector<std::string>& mode, const std::string& cache = "cache",
                                          const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"reconcile"};
    args.insert(args.end(), mode.begin(), mode.end());
    for (const std::string& a :
         {std::string("--no-color"), std::string("--repo"), url(), std::string("--path"), std::string("prod"),
          std::string("--cache-dir"), (repo_.root / cache).string(), std::string("--state"), state_path()})
      args.push_back(a);
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // `skiff reconcile --once ...` in the ops folder with the test's HOME;
  // stderr joins stdout.
  ShellResult once(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> argv{"env", "-u", "SSH_AUTH_SOCK", "HOME=" + home_.string(), SKIFF_BINARY};
    for (const std::string& a : reconcile_args({"--once"}, "cache", extra)) argv.push_back(a);
    return sh("cd " + shell_quote(ops_) + " && " + shell_join(argv));
  }

  nlohmann::json state() const { return nlohmann::json::parse(read_test_file(state_path())); }

  // Stops and purges the jobs listed; false when one cannot be.
  bool stop_jobs() {
    bool ok = true;
    for (const std::string& job : jobs) {
      ShellResult r = skiff_in(ops_, "job stop -purge -auto-approve -no-color " + job);
      UNSCOPED_INFO("job stop " + job + ":\n" + r.output);
      ok = ok && r.status == 0;
    }
    jobs.clear();
    return ok;
  }

  std::vector<std::string> jobs;

 private:
  std::string bare_path() const { return "/root/" + name_ + ".git"; }

  TestFleet& f_;
  std::string name_;
  GitRepo repo_;
  skiff::testing::FleetHost git_host_;
  std::string ops_;
  fs::path home_;
};

// `skiff reconcile --watch ...` as a child process of this test, started
// directly (no shell between: its PID is skiff's) in the ops folder with
// the test's HOME, stdout and stderr into a log. Signalled and waited for
// by its PID; at scope exit, however the test ends, it gets SIGTERM, then
// SIGKILL after 20 s. Should this test binary die first, the kernel sends
// it SIGTERM (PR_SET_PDEATHSIG).
class WatchLoop {
 public:
  WatchLoop(const GitOps& g, const std::vector<std::string>& args, const std::string& log_name)
      : log_((g.repo().root / log_name).string()) {
    // Everything the child needs is made before fork: after it, the child
    // calls only what is safe in a forked copy of a threaded process.
    std::vector<std::string> argv{SKIFF_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env{"HOME=" + g.home().string()};
    for (char** e = environ; *e; ++e) {
      const std::string entry = *e;
      if (entry.rfind("HOME=", 0) != 0 && entry.rfind("SSH_AUTH_SOCK=", 0) != 0) env.push_back(entry);
    }
    std::vector<char*> argv_c, env_c;
    for (std::string& a : argv) argv_c.push_back(a.data());
    argv_c.push_back(nullptr);
    for (std::string& e : env) env_c.push_back(e.data());
    env_c.push_back(nullptr);
    const std::string dir = g.ops();
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
      const int out = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int null = ::open("/dev/null", O_RDONLY);
      if (out < 0 || null < 0 || ::chdir(dir.c_str()) != 0) ::_exit(127);
      ::dup2(null, 0);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execve(argv_c[0], argv_c.data(), env_c.data());
      ::_exit(127);
    }
  }
  ~WatchLoop() {
    if (exited_) return;
    ::kill(pid_, SIGTERM);
    if (wait_exit(20s)) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  WatchLoop(const WatchLoop&) = delete;
  WatchLoop& operator=(const WatchLoop&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signal) const {
    if (!exited_) ::kill(pid_, signal);
  }
  std::string log() const { return read_test_file(log_); }

  // Whether the log holds `text` (after its first `from` bytes) within `limit`.
  bool await_text(const std::string& text, std::chrono::milliseconds limit, size_t from = 0) const {
    const auto deadline = Clock::now() + limit;
    for (;;) {
      const std::string now = log();
      if (now.size() > from && now.find(text, from) != std::string::npos) return true;
      if (Clock::now() >= deadline) return false;
      std::this_thread::sleep_for(50ms);
    }
  }

  // The exit code, once it exited within `limit`.
  std::optional<int> wait_exit(std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    for (;;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (Clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(20ms);
    }
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

std::string short_id(const std::string& id) { return id.substr(0, 12); }

}  // namespace

TEST_CASE("reconcile --once over ssh from a fleet host: add, rolling update, a broken commit kept out, its fix applied",
          "[integration][reconcile_fleet]") {
  TestFleet& f = fleet();
  GitOps g(f, "rf-once");
  g.jobs = {"rf-once"};

  // Add: placed and running on fleet hosts.
  g.write_job("rf-once", service("rf-once", 2, "1"));
  const std::string added = g.commit("add rf-once");
  ShellResult add = g.once();
  INFO(add.output);
  REQUIRE(add.status == 2);
  CHECK_THAT(add.output,
             Catch::Contains("Reconciling commit " + short_id(added) + " by Ada <ada@example.com>: add rf-once (" + g.url() +
                             " ref HEAD path prod)"));
  CHECK_THAT(
      add.output,
      Catch::Contains("Reconciled commit " + short_id(added) + " by Ada <ada@example.com>: add rf-once: changes applied."));
  const std::vector<HostAllocation> first = running_on_hosts(f, "rf-once");
  INFO("after add:\n" << describe(first));
  REQUIRE(versions(first) == std::vector<std::string>{"1", "1"});
  CHECK(first[0].host != first[1].host);

  // Change: a rolling update, one allocation a wave.
  g.write_job("rf-once", service("rf-once", 2, "2"));
  const std::string changed = g.commit("rf-once V=2");
  ShellResult update = g.once();
  INFO(update.output);
  REQUIRE(update.status == 2);
  CHECK_THAT(update.output, Catch::Contains("env.V: \"1\" => \"2\" (forces create/destroy update)"));
  CHECK_THAT(update.output, Catch::Contains("Wave 1: 1 allocation(s) healthy"));
  CHECK_THAT(update.output, Catch::Contains("Wave 2: 1 allocation(s) healthy"));
  const std::vector<HostAllocation> second = running_on_hosts(f, "rf-once");
  INFO("after the update:\n" << describe(second));
  REQUIRE(versions(second) == std::vector<std::string>{"2", "2"});
  for (const HostAllocation& a : second)
    for (const HostAllocation& old : first) CHECK(a.id != old.id);
  CHECK(g.state()["reconcile"]["applied_commit"] == changed);

  // Break: refused with the file's path in the followed folder, line and
  // column; nothing of it applied, what runs stays.
  g.write_job("rf-once", "job \"rf-once\" {\n  group \"g\" {\n    count = \n  }\n}\n");
  const std::string broken = g.commit("break rf-once");
  ShellResult refused = g.once();
  INFO(refused.output);
  CHECK(refused.status == 1);
  CHECK_THAT(refused.output, Catch::Contains("jobs/rf-once.nomad.hcl:3:11: error: attribute \"count\" has no value"));
  CHECK_THAT(refused.output,
             Catch::Contains("commit " + short_id(broken) +
                             " by Ada <ada@example.com>: break rf-once is not applied: jobs/rf-once.nomad.hcl:3:11: "
                             "attribute \"count\" has no value; what runs stays as it is"));
  CHECK(describe(running_on_hosts(f, "rf-once")) == describe(second));
  CHECK(versions(running_on_hosts(f, "rf-once")) == std::vector<std::string>{"2", "2"});
  nlohmann::json state = g.state();
  CHECK(state["reconcile"]["applied_commit"] == changed);
  CHECK(state["reconcile"]["attempted_commit"] == broken);
  CHECK_THAT(state["reconcile"]["attempted_error"].get<std::string>(), Catch::Contains("jobs/rf-once.nomad.hcl:3:11"));

  // Fix: applied at once (--once keeps no back-off).
  g.write_job("rf-once", service("rf-once", 2, "3"));
  const std::string fixed = g.commit("fix rf-once");
  ShellResult fix = g.once();
  INFO(fix.output);
  CHECK(fix.status == 2);
  CHECK_THAT(
      fix.output,
      Catch::Contains("Reconciled commit " + short_id(fixed) + " by Ada <ada@example.com>: fix rf-once: changes applied."));
  CHECK(versions(running_on_hosts(f, "rf-once")) == std::vector<std::string>{"3", "3"});
  state = g.state();
  CHECK(state["reconcile"]["applied_commit"] == fixed);
  CHECK(state["reconcile"]["attempted_commit"] == fixed);
  CHECK(state["reconcile"]["attempted_error"] == "");

  CHECK(g.stop_jobs());
  CHECK(running_on_hosts(f, "rf-once").empty());
}

TEST_CASE("reconcile --watch puts back an allocation whose processes were killed on its host, and logs the drift",
          "[integration][reconcile_fleet]") {
  TestFleet& f = fleet();
  GitOps g(f, "rf-drift");
  g.jobs = {"rf-drift"};
  g.write_job("rf-drift", service("rf-drift", 1, "1"));
  const std::string commit = g.commit("add rf-drift");
  const std::string applied =
      "Reconciled commit " + short_id(commit) + " by Ada <ada@example.com>: add rf-drift: changes applied.";

  WatchLoop loop(g, g.reconcile_args({"--watch", "--interval", "3s"}), "watch.log");
  const bool started = loop.await_text(applied, 30s);
  INFO("the loop's log when the job was to be placed:\n" << loop.log());
  REQUIRE(started);
  const std::vector<HostAllocation> before = running_on_hosts(f, "rf-drift");
  INFO("before:\n" << describe(before));
  REQUIRE(before.size() == 1);
  const HostAllocation victim = before[0];

  // The supervisor's PID from supervisor.pid and the task's from its status
  // file: each killed, with its process group (the task's children).
  const std::string control = "/var/lib/skiff/allocs/" + victim.id + "/t/.skiff";
  ShellResult killed = on_host(f, victim.host,
                               "read -r s x < " + control + "/supervisor.pid && p=$(sed -n 's/^pid=//p' " + control +
                                   "/status) && [ -n \"$p\" ] && kill -KILL \"$s\" \"$p\" && "
                                   "{ kill -KILL -- \"-$s\" \"-$p\" 2>/dev/null; true; } && echo \"$s $p\"");
  INFO("killed (supervisor, task): " << killed.output);
  REQUIRE(killed.status == 0);
  const auto killed_at = Clock::now();
  const size_t log_before = loop.log().size();

  // Within one interval (3 s, +10%) and the cycle's own time (observe,
  // start, a second of min_healthy_time, the health checks): the first
  // cycle that starts after the kill corrects it. Only a cycle already in
  // flight at the kill, which observed the host before it, may end in
  // "no changes" first.
  const bool corrected = loop.await_text(": drift corrected (1).", 20s, log_before);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at);
  INFO(loop.log());
  INFO("drift corrected after " << took.count() << " ms");
  REQUIRE(corrected);
  CHECK(took < 3300ms + 12s);
  const std::string after_kill = loop.log().substr(log_before);
  CHECK(occurrences(after_kill.substr(0, after_kill.find("Drift corrected: ")), ": no changes.") <= 1);
  CHECK_THAT(after_kill, Catch::Contains("Drift corrected: rf-drift.g[0] on " + victim.host + ": "));
  CHECK_THAT(after_kill, Catch::Contains("the supervisor is gone (was running)"));
  CHECK_THAT(after_kill, Catch::Contains(": drift corrected (1)."));

  const std::vector<HostAllocation> after = running_on_hosts(f, "rf-drift");
  INFO("after:\n" << describe(after));
  REQUIRE(after.size() == 1);
  CHECK(after[0].id != victim.id);
  CHECK(after[0].version == "1");
  // No process of the killed allocation is left on its host.
  ShellResult left = on_host(f, victim.host, "grep -l -s -z -x -F NOMAD_ALLOC_ID=" + victim.id + " /proc/[0-9]*/environ");
  CHECK(left.output == "");

  loop.signal(SIGTERM);
  CHECK(loop.wait_exit(20s) == 0);
  CHECK(g.stop_jobs());
}

TEST_CASE("reconcile --watch: SIGTERM in the middle of a rollout stops after the step in flight, releases the lock",
          "[integration][reconcile_fleet]") {
  TestFleet& f = fleet();
  GitOps g(f, "rf-slow");
  g.jobs = {"rf-slow"};
  g.write_job("rf-slow", service("rf-slow", 3, "1", "3s"));
  g.commit("add rf-slow");
  ShellResult placed = g.once();
  INFO(placed.output);
  REQUIRE(placed.status == 2);
  REQUIRE(running_on_hosts(f, "rf-slow").size() == 3);

  // The update rolls one allocation a wave, each healthy after 3 s.
  g.write_job("rf-slow", service("rf-slow", 3, "2", "3s"));
  const std::string update = g.commit("rf-slow V=2");
  WatchLoop loop(g, g.reconcile_args({"--watch", "--interval", "1m"}), "watch.log");
  const bool rolling = loop.await_text("Starting rf-slow.g[", 30s);
  INFO("the loop's log when the update was under way:\n" << loop.log());
  REQUIRE(rolling);
  const auto sent = Clock::now();
  loop.signal(SIGTERM);
  const std::optional<int> code = loop.wait_exit(15s);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent);
  const std::string log = loop.log();
  INFO(log);
  INFO("exited " << took.count() << " ms after SIGTERM");
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(took < 3s + 5s);  // the step in flight: a wave's start and its 3 s of health at most
  CHECK_THAT(log, Catch::Contains("Apply interrupted by SIGTERM"));
  CHECK_THAT(log, Catch::Contains("Stopped by SIGTERM: the state lock is released and the state records what ran."));
  CHECK_THAT(log, !Catch::Contains("Wave 3"));

  // The lock is free: `state show` names no holder, --once (which waits
  // 0 s for it) takes it, and the rollout finishes.
  ShellResult shown = skiff_in(g.ops(), "state show");
  INFO(shown.output);
  CHECK(shown.status == 0);
  CHECK_THAT(shown.output, !Catch::Contains("Locked by"));
  // The record says the commit is not all out, and that is no failure to
  // back off from.
  const nlohmann::json interrupted = g.state()["reconcile"];
  CHECK(interrupted["attempted_commit"] == update);
  CHECK_THAT(interrupted["attempted_error"].get<std::string>(), Catch::Contains("interrupted by SIGTERM"));
  CHECK(interrupted["attempted_failures"] == 0);
  CHECK(interrupted["applied_commit"] != update);
  ShellResult converge = g.once();
  INFO(converge.output);
  CHECK((converge.status == 0 || converge.status == 2));
  CHECK_THAT(converge.output, !Catch::Contains("state is locked"));
  const std::vector<HostAllocation> after = running_on_hosts(f, "rf-slow");
  INFO("after:\n" << describe(after));
  CHECK(versions(after) == std::vector<std::string>{"2", "2", "2"});
  CHECK(g.state()["reconcile"]["applied_commit"] == update);
  CHECK(g.stop_jobs());
}

TEST_CASE("two reconcile --watch loops on one state: one applies, the other waits for the lock, nothing runs twice",
          "[integration][reconcile_fleet]") {
  TestFleet& f = fleet();
  GitOps g(f, "rf-twin");
  g.jobs = {"rf-twin"};
  g.write_job("rf-twin", service("rf-twin", 2, "1", "2s"));
  const std::string first = g.commit("add rf-twin");
  const std::vector<std::string> watch{"--watch", "--interval", "1m"};

  // Both start together: each fetches the commit and goes for the lock.
  WatchLoop a(g, g.reconcile_args(watch, "cache-a"), "a.log");
  WatchLoop b(g, g.reconcile_args(watch, "cache-b"), "b.log");
  const std::string done = "Reconciled commit " + short_id(first);
  const bool both_done = a.await_text(done, 40s) && b.await_text(done, 40s);
  INFO("first cycles: loop a:\n" << a.log() << "\nloop b:\n" << b.log());
  REQUIRE(both_done);
  auto check_one_applied = [&](const std::string& commit, size_t from_a, size_t from_b) {
    const std::string log_a = a.log().substr(from_a);
    const std::string log_b = b.log().substr(from_b);
    INFO("loop a (pid " << a.pid() << "):\n" << log_a << "\nloop b (pid " << b.pid() << "):\n" << log_b);
    const std::string applied = "Reconciled commit " + short_id(commit) + " by Ada <ada@example.com>: ";
    const size_t applied_a = occurrences(log_a, ": changes applied.");
    const size_t applied_b = occurrences(log_b, ": changes applied.");
    CHECK(applied_a + applied_b == 1);
    const bool a_applied = applied_a == 1;
    const std::string& waiter = a_applied ? log_b : log_a;
    const pid_t applier = a_applied ? a.pid() : b.pid();
    CHECK_THAT(waiter, Catch::Contains("Waiting up to 1m for the state lock (local " + g.state_path() + "), held by "));
    CHECK_THAT(waiter, Catch::Contains(" (pid " + std::to_string(applier) + ")"));
    CHECK_THAT(waiter, Catch::Contains("for \"reconcile\""));
    CHECK_THAT(waiter, Catch::Contains(applied));
    CHECK_THAT(waiter, Catch::Contains(": no changes."));
    CHECK_THAT(waiter, !Catch::Contains("Starting rf-twin"));
  };
  check_one_applied(first, 0, 0);
  std::vector<HostAllocation> running = running_on_hosts(f, "rf-twin");
  INFO("after the first commit:\n" << describe(running));
  CHECK(versions(running) == std::vector<std::string>{"1", "1"});
  CHECK(skiff::testing::running_in_state(g.state(), "rf-twin").size() == 2);

  // A commit with changes, and SIGHUP to both: a cycle now in each.
  g.write_job("rf-twin", service("rf-twin", 2, "2", "2s"));
  const std::string second = g.commit("rf-twin V=2");
  const size_t from_a = a.log().size();
  const size_t from_b = b.log().size();
  a.signal(SIGHUP);
  b.signal(SIGHUP);
  const std::string done_second = "Reconciled commit " + short_id(second);
  const bool both_done_second = a.await_text(done_second, 40s, from_a) && b.await_text(done_second, 40s, from_b);
  INFO("after SIGHUP: loop a:\n" << a.log().substr(from_a) << "\nloop b:\n" << b.log().substr(from_b));
  REQUIRE(both_done_second);
  CHECK_THAT(a.log().substr(from_a), Catch::Contains("Cycle now: SIGHUP"));
  CHECK_THAT(b.log().substr(from_b), Catch::Contains("Cycle now: SIGHUP"));
  check_one_applied(second, from_a, from_b);
  running = running_on_hosts(f, "rf-twin");
  INFO("after the second commit:\n" << describe(running));
  CHECK(versions(running) == std::vector<std::string>{"2", "2"});
  CHECK(running.size() == 2);
  CHECK(skiff::testing::running_in_state(g.state(), "rf-twin").size() == 2);
  CHECK(g.state()["reconcile"]["applied_commit"] == second);

  a.signal(SIGTERM);
  b.signal(SIGTERM);
  CHECK(a.wait_exit(20s) == 0);
  CHECK(b.wait_exit(20s) == 0);
  CHECK(g.stop_jobs());
}

TEST_CASE("reconcile --verify-signatures: an unsigned or stranger-signed head is refused, an allowed SSH signature applied",
          "[integration][reconcile_fleet]") {
  TestFleet& f = fleet();
  GitOps g(f, "rf-signed");
  g.jobs = {"rf-signed"};
  const fs::path keys = g.repo().root / "keys";
  fs::create_directories(keys);
  for (const char* name : {"ada", "stranger"}) {
    ShellResult made = sh("ssh-keygen -q -t ed25519 -N '' -C '' -f " + shell_quote((keys / name).string()));
    REQUIRE(made.status == 0);
  }
  std::string ada_pub = read_test_file(keys / "ada.pub");
  ada_pub = ada_pub.substr(0, ada_pub.find_first_of(" \n", ada_pub.find(' ') + 1));
  const std::string allowed = (keys / "allowed_signers").string();
  write_test_file(allowed, "ada@example.com namespaces=\"git\" " + ada_pub + "\n");
  const std::vector<std::string> verify{"--verify-signatures", "--allowed-signers", allowed};
  auto signed_commit = [&g](const fs::path& key, const std::string& message) {
    g.repo().git("add -A");
    g.repo().git("-c gpg.format=ssh -c user.signingkey=" + shell_quote(key.string()) + " commit -q --allow-empty -S -m " +
                 shell_quote(message));
    g.push();
    return g.repo().head();
  };

  // Unsigned: refused, with the commit's hash and author and the reason.
  g.write_job("rf-signed", service("rf-signed", 1, "1"));
  const std::string unsigned_commit = g.commit("add rf-signed, unsigned");
  ShellResult unsigned_run = g.once(verify);
  INFO(unsigned_run.output);
  CHECK(unsigned_run.status == 1);
  CHECK_THAT(unsigned_run.output,
             Catch::Contains("commit " + short_id(unsigned_commit) +
                             " by Ada <ada@example.com>: add rf-signed, unsigned is not applied: it is not signed by a key " +
                             allowed + " allows (unsigned): only signed commits are applied (--verify-signatures)"));
  CHECK(running_on_hosts(f, "rf-signed").empty());
  nlohmann::json state = g.state();
  CHECK(state["reconcile"]["attempted_commit"] == unsigned_commit);
  CHECK(state["reconcile"]["applied_commit"] == "");

  // Signed by a key the file does not allow: refused too.
  const std::string stranger = signed_commit(keys / "stranger", "add rf-signed, signed by a stranger");
  ShellResult stranger_run = g.once(verify);
  INFO(stranger_run.output);
  CHECK(stranger_run.status == 1);
  CHECK_THAT(stranger_run.output,
             Catch::Contains("commit " + short_id(stranger) +
                             " by Ada <ada@example.com>: add rf-signed, "
                             "signed by a stranger is not applied: it is not signed by a key " +
                             allowed + " allows ("));
  CHECK(running_on_hosts(f, "rf-signed").empty());

  // Signed with Ada's key, which the file allows: applied.
  const std::string good = signed_commit(keys / "ada", "add rf-signed, signed by Ada");
  ShellResult good_run = g.once(verify);
  INFO(good_run.output);
  CHECK(good_run.status == 2);
  CHECK_THAT(good_run.output,
             Catch::Contains("Reconciled commit " + short_id(good) +
                             " by Ada <ada@example.com>: add rf-signed, signed by Ada: changes applied."));
  CHECK(versions(running_on_hosts(f, "rf-signed")) == std::vector<std::string>{"1"});
  state = g.state();
  CHECK(state["reconcile"]["applied_commit"] == good);
  CHECK(state["reconcile"]["attempted_error"] == "");
  CHECK(g.stop_jobs());
}
