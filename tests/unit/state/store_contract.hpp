// The lock and atomicity contract every StateStore backend keeps, written
// once and run against each: `local` in the unit tier
// (store_contract_test.cpp), `ssh` against a fleet host in the integration
// tier (integration/state_ssh_test.cpp).
//
// A backend's test supplies a StoreContractEnv on a fresh state path and
// calls run_store_contract(env) from a TEST_CASE; the cases are SECTIONs,
// so Catch runs the test case once per case, each with a fresh env.
// Lock holders are real processes (fork): a second writer, a waiting one,
// a holder killed with SIGKILL.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "state/state_json.hpp"
#include "state/store.hpp"

namespace skiff::state::contract {

using namespace std::chrono_literals;

enum class StoreFile { kState, kBackup, kLock };

class StoreContractEnv {
 public:
  virtual ~StoreContractEnv() = default;
  // A new store on the env's state path; several may coexist, as the
  // stores of several processes would.
  virtual std::unique_ptr<StateStore> make_store() = 0;
  // How the store names the state and its backup in messages.
  virtual std::string name_of(StoreFile file) const = 0;
  // The files' bytes behind the store's back (nullopt: no such file).
  virtual std::optional<std::string> read_file(StoreFile file) = 0;
  virtual void write_file(StoreFile file, const std::string& bytes) = 0;
  // The names in the state's directory, to see that no temp file is left.
  virtual std::vector<std::string> directory_entries() = 0;
};

inline State state_with_job(const std::string& job) {
  State state;
  state.jobs[job] =
      JobRecord{job, "service", {JobVersion{0, {{"id", job}}, "hash", "jobs/" + job + ".hcl", "me@here", 1, false, false}}, 0};
  return state;
}

inline LockInfo lock_info(const std::string& id, int64_t pid = ::getpid()) {
  return LockInfo{id, "tester@box", "apply", pid, 1700000000, "0.1.0"};
}

// A child process that takes the lock through its own store (a process of
// its own, so for `ssh` a connection of its own), reports through a pipe,
// holds the lock for `hold`, then lets go by destroying it and exits. Or
// it is killed first: then the lock must go with the process.
class LockHolder {
 public:
  LockHolder(StoreContractEnv& env, const std::string& id, std::chrono::milliseconds hold) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(ready[0]);
      std::unique_ptr<StateStore> store = env.make_store();
      LockInfo info{id, "child@box", "apply", ::getpid(), 1700000000, "0.1.0"};
      Result<std::unique_ptr<Lock>> lock = store->lock(info, 0ms);
      char report = lock.ok() ? 'L' : 'F';
      if (::write(ready[1], &report, 1) != 1) ::_exit(2);
      std::this_thread::sleep_for(hold);
      if (lock.ok()) lock->reset();
      ::_exit(0);
    }
    ::close(ready[1]);
    char report = 0;
    REQUIRE(::read(ready[0], &report, 1) == 1);
    ::close(ready[0]);
    REQUIRE(report == 'L');
  }
  ~LockHolder() {
    if (pid_ > 0) kill();
  }
  void kill() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// Waits up to `limit` for nobody to hold the lock (a killed ssh holder's
