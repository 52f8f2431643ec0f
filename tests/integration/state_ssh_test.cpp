// The `ssh` state backend against a fleet host: the same store contract as
// the local backend (unit/state/store_contract.hpp), a lock that dies with
// its connection, and skiff apply / state show / state unlock with
// `state { backend = "ssh" host = "h1" }` through the built binary.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "drivers/shell_quote.hpp"
#include "drivers/ssh/ssh_command_hold.hpp"
#include "drivers/ssh/ssh_host_transport.hpp"
#include "integration/apply_support.hpp"
#include "state/ssh_store.hpp"
#include "unit/state/store_contract.hpp"

namespace skiff::state::contract {
namespace {

using skiff::testing::fleet;
using skiff::testing::TestFleet;

constexpr size_t kStateHost = 0;  // h1, never faulted by other tests

drivers::CommandResult must_run(drivers::Transport& transport, std::vector<std::string> argv,
                                std::optional<std::string> stdin_data = std::nullopt) {
  drivers::Command command;
  command.argv = std::move(argv);
  command.stdin_data = std::move(stdin_data);
  Result<drivers::CommandResult> ran = transport.run(command);
  if (!ran.ok()) FAIL("remote command failed to run: " << ran.error().message);
  return *ran;
}

// A fresh directory on the state host per env, removed at the end.
class SshContractEnv : public StoreContractEnv {
 public:
  explicit SshContractEnv(const TestFleet& f) : target_(f.target(kStateHost)), raw_(target_) {
    static int counter = 0;
    dir_ = "/var/lib/skiff/contract-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    must_run(raw_, {"rm", "-rf", "--", dir_});
  }
  ~SshContractEnv() override {
    drivers::Command remove;
    remove.argv = {"rm", "-rf", "--", dir_};
    (void)raw_.run(remove);
  }

  std::unique_ptr<StateStore> make_store() override {
    return std::make_unique<SshStateStore>(SshStateLocation{target_.name, target_.user, path()},
                                           std::make_unique<drivers::SshHostTransport>(target_),
                                           std::make_unique<drivers::SshCommandHolder>(target_));
  }
  std::string name_of(StoreFile file) const override { return target_.name + ":" + file_path(file); }
  std::optional<std::string> read_file(StoreFile file) override {
    drivers::CommandResult read =
        must_run(raw_, {"sh", "-c", "[ -e \"$1\" ] || exit 10; cat -- \"$1\"", "read", file_path(file)});
    if (read.exit_status == 10) return std::nullopt;
    REQUIRE(read.success());
    return read.stdout_data;
  }
  void write_file(StoreFile file, const std::string& bytes) override {
    REQUIRE(must_run(raw_, {"sh", "-c", "cat > \"$1\"", "write", file_path(file)}, bytes).success());
  }
  std::vector<std::string> directory_entries() override {
    drivers::CommandResult listed = must_run(raw_, {"ls", "-A", "--", dir_});
    REQUIRE(listed.success());
    std::vector<std::string> names;
    std::istringstream lines(listed.stdout_data);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) names.push_back(line);
    return names;
  }

  drivers::Transport& raw() { return raw_; }
  std::string path() const { return dir_ + "/state.json"; }

 private:
  std::string file_path(StoreFile file) const {
    switch (file) {
      case StoreFile::kBackup: return path() + ".backup";
      case StoreFile::kLock: return path() + ".lock";
      case StoreFile::kState: break;
    }
    return path();
  }
  drivers::SshTarget target_;
  drivers::SshHostTransport raw_;
  std::string dir_;
};

TEST_CASE("store contract: the ssh backend on a fleet host", "[integration][state-ssh]") {
  SshContractEnv env(fleet());
  run_store_contract(env);
}

// How many lock holder shells for `lock_path` run on the state host.
int remote_holders(drivers::Transport& raw, const std::string& lock_path) {
  return std::atoi(must_run(raw, {"pgrep", "-c", "-f", "skiff-state-lock " + lock_path}).stdout_data.c_str());
}

TEST_CASE("ssh lock: the remote holder lives exactly as long as the lock, and a lost connection is noticed",
          "[integration][state-ssh]") {
  TestFleet& f = fleet();
  SshContractEnv env(f);
  std::unique_ptr<StateStore> store = env.make_store();
  CHECK(store->describe() == "ssh root@" + f.hosts()[kStateHost].name + ":" + env.path());
  const std::string lock_path = env.path() + ".lock";
  CHECK(remote_holders(env.raw(), lock_path) == 0);
  {
    Result<std::unique_ptr<Lock>> lock = store->lock(lock_info("held"), 0ms);
    REQUIRE(lock.ok());
    CHECK(remote_holders(env.raw(), lock_path) == 1);
    // The lock file is private, like the local one.
    CHECK(must_run(env.raw(), {"stat", "-c", "%a", env.path() + ".lock"}).stdout_data == "600\n");
    // Killing the remote shell (a host-side end of the connection's
    // command) makes the lock lost, and a save then refuses to write.
    must_run(env.raw(), {"pkill", "-KILL", "-f", "skiff-state-lock " + lock_path});
    std::this_thread::sleep_for(500ms);
    State state = state_with_job("web");
    Status refused = store->save(state, 0);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("the state lock was lost") && Catch::Contains("nothing was written"));
  }
  CHECK(remote_holders(env.raw(), lock_path) == 0);
  {
    Result<std::unique_ptr<Lock>> lock = store->lock(lock_info("again"), 0ms);
    REQUIRE(lock.ok());
    State state = state_with_job("web");
    CHECK(store->save(state, 0));
  }
  // A released lock leaves no holder process behind.
  CHECK(remote_holders(env.raw(), lock_path) == 0);
}

