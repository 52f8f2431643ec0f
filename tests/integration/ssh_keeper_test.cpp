// ssh { control_persist }: the SSH keeper against the fleet's real sshd
// hosts, through the built binary. A second run logs in nowhere (counted
// in each host's sshd log); the keeper holds none of skiff's locks; it
// leaves when idle or when its socket is removed; and skiff connects
// directly, with a warning, when the socket directory is unsafe.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "drivers/shell_quote.hpp"
#include "drivers/ssh/keeper/ssh_keeper.hpp"
#include "integration/apply_support.hpp"
#include "support/test_files.hpp"

using skiff::drivers::shell_quote;
using skiff::testing::fleet;
using skiff::testing::sh;
using skiff::testing::ShellResult;
using skiff::testing::TestFleet;
using skiff::testing::write_test_file;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// A project folder beside the fleet's, with its own skiff.hcl (the fleet's
// inventory, control_persist set) and runtime directory, so its keeper is
// this test's alone; the keeper is killed however the test ends.
class KeeperProject {
 public:
  KeeperProject(const TestFleet& f, const std::string& name, const std::string& persist) : dir_(f.dir() + "/" + name) {
    fs::remove_all(dir_);
    fs::create_directories(dir_ + "/jobs");
    fs::create_directories(runtime_dir());
    fs::permissions(runtime_dir(), fs::perms::owner_all, fs::perm_options::replace);
    write_test_file(dir_ + "/skiff.hcl",
                    "inventory = \"../inventory.hcl\"\njobs = \"jobs\"\nssh {\n  known_hosts = \"" + f.known_hosts() +
                        "\"\n  control_persist = \"" + persist + "\"\n}\n");
  }
  ~KeeperProject() {
    for (pid_t pid : keeper_pids()) ::kill(pid, SIGTERM);
  }

  const std::string& dir() const { return dir_; }
  std::string runtime_dir() const { return dir_ + "/run"; }
  std::string socket_dir() const { return runtime_dir() + "/skiff"; }
  ShellResult skiff(const std::string& args) const {
    return sh("cd " + shell_quote(dir_) + " && XDG_RUNTIME_DIR=" + shell_quote(runtime_dir()) + " " SKIFF_BINARY " " + args +
              " 2>&1");
  }
  void write_job(const std::string& file, const std::string& text) const { write_test_file(dir_ + "/jobs/" + file, text); }
  // Replaces the jobs with the placeholder and prunes what they ran; true
  // when that worked and said `stopped` ("2 stopped").
  bool prune(const std::string& stopped) const {
    write_job("kept.nomad.hcl", skiff::testing::kPlaceholderJob);
    ShellResult pruned = skiff("apply -auto-approve -no-color -prune");
    UNSCOPED_INFO(pruned.output);
    return pruned.status == 0 && pruned.output.find(stopped) != std::string::npos;
  }
  bool keeper_running() const { return !keeper_pids().empty(); }
  // Processes whose argv is `skiff __ssh-keeper <socket_dir>/...`.
  std::vector<pid_t> keeper_pids() const {
    std::vector<pid_t> pids;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::string name = entry.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream in(entry.path() / "cmdline");
      std::vector<std::string> argv;
      for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
      if (argv.size() >= 3 && argv[1] == "__ssh-keeper" && argv[2].rfind(socket_dir() + "/", 0) == 0)
        pids.push_back(std::stoi(name));
    }
    return pids;
  }
  size_t sockets() const {
    size_t n = 0;
    if (fs::exists(socket_dir()))
      for (const auto& entry : fs::directory_iterator(socket_dir())) n += entry.path().extension() == ".sock";
    return n;
  }
  // Waits up to `limit` for the keeper to be gone; true if it went.
  bool keeper_gone_within(std::chrono::seconds limit) const {
    for (auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;
         std::this_thread::sleep_for(200ms))
      if (!keeper_running()) return true;
    return !keeper_running();
  }

 private:
  std::string dir_;
};

// SSH logins the fleet's hosts accepted so far, all hosts together.
size_t logins(const TestFleet& f) {
  size_t n = 0;
  for (const auto& host : f.hosts()) {
    std::ifstream log(f.dir() + "/hosts/" + host.name + "/sshd.log");
    for (std::string line; std::getline(log, line);) n += line.find("Accepted publickey") != std::string::npos;
  }
  return n;
}

const char* const kTwoSleepers = R"(job "kept" {
  group "g" {
    count = 2
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "exec sleep 100000"]
      }
    }
  }
}
)";

}  // namespace

TEST_CASE("control_persist: later runs reuse the keeper's connections, no lock outlives its run, the keeper leaves when idle",
          "[integration][keeper]") {
  TestFleet& f = fleet();
  KeeperProject project(f, "keeper-reuse", "4s");
  project.write_job("kept.nomad.hcl", kTwoSleepers);

  size_t before = logins(f);
  ShellResult first = project.skiff("apply -auto-approve -no-color");
  INFO(first.output);
  REQUIRE(first.status == 0);
  CHECK_THAT(first.output, Catch::Contains("Apply complete! 2 started"));
  CHECK(logins(f) == before + f.hosts().size());  // one login per host, by the keeper
  CHECK(project.keeper_running());
  CHECK(project.sockets() == 1);

  // The keeper started while apply held the state lock: had it inherited
  // the lock's descriptor, this apply would fail at once on the lock.
  ShellResult again = project.skiff("apply -auto-approve -no-color");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK_THAT(again.output, Catch::Contains("No changes."));
  ShellResult status = project.skiff("node status");
  CHECK(status.status == 0);
  CHECK_THAT(status.output, Catch::Contains(std::to_string(f.hosts().size()) + " hosts ready."));
  CHECK(logins(f) == before + f.hosts().size());  // no new login

  // A host whose connection dropped is reconnected transparently.
  REQUIRE(sh("pkill -f '^sshd: root@notty' ; true").status == 0);
  ShellResult after_drop = project.skiff("apply -auto-approve -no-color");
  INFO(after_drop.output);
  CHECK(after_drop.status == 0);
  CHECK_THAT(after_drop.output, Catch::Contains("No changes."));
  CHECK(logins(f) == before + 2 * f.hosts().size());

  // Idle for control_persist (4 s): the keeper leaves and removes its socket.
  CHECK(project.keeper_gone_within(15s));
  CHECK(project.sockets() == 0);

  CHECK(project.prune("2 stopped"));
}