// lock goes when sshd notices the connection's end, a moment later).
inline bool becomes_free(StateStore& store, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    Result<std::optional<LockInfo>> holder = store.holder();
    if (holder.ok() && !holder->has_value()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

inline void save_and_load_cases(StoreContractEnv& env, StateStore& store) {
  SECTION("no state loads as none; a save loads back with serial + 1 and a lineage, kept by later saves") {
    Result<std::optional<State>> none = store.load();
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
    State state = state_with_job("web");
    REQUIRE(store.save(state, 0));
    CHECK(state.serial == 1);
    REQUIRE(state.lineage.size() == 36);
    Result<std::optional<State>> loaded = store.load();
    REQUIRE(loaded.ok());
    REQUIRE(loaded->has_value());
    CHECK(**loaded == state);
    State rebuilt = state_with_job("db");
    REQUIRE(store.save(rebuilt, 1));
    CHECK(rebuilt.serial == 2);
    CHECK(rebuilt.lineage == state.lineage);
    CHECK(env.make_store()->load()->value() == rebuilt);
  }
  SECTION("a save over a changed serial is refused and writes nothing") {
    std::unique_ptr<StateStore> other = env.make_store();
    State base = state_with_job("web");
    REQUIRE(store.save(base, 0));
    State mine = store.load()->value();
    State theirs = other->load()->value();
    REQUIRE(other->save(theirs, 1));
    std::optional<std::string> bytes = env.read_file(StoreFile::kState);
    mine.jobs.clear();
    Status refused = store.save(mine, 1);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::kConflict);
    CHECK(refused.error().message == "state serial changed: read 1, now 2 (another writer?)");
    CHECK(mine.serial == 1);
    CHECK(env.read_file(StoreFile::kState) == bytes);
  }
  SECTION("the backup holds the previous state, and no temp file is left") {
    State first = state_with_job("web");
    REQUIRE(store.save(first, 0));
    CHECK_FALSE(env.read_file(StoreFile::kBackup).has_value());
    State second = state_with_job("api");
    REQUIRE(store.save(second, 1));
    std::optional<std::string> backup = env.read_file(StoreFile::kBackup);
    REQUIRE(backup.has_value());
    Result<State> previous = state_from_text(*backup);
    REQUIRE(previous.ok());
    CHECK(*previous == first);
    std::vector<std::string> entries = env.directory_entries();
    CHECK(entries.size() == 2);
  }
  SECTION("a truncated state is refused, named with its backup, and never written over") {
    State state = state_with_job("web");
    REQUIRE(store.save(state, 0));
    REQUIRE(store.save(state, 1));
    std::string whole = env.read_file(StoreFile::kState).value();
    std::string truncated = whole.substr(0, whole.size() / 2);
    env.write_file(StoreFile::kState, truncated);
    std::string backup = env.read_file(StoreFile::kBackup).value();
    Result<std::optional<State>> loaded = store.load();
    REQUIRE_FALSE(loaded.ok());
    std::string message = loaded.error().message;
    CHECK_THAT(message, Catch::StartsWith("state file " + env.name_of(StoreFile::kState) + " cannot be read (line "));
    CHECK_THAT(message, Catch::Contains("unexpected end of input"));
    CHECK_THAT(message,
               Catch::EndsWith("); its backup is " + env.name_of(StoreFile::kBackup) +
                               " (serial 1). Fix or restore it by hand; skiff will not write over it."));
    Status refused = store.save(state, 2);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message == message);
    CHECK(env.read_file(StoreFile::kState) == truncated);
    CHECK(env.read_file(StoreFile::kBackup) == backup);
  }
}