TEST_CASE("ssh lock: a missing flock is named with the host", "[integration][state-ssh]") {
  TestFleet& f = fleet();
  drivers::SshTarget target = f.target(kStateHost);
  drivers::SshHostTransport raw(target);
  drivers::Command probe;
  probe.argv = {"sh", "-c", "command -v flock"};
  REQUIRE(raw.run(probe)->success());
  // The lock script runs under the login shell's PATH; emulate a host
  // without flock by a holder whose command line empties PATH first.
  class NoFlockHolder : public drivers::CommandHolder {
   public:
    explicit NoFlockHolder(drivers::SshTarget target) : inner_(std::move(target)) {}
    Result<drivers::HoldStart> start(const drivers::Command& command, const std::string& ready,
                                     const std::string& release) override {
      drivers::Command changed = command;
      changed.argv.insert(changed.argv.begin(), {"env", "PATH=/nonexistent"});
      changed.argv[2] = "/bin/sh";
      return inner_.start(changed, ready, release);
    }

   private:
    drivers::SshCommandHolder inner_;
  };
  SshStateStore without(SshStateLocation{target.name, target.user, "/var/lib/skiff/no-flock/state.json"},
                        std::make_unique<drivers::SshHostTransport>(target), std::make_unique<NoFlockHolder>(target));
  Result<std::unique_ptr<Lock>> lock = without.lock(lock_info("x"), 0ms);
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.error().message ==
        "lock state " + target.name + ":/var/lib/skiff/no-flock/state.json: `flock /var/lib/skiff/no-flock/state.json.lock` on " +
            target.name + " exited with status 4: flock is not installed (util-linux)");
}

using skiff::testing::sh;
using skiff::testing::ShellResult;

ShellResult run_skiff_in(const std::string& dir, const std::string& args, bool with_stderr = true) {
  return sh("(cd " + drivers::shell_quote(dir) + " && " + SKIFF_BINARY + " " + args + (with_stderr ? " 2>&1)" : " 2>/dev/null)"));
}

void write_file_at(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

constexpr const char* kProbeJob = R"(job "ssh-state-probe" {
  group "g" {
    update {
      min_healthy_time = "1s"
      healthy_deadline = "30s"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "while :; do sleep 1; done"]
      }
    }
  }
}
)";

constexpr const char* kPlaceholderJob = R"(job "placeholder" {
  type = "batch"
  parameterized {}
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "true"
      }
    }
  }
}
)";