TEST_CASE("control_persist: skiff killed while the keeper runs its start batch; the next apply converges without duplicates",
          "[integration][keeper]") {
  TestFleet& f = fleet();
  KeeperProject project(f, "keeper-kill", "30s");
  std::string job = kTwoSleepers;
  job.replace(job.find("count = 2"), 9, "count = 15");
  project.write_job("kept.nomad.hcl", job);
  const std::string log = project.dir() + "/kill.log";
  sh("cd " + shell_quote(project.dir()) + " && { XDG_RUNTIME_DIR=" + shell_quote(project.runtime_dir()) +
     " " SKIFF_BINARY " apply -auto-approve -no-color > kill.log 2>&1 & echo $! > kill.pid; }");
  // Killed as soon as it reports its first start: the batch is then on its
  // way to the keeper, which finishes it for no one.
  auto log_text = [&] {
    std::ifstream in(log);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  for (int i = 0; i < 300 && log_text().find("Starting ") == std::string::npos; ++i) std::this_thread::sleep_for(20ms);
  REQUIRE_THAT(log_text(), Catch::Contains("Starting "));
  sh("kill -KILL $(cat " + shell_quote(project.dir() + "/kill.pid") + ")");

  ShellResult again = project.skiff("apply -auto-approve -no-color");
  INFO(again.output);
  CHECK(again.status == 0);
  ShellResult plan = project.skiff("plan -no-color -detailed-exitcode");
  INFO(plan.output);
  CHECK(plan.status == 0);  // no changes: the hosts run exactly the 15 it wants, no orphan
  CHECK(project.prune("15 stopped"));
}

TEST_CASE("control_persist: beside another run's batch, a read-only run connects directly and a changing run waits for it",
          "[integration][keeper]") {
  TestFleet& f = fleet();
  KeeperProject project(f, "keeper-busy", "5s");
  auto kept_fleet = [&](bool wait_when_busy) {
    skiff::drivers::KeeperOptions options;
    options.persist = std::chrono::milliseconds(5000);
    options.executable = SKIFF_BINARY;
    options.version = "test";
    options.runtime_dir = project.runtime_dir();
    options.wait_when_busy = wait_when_busy;
    auto hosts = std::make_unique<skiff::drivers::KeptSshFleet>(skiff::drivers::SshPoolOptions{}, options);
    hosts->add_host(f.target(0));
    return hosts;
  };
  auto echo = [&](bool wait_when_busy, const std::string& word) {
    auto results = kept_fleet(wait_when_busy)->run_all({{f.hosts()[0].name, skiff::testing::command({"echo", word})}});
    REQUIRE(results[0].ok());
    CHECK(results[0]->stdout_data == word + "\n");
  };
  auto long_run = kept_fleet(true);
  auto slow = std::async(std::launch::async, [&] {
    return long_run->run_all({{f.hosts()[0].name, skiff::testing::command({"sleep", "4"})}});
  });
  // Wait until the keeper runs that batch.
  for (int i = 0; i < 100 && !project.keeper_running(); ++i) std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(500ms);
  const auto sleep_started = std::chrono::steady_clock::now() - 500ms;

  size_t before = logins(f);
  auto started = std::chrono::steady_clock::now();
  echo(false, "reader");
  CHECK(std::chrono::steady_clock::now() - started < 3s);  // not behind the 4 s sleep
  CHECK(logins(f) == before + 1);                          // its own, direct login

  echo(true, "writer");
  CHECK(std::chrono::steady_clock::now() - sleep_started > 3500ms);  // after the sleep
  CHECK(logins(f) == before + 1);                                    // through the keeper
  auto slow_results = slow.get();
  REQUIRE(slow_results[0].ok());
  CHECK(slow_results[0]->success());
}

TEST_CASE(
    "control_persist: a keeper whose socket is removed leaves; an unsafe socket directory means direct connections and a warning",
    "[integration][keeper]") {
  TestFleet& f = fleet();
  KeeperProject project(f, "keeper-safety", "10m");
  REQUIRE(project.skiff("node status").status == 0);
  REQUIRE(project.keeper_running());
  for (const auto& entry : fs::directory_iterator(project.socket_dir()))
    if (entry.path().extension() == ".sock") fs::remove(entry.path());
  CHECK(project.keeper_gone_within(15s));

  ::chmod(project.socket_dir().c_str(), 0755);
  size_t before = logins(f);
  ShellResult direct = project.skiff("node status");
  INFO(direct.output);
  CHECK(direct.status == 0);
  CHECK_THAT(direct.output,
             Catch::Contains("skiff: warning: cannot keep SSH connections (refusing " + project.socket_dir() +
                             " for SSH keeper sockets: others may enter it (mode 0755); `chmod go-rwx " +
                             project.socket_dir() + "`); connecting directly"));
  CHECK_THAT(direct.output, Catch::Contains(std::to_string(f.hosts().size()) + " hosts ready."));
  CHECK(logins(f) == before + f.hosts().size());
  CHECK_FALSE(project.keeper_running());
}
