// The local state store against a real temp directory: atomic saves with a
// backup, serial conflicts, unreadable states never written over, file
// modes, and the flock across real processes (fork).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "state/local_store.hpp"
#include "state/state_json.hpp"
#include "unit/cli/run_skiff.hpp"

namespace skiff::state {
namespace {

using namespace std::chrono_literals;
using skiff::testing::ScratchDir;

std::string read_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

State state_with_job(const std::string& job) {
  State state;
  state.jobs[job] = JobRecord{job, "service", {JobVersion{0, {{"id", job}}, "hash", "jobs/" + job + ".hcl", "me@here", 1, false, false}}, 0};
  return state;
}

LockInfo lock_info(const std::string& id) { return LockInfo{id, "tester@box", "apply", ::getpid(), 1700000000, "0.1.0"}; }

mode_t mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

TEST_CASE("local store: no file loads as no state; saves load back with a growing serial", "[state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  CHECK(store.describe() == "local " + dir.path() + "/.skiff/state.json");
  Result<std::optional<State>> none = store.load();
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());

  State state = state_with_job("web");
  REQUIRE(store.save(state, 0));
  CHECK(state.serial == 1);
  REQUIRE(state.lineage.size() == 36);
  CHECK(state.lineage[14] == '4');
  std::string lineage = state.lineage;

  Result<std::optional<State>> loaded = store.load();
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  CHECK(**loaded == state);

  State next = **loaded;
  next.jobs["api"] = state_with_job("api").jobs["api"];
  REQUIRE(store.save(next, 1));
  CHECK(next.serial == 2);
  CHECK(next.lineage == lineage);
  CHECK(store.load()->value() == next);

  // A state built afresh (say, rebuilt from the hosts) keeps the lineage.
  State rebuilt = state_with_job("db");
  REQUIRE(store.save(rebuilt, 2));
  CHECK(rebuilt.lineage == lineage);
  CHECK(store.load()->value().lineage == lineage);
}

TEST_CASE("local store: the backup holds the previous state", "[state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/state.json");
  State first = state_with_job("web");
  REQUIRE(store.save(first, 0));
  CHECK_FALSE(std::filesystem::exists(store.backup_path()));
  State second = state_with_job("api");
  second.lineage = first.lineage;
  REQUIRE(store.save(second, 1));
  Result<State> backup = state_from_text(read_bytes(store.backup_path()));
  REQUIRE(backup.ok());
  CHECK(*backup == first);
  // No temp files are left behind.
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 2);
}

TEST_CASE("local store: a changed serial is refused and nothing is written", "[state]") {
  ScratchDir dir;
  LocalStateStore writer_a(dir.path() + "/state.json");
  LocalStateStore writer_b(dir.path() + "/state.json");
  State base = state_with_job("web");
  REQUIRE(writer_a.save(base, 0));
  State a = writer_a.load()->value();
  State b = writer_b.load()->value();
  REQUIRE(writer_b.save(b, 1));
  std::string bytes = read_bytes(writer_a.path());

  a.jobs.clear();
  Status refused = writer_a.save(a, 1);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kConflict);
  CHECK(refused.error().message == "state serial changed: read 1, now 2 (another writer?)");
  CHECK(a.serial == 1);
  CHECK(read_bytes(writer_a.path()) == bytes);

  // A first save over a state that appeared meanwhile is a conflict too.
  State fresh;
  Status first = writer_a.save(fresh, 0);
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().code == ErrorCode::kConflict);
}

TEST_CASE("local store: a state of another lineage is refused", "[state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/state.json");
  State state = state_with_job("web");
  REQUIRE(store.save(state, 0));
  State other = state;
  other.lineage = "00000000-0000-4000-8000-000000000000";
  Status refused = store.save(other, 1);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kConflict);
  CHECK_THAT(refused.error().message, Catch::StartsWith("state lineage changed"));
}