inline void lock_cases(StoreContractEnv& env, StateStore& store) {
  SECTION("a second writer fails at once, naming the holder and how to force it") {
    LockHolder child(env, "lock-of-child", 60s);
    auto started = std::chrono::steady_clock::now();
    Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("mine"), 0ms);
    CHECK(std::chrono::steady_clock::now() - started < 3s);
    REQUIRE_FALSE(lock.ok());
    CHECK(lock.error().code == ErrorCode::kConflict);
    CHECK(
        lock.error().message ==
        "state is locked by child@box (pid " + std::to_string(child.pid()) +
            ") since 2023-11-14T22:13:20Z for \"apply\" (skiff 0.1.0), lock id lock-of-child;\n"
            "wait for it with -lock-timeout 5m, or if that process is stuck, release it with: skiff state unlock lock-of-child");
    Result<std::optional<LockInfo>> holder = store.holder();
    REQUIRE(holder.ok());
    REQUIRE(holder->has_value());
    CHECK((*holder)->id == "lock-of-child");
    CHECK((*holder)->pid == child.pid());
  }
  SECTION("a waiting writer gets the lock once the holder lets go; a wait that runs out says so") {
    LockHolder child(env, "short", 1500ms);
    Result<std::unique_ptr<Lock>> early = store.lock(lock_info("impatient"), 300ms);
    REQUIRE_FALSE(early.ok());
    CHECK_THAT(early.error().message, Catch::StartsWith("waited 300ms for the state lock: state is locked by child@box"));
    auto started = std::chrono::steady_clock::now();
    Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("patient"), 20s);
    auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE(lock.ok());
    CHECK(waited > 300ms);
    CHECK(waited < 10s);
    CHECK((*lock)->info().id == "patient");
    CHECK(store.holder()->value().id == "patient");
  }
  SECTION("held until destroyed, exclusive within a process too; released at once") {
    CHECK_FALSE(store.holder()->has_value());
    {
      Result<std::unique_ptr<Lock>> first = store.lock(lock_info("one"), 0ms);
      REQUIRE(first.ok());
      CHECK(env.make_store()->holder()->value() == lock_info("one"));
      Result<std::unique_ptr<Lock>> second = env.make_store()->lock(lock_info("two"), 0ms);
      REQUIRE_FALSE(second.ok());
      CHECK_THAT(second.error().message, Catch::Contains("lock id one;"));
    }
    CHECK_FALSE(store.holder()->has_value());
    CHECK(store.lock(lock_info("two"), 0ms).ok());
  }
  SECTION("a SIGKILLed holder's lock goes with its process; its stale record is overwritten") {
    LockHolder child(env, "doomed", 60s);
    REQUIRE_FALSE(store.lock(lock_info("mine"), 0ms).ok());
    child.kill();
    auto started = std::chrono::steady_clock::now();
    Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("mine"), 20s);
    REQUIRE(lock.ok());
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(store.holder()->value().id == "mine");
  }
  SECTION("unlocking a holder that already exited says so") {
    {
      LockHolder child(env, "gone", 60s);
      child.kill();
    }
    REQUIRE(becomes_free(store, 5s));
    CHECK_THAT(env.read_file(StoreFile::kLock).value_or(""), Catch::Contains("gone"));
    Status released = store.force_unlock("gone");
    REQUIRE_FALSE(released.ok());
    CHECK(released.error().code == ErrorCode::kNotFound);
    CHECK_THAT(released.error().message, Catch::StartsWith("lock gone is no longer held"));
  }
  SECTION("force_unlock needs the holder's id, and frees the state for the next writer") {
    Status nobody = store.force_unlock("whatever");
    REQUIRE_FALSE(nobody.ok());
    CHECK(nobody.error().code == ErrorCode::kNotFound);
    CHECK_THAT(nobody.error().message, Catch::Contains("is not locked"));
    LockHolder child(env, "stuck-one", 60s);
    Status wrong = store.force_unlock("not-the-id");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == ErrorCode::kConflict);
    CHECK_THAT(wrong.error().message,
               Catch::StartsWith("lock id not-the-id is not the current lock: state is locked by child@box"));
    CHECK(store.holder()->value().id == "stuck-one");
    CHECK_FALSE(store.lock(lock_info("mine"), 0ms).ok());
    REQUIRE(store.force_unlock("stuck-one"));
    CHECK_FALSE(store.holder()->has_value());
    // The stuck process still lives, yet the next writer gets the lock.
    REQUIRE(::kill(child.pid(), 0) == 0);
    Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("mine"), 0ms);
    REQUIRE(lock.ok());
    CHECK(store.holder()->value().id == "mine");
  }
}

// Every case, each in a SECTION: call from a TEST_CASE that makes `env`
// afresh.
inline void run_store_contract(StoreContractEnv& env) {
  std::unique_ptr<StateStore> store = env.make_store();
  save_and_load_cases(env, *store);
  lock_cases(env, *store);
}

}  // namespace skiff::state::contract