TEST_CASE(
    "skiff with state { backend = \"ssh\" }: apply writes the state on h1, state show reads it, a lock there stops a second "
    "writer",
    "[integration][state-ssh]") {
  TestFleet& f = fleet();
  const std::string project = f.dir() + "/state-ssh-e2e";
  const std::string remote_dir = "/var/lib/skiff/e2e-" + std::to_string(::getpid());
  const std::string remote_path = remote_dir + "/state.json";
  const std::string host = f.hosts()[kStateHost].name;
  write_file_at(project + "/skiff.hcl",
                "inventory = \"../inventory.hcl\"\n\nssh {\n  known_hosts = \"" + f.known_hosts() +
                    "\"\n  strict_host_key_checking = \"yes\"\n  connect_timeout = \"5s\"\n}\n\nstate {\n"
                    "  backend = \"ssh\"\n  host    = \"" +
                    host + "\"\n  path    = \"" + remote_path + "\"\n}\n");
  write_file_at(project + "/jobs/probe.nomad.hcl", kProbeJob);
  drivers::SshHostTransport raw(f.target(kStateHost));
  must_run(raw, {"rm", "-rf", "--", remote_dir});

  ShellResult empty = run_skiff_in(project, "state show");
  CHECK_THAT(empty.output, Catch::Contains("No state yet (ssh root@" + host + ":" + remote_path + ")"));

  ShellResult applied = run_skiff_in(project, "apply -auto-approve -no-color jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  CHECK_THAT(applied.output, Catch::Contains("Apply complete! 1 started"));
  CHECK_FALSE(std::filesystem::exists(project + "/.skiff"));

  ShellResult shown = run_skiff_in(project, "state show -json", false);
  INFO(shown.output);
  REQUIRE(shown.status == 0);
  nlohmann::json state = nlohmann::json::parse(shown.output);
  CHECK(skiff::testing::running_allocations(state, "ssh-state-probe") == 1);
  // The same state, byte for byte the file on h1.
  drivers::CommandResult remote = must_run(raw, {"cat", "--", remote_path});
  REQUIRE(remote.success());
  CHECK(nlohmann::json::parse(remote.stdout_data) == state);
  CHECK(must_run(raw, {"stat", "-c", "%a", remote_path}).stdout_data == "600\n");

  // A lock held on h1 by another process stops apply at once, naming it.
  drivers::SshTarget target = f.target(kStateHost);
  SshStateStore store(SshStateLocation{target.name, target.user, remote_path},
                      std::make_unique<drivers::SshHostTransport>(target), std::make_unique<drivers::SshCommandHolder>(target));
  Result<std::unique_ptr<Lock>> held = store.lock(lock_info("held-by-test"), 0ms);
  REQUIRE(held.ok());
  ShellResult blocked = run_skiff_in(project, "apply -auto-approve -no-color jobs");
  INFO(blocked.output);
  CHECK(blocked.status == 1);
  CHECK_THAT(blocked.output,
             Catch::Contains("state is locked by tester@box") && Catch::Contains("skiff state unlock held-by-test"));
  ShellResult wrong = run_skiff_in(project, "state unlock not-this-one");
  CHECK(wrong.status == 1);
  CHECK_THAT(wrong.output, Catch::Contains("lock id not-this-one is not the current lock"));
  ShellResult unlocked = run_skiff_in(project, "state unlock held-by-test");
  INFO(unlocked.output);
  CHECK(unlocked.status == 0);
  CHECK_THAT(unlocked.output, Catch::Contains("Released the state lock held by tester@box"));
  held->reset();

  // Clean up: prune the job, through the ssh state again.
  std::filesystem::remove(project + "/jobs/probe.nomad.hcl");
  write_file_at(project + "/jobs/placeholder.nomad.hcl", kPlaceholderJob);
  ShellResult pruned = run_skiff_in(project, "apply -auto-approve -no-color -prune jobs");
  INFO(pruned.output);
  CHECK(pruned.status == 0);
  CHECK(skiff::testing::running_allocations(nlohmann::json::parse(run_skiff_in(project, "state show -json", false).output),
                                            "ssh-state-probe") == 0);
  must_run(raw, {"rm", "-rf", "--", remote_dir});
}

// h4 is the host the fault tests partition (ssh_transport_test.cpp,
// plan_cli_test.cpp); each heals it before it ends.
constexpr size_t kPartitionedHost = 3;

TEST_CASE("ssh state: a read from a host that stops answering times out, and the host is read again once back",
          "[integration][state-ssh][fault]") {
  TestFleet& f = fleet();
  drivers::SshTarget target = f.target(kPartitionedHost);
  target.connect_timeout = 2000ms;
  SshStateStore store(SshStateLocation{target.name, target.user, "/var/lib/skiff/state-timeout/state.json"},
                      std::make_unique<drivers::SshHostTransport>(target), std::make_unique<drivers::SshCommandHolder>(target),
                      1500ms);
  // A live connection first: the partition then hangs a read mid-command,
  // where only the store's own timeout ends it.
  REQUIRE(store.load().ok());
  REQUIRE(f.fault("partition", target.name).ok());
  auto t0 = std::chrono::steady_clock::now();
  Result<std::optional<State>> hung = store.load();
  auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE(f.fault("heal", target.name).ok());
  REQUIRE_FALSE(hung.ok());
  CHECK(hung.error().code == ErrorCode::kTimeout);
  CHECK_THAT(
      hung.error().message,
      Catch::StartsWith("read " + target.name + ":/var/lib/skiff/state-timeout/state.json: command timed out after 1500 ms"));
  CHECK(took < 5s);
  Result<std::optional<State>> again = store.load();
  INFO((again.ok() ? "" : again.error().message));
  CHECK(again.ok());
}

}  // namespace
}  // namespace skiff::state::contract