TEST_CASE("local store: a truncated state is refused, named with its backup, and never written over", "[state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/state.json");
  State state = state_with_job("web");
  REQUIRE(store.save(state, 0));
  REQUIRE(store.save(state, 1));
  std::string whole = read_bytes(store.path());
  std::string truncated = whole.substr(0, whole.size() / 2);
  write_bytes(store.path(), truncated);
  std::string backup = read_bytes(store.backup_path());

  Result<std::optional<State>> loaded = store.load();
  REQUIRE_FALSE(loaded.ok());
  std::string message = loaded.error().message;
  CHECK_THAT(message, Catch::StartsWith("state file " + store.path() + " cannot be read (line "));
  CHECK_THAT(message, Catch::Contains("unexpected end of input"));
  CHECK_THAT(message, Catch::EndsWith("); its backup is " + store.backup_path() +
                                      " (serial 1). Fix or restore it by hand; skiff will not write over it."));

  Status refused = store.save(state, 2);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == message);
  CHECK(read_bytes(store.path()) == truncated);
  CHECK(read_bytes(store.backup_path()) == backup);

  // With the backup unreadable too, the message says so.
  write_bytes(store.backup_path(), "{");
  CHECK_THAT(store.load().error().message, Catch::Contains("its backup " + store.backup_path() + " cannot be read either"));
  std::filesystem::remove(store.backup_path());
  CHECK_THAT(store.load().error().message, Catch::Contains("there is no backup (" + store.backup_path() + ")"));
}

TEST_CASE("local store: a newer format is refused by load and save", "[state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/state.json");
  nlohmann::json document = state_to_json(state_with_job("web"));
  document["format_version"] = kStateFormatVersion + 1;
  document["serial"] = 7;
  write_bytes(store.path(), document.dump());
  Result<std::optional<State>> loaded = store.load();
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().code == ErrorCode::kUnsupported);
  CHECK_THAT(loaded.error().message, Catch::Contains("is newer than this skiff reads") && Catch::Contains("skiff will not write over it"));
  State state;
  CHECK_FALSE(store.save(state, 7).ok());
  CHECK(read_bytes(store.path()) == document.dump());
}

TEST_CASE("local store: files are 0600 and a created directory 0700, whatever the umask", "[state]") {
  ScratchDir dir;
  mode_t old_umask = ::umask(0);
  LocalStateStore store(dir.path() + "/deep/.skiff/state.json");
  State state = state_with_job("web");
  Status saved = store.save(state, 0);
  Status saved_again = store.save(state, 1);
  Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("mode"), 0ms);
  ::umask(old_umask);
  REQUIRE(saved);
  REQUIRE(saved_again);
  REQUIRE(lock.ok());
  CHECK(mode_of(store.path()) == 0600);
  CHECK(mode_of(store.backup_path()) == 0600);
  CHECK(mode_of(store.lock_path()) == 0600);
  CHECK(mode_of(dir.path() + "/deep/.skiff") == 0700);
  CHECK(mode_of(dir.path() + "/deep") == 0700);
}

// A child process that takes the lock, reports through a pipe, and holds
// it until it is killed or `hold` has passed.
class LockHolder {
 public:
  LockHolder(const std::string& path, const std::string& id, std::chrono::milliseconds hold) {
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(ready[0]);
      LocalStateStore store(path);
      LockInfo info{id, "child@box", "apply", ::getpid(), 1700000000, "0.1.0"};
      Result<std::unique_ptr<Lock>> lock = store.lock(info, 0ms);
      char report = lock.ok() ? 'L' : 'F';
      if (::write(ready[1], &report, 1) != 1) ::_exit(2);
      std::this_thread::sleep_for(hold);
      ::_exit(0);  // the lock is released by the process's end, not a destructor
    }
    ::close(ready[1]);
    char report = 0;
    REQUIRE(::read(ready[0], &report, 1) == 1);
    ::close(ready[0]);
    REQUIRE(report == 'L');
  }
  ~LockHolder() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  void wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  void kill() {
    ::kill(pid_, SIGKILL);
    wait();
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

TEST_CASE("local lock: a second process fails at once, naming the holder", "[state]") {
  ScratchDir dir;
  std::string path = dir.path() + "/state.json";
  LockHolder child(path, "lock-of-child", 30s);
  LocalStateStore store(path);

  auto started = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("mine"), 0ms);
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.error().code == ErrorCode::kConflict);
  CHECK(lock.error().message ==
        "state is locked by child@box (pid " + std::to_string(child.pid()) +
            ") since 2023-11-14T22:13:20Z for \"apply\" (skiff 0.1.0), lock id lock-of-child;\n"
            "wait for it with -lock-timeout 5m, or if that process is stuck, release it with: skiff state unlock lock-of-child");

  Result<std::optional<LockInfo>> holder = store.holder();
  REQUIRE(holder.ok());
  REQUIRE(holder->has_value());
  CHECK((*holder)->id == "lock-of-child");
  CHECK((*holder)->pid == child.pid());
}

TEST_CASE("local lock: a waiting process gets the lock once the holder exits", "[state]") {
  ScratchDir dir;
  std::string path = dir.path() + "/state.json";
  LockHolder child(path, "short", 400ms);
  LocalStateStore store(path);
  auto started = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("patient"), 10s);
  auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE(lock.ok());
  CHECK(waited > 200ms);
  CHECK(waited < 5s);
  CHECK((*lock)->info().id == "patient");
  CHECK(store.holder()->value().id == "patient");
}

TEST_CASE("local lock: a wait that runs out says how long it waited", "[state]") {
  ScratchDir dir;
  std::string path = dir.path() + "/state.json";
  LockHolder child(path, "long", 30s);
  LocalStateStore store(path);
  auto started = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("patient"), 300ms);
  CHECK(std::chrono::steady_clock::now() - started >= 300ms);
  REQUIRE_FALSE(lock.ok());
  CHECK_THAT(lock.error().message, Catch::StartsWith("waited 300ms for the state lock: state is locked by child@box"));
}

TEST_CASE("local lock: a SIGKILLed holder frees the lock at once; its stale record is overwritten", "[state]") {
  ScratchDir dir;
  std::string path = dir.path() + "/state.json";
  LockHolder child(path, "doomed", 30s);
  LocalStateStore store(path);
  REQUIRE_FALSE(store.lock(lock_info("mine"), 0ms).ok());
  child.kill();
  // The dead holder's record is still in the file, but nobody holds it.
  CHECK_THAT(read_bytes(store.lock_path()), Catch::Contains("doomed"));
  CHECK_FALSE(store.holder()->has_value());
  Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("mine"), 0ms);
  REQUIRE(lock.ok());
  CHECK(store.holder()->value().id == "mine");
}

TEST_CASE("local lock: held until destroyed, exclusive within a process too", "[state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/state.json");
  CHECK_FALSE(store.holder()->has_value());
  {
    Result<std::unique_ptr<Lock>> first = store.lock(lock_info("one"), 0ms);
    REQUIRE(first.ok());
    Result<std::unique_ptr<Lock>> second = store.lock(lock_info("two"), 0ms);
    REQUIRE_FALSE(second.ok());
    CHECK_THAT(second.error().message, Catch::Contains("lock id one;"));
  }
  CHECK_FALSE(store.holder()->has_value());
  CHECK(store.lock(lock_info("two"), 0ms).ok());
}

TEST_CASE("local lock: force_unlock needs the holder's id and frees the state for the next writer", "[state]") {
  ScratchDir dir;
  std::string path = dir.path() + "/state.json";
  LocalStateStore store(path);
  Status nobody = store.force_unlock("whatever");
  REQUIRE_FALSE(nobody.ok());
  CHECK(nobody.error().code == ErrorCode::kNotFound);
  CHECK_THAT(nobody.error().message, Catch::Contains("is not locked"));

  LockHolder child(path, "stuck-one", 30s);
  Status wrong = store.force_unlock("not-the-id");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == ErrorCode::kConflict);
  CHECK_THAT(wrong.error().message, Catch::StartsWith("lock id not-the-id is not the current lock: state is locked by child@box"));
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

TEST_CASE("local lock: unlocking a holder that already exited says so", "[state]") {
  ScratchDir dir;
  std::string path = dir.path() + "/state.json";
  LocalStateStore store(path);
  {
    LockHolder child(path, "gone", 30s);
    child.kill();
  }
  Status released = store.force_unlock("gone");
  REQUIRE_FALSE(released.ok());
  CHECK(released.error().code == ErrorCode::kNotFound);
  CHECK_THAT(released.error().message, Catch::StartsWith("lock gone is no longer held"));
}

}  // namespace
}  // namespace skiff::state
