// What only the local state store promises, against a real temp
// directory: another lineage and a newer format refused, file modes, and
// (issue 17) a folder another user could write to, or a symlink planted
// where the store opens a file, refused without touching its target. The
// saves, backups, serial conflicts, unreadable states and the lock across
// real processes are the store contract (store_contract.hpp), which every
// backend passes.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

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
  state.jobs[job] =
      JobRecord{job, "service", {JobVersion{0, {{"id", job}}, "hash", "jobs/" + job + ".hcl", "me@here", 1, false, false}}, 0};
  return state;
}

LockInfo lock_info(const std::string& id) { return LockInfo{id, "tester@box", "apply", ::getpid(), 1700000000, "0.1.0"}; }

mode_t mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
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
  CHECK_THAT(loaded.error().message,
             Catch::Contains("is newer than this skiff reads") && Catch::Contains("skiff will not write over it"));
  State state;
  CHECK_FALSE(store.save(state, 7).ok());
  CHECK(read_bytes(store.path()) == document.dump());
}

TEST_CASE("local store: a missing state with its backup present is refused, saying how to restore it", "[state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/state.json");
  State state = state_with_job("web");
  REQUIRE(store.save(state, 0));
  REQUIRE(store.save(state, 1));
  std::filesystem::remove(store.path());
  const std::string backup = read_bytes(store.backup_path());
  Result<std::optional<State>> loaded = store.load();
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().message ==
        "state file " + store.path() + " is missing, but its backup " + store.backup_path() +
            " (serial 1) is there. Restore it with `cp " + store.backup_path() + " " + store.path() +
            "` (then `skiff plan` shows what changed since), or remove the backup to start a new "
            "state; skiff will not start one over it.");
  // Nothing is written over the backup, and restoring it as told works.
  State fresh = state_with_job("api");
  CHECK_FALSE(store.save(fresh, 0).ok());
  CHECK(read_bytes(store.backup_path()) == backup);
  std::filesystem::copy_file(store.backup_path(), store.path());
  Result<std::optional<State>> restored = store.load();
  REQUIRE(restored.ok());
  REQUIRE(restored->has_value());
  CHECK((*restored)->serial == 1);
  // Without either file, a new state starts as before.
  std::filesystem::remove(store.path());
  std::filesystem::remove(store.backup_path());
  Result<std::optional<State>> none = store.load();
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
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

// A file outside the state's folder that a planted symlink points to, and
// that must come out of every test as it went in.
struct Canary {
  std::string path;
  std::string bytes;
};

Canary make_canary(const ScratchDir& dir, const std::string& bytes) {
  Canary canary{dir.path() + "/elsewhere/canary", bytes};
  dir.write("elsewhere/canary", bytes);
  return canary;
}

bool is_symlink(const std::string& path) { return std::filesystem::is_symlink(std::filesystem::symlink_status(path)); }

std::vector<std::string> names_in(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("local store: a symlink planted at the lock file is refused, and its target left alone", "[state]") {
  ScratchDir dir;
  Canary canary = make_canary(dir, "root's precious file\n");
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  std::filesystem::create_directories(dir.path() + "/.skiff");
  std::filesystem::create_symlink(canary.path, store.lock_path());
  const std::string refusal = "refusing " + store.lock_path() + ": it is a symlink, and skiff opens no state file through one";

  Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("planted"), 0ms);
  REQUIRE_FALSE(lock.ok());
  CHECK_THAT(lock.error().message, Catch::StartsWith(refusal));
  Result<std::optional<LockInfo>> holder = store.holder();
  REQUIRE_FALSE(holder.ok());
  CHECK_THAT(holder.error().message, Catch::StartsWith(refusal));
  CHECK_FALSE(store.force_unlock("any").ok());
  CHECK(read_bytes(canary.path) == canary.bytes);
  CHECK(is_symlink(store.lock_path()));

  // Nor does a symlink to a file that does not exist yet create it.
  std::filesystem::remove(store.lock_path());
  std::filesystem::create_symlink(dir.path() + "/elsewhere/new", store.lock_path());
  CHECK_FALSE(store.lock(lock_info("dangling"), 0ms).ok());
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/elsewhere/new"));
}

TEST_CASE("local store: a symlink planted at the state file is refused, its target neither read nor replaced", "[state]") {
  ScratchDir dir;
  // The symlink points at a good state of another store, which a store
  // that followed it would take for its own.
  LocalStateStore other(dir.path() + "/elsewhere/state.json");
  State theirs = state_with_job("theirs");
  REQUIRE(other.save(theirs, 0));
  const std::string their_bytes = read_bytes(other.path());
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  std::filesystem::create_directories(dir.path() + "/.skiff");
  std::filesystem::create_symlink(other.path(), store.path());
  const std::string refusal = "refusing " + store.path() + ": it is a symlink, and skiff opens no state file through one";

  Result<std::optional<State>> loaded = store.load();
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.error().message, Catch::Contains(refusal));
  State mine = state_with_job("mine");
  Status saved = store.save(mine, 1);
  REQUIRE_FALSE(saved.ok());
  CHECK_THAT(saved.error().message, Catch::Contains(refusal));
  CHECK(read_bytes(other.path()) == their_bytes);
  CHECK(is_symlink(store.path()));

  // The backup, which the refusal reports on, is not read through one either.
  std::filesystem::create_symlink(other.path(), store.backup_path());
  Result<std::optional<State>> with_backup = store.load();
  REQUIRE_FALSE(with_backup.ok());
  CHECK_THAT(with_backup.error().message, Catch::Contains("its backup " + store.backup_path() + " cannot be read either"));
  CHECK(read_bytes(other.path()) == their_bytes);
}

TEST_CASE("local store: temp files have unpredictable names, so a planted one is never written through", "[state]") {
  ScratchDir dir;
  Canary canary = make_canary(dir, "root's precious file\n");
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  std::filesystem::create_directories(dir.path() + "/.skiff");
  // The names an older skiff used: state.json.tmp.<pid>, for the state and
  // for its backup.
  const std::string pid = std::to_string(::getpid());
  std::filesystem::create_symlink(canary.path, store.path() + ".tmp." + pid);
  std::filesystem::create_symlink(canary.path, store.backup_path() + ".tmp." + pid);
  State state = state_with_job("web");
  REQUIRE(store.save(state, 0));
  REQUIRE(store.save(state, 1));
  CHECK(read_bytes(canary.path) == canary.bytes);
  // Nothing is left beside the state but what was planted.
  CHECK(names_in(dir.path() + "/.skiff") ==
        std::vector<std::string>{"state.json", "state.json.backup", "state.json.backup.tmp." + pid, "state.json.tmp." + pid});
  Result<std::optional<State>> loaded = store.load();
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->serial == 2);
}

// Each entry point of the store gives `refusal`, and nothing is written.
void check_refused(LocalStateStore& store, const std::string& refusal) {
  Result<std::optional<State>> loaded = store.load();
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().message == refusal);
  State state = state_with_job("web");
  Status saved = store.save(state, 0);
  REQUIRE_FALSE(saved.ok());
  CHECK(saved.error().message == refusal);
  Result<std::unique_ptr<Lock>> lock = store.lock(lock_info("refused"), 0ms);
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.error().message == refusal);
  Result<std::optional<LockInfo>> holder = store.holder();
  REQUIRE_FALSE(holder.ok());
  CHECK(holder.error().message == refusal);
  CHECK_FALSE(std::filesystem::exists(store.path()));
  CHECK_FALSE(std::filesystem::exists(store.lock_path()));
}

TEST_CASE("local store: a state folder the group or others may write to is refused, saying chmod go-w", "[state]") {
  ScratchDir dir;
  const std::string folder = dir.path() + "/.skiff";
  for (mode_t mode : {0775, 0757}) {
    std::filesystem::create_directories(folder);
    REQUIRE(::chmod(folder.c_str(), mode) == 0);
    LocalStateStore store(folder + "/state.json");
    check_refused(store,
                  "refusing " + folder + " for the state: others may write to it (mode " + (mode == 0775 ? "0775" : "0757") +
                      "); `chmod go-w " + folder + "`");
    // As told, and the same store works.
    REQUIRE(::chmod(folder.c_str(), mode & ~022) == 0);
    State state = state_with_job("web");
    CHECK(store.save(state, 0));
    std::filesystem::remove_all(folder);
  }
}

TEST_CASE("local store: a state folder of another user is refused", "[state]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot give the state folder to another uid");
    return;
  }
  ScratchDir dir;
  const std::string folder = dir.path() + "/.skiff";
  std::filesystem::create_directories(folder);
  REQUIRE(::chmod(folder.c_str(), 0700) == 0);
  REQUIRE(::chown(folder.c_str(), 65534, 65534) == 0);
  LocalStateStore store(folder + "/state.json");
  check_refused(store,
                "refusing " + folder + " for the state: it is owned by uid 65534, not by uid 0 which skiff runs as; `chown 0 " +
                    folder + "` if it is yours, or run skiff as its owner");
}

TEST_CASE("local store: a symlink as the state folder, or a folder shared like /tmp, is refused", "[state]") {
  ScratchDir dir;
  std::filesystem::create_directories(dir.path() + "/real");
  const std::string link = dir.path() + "/.skiff";
  std::filesystem::create_directory_symlink(dir.path() + "/real", link);
  LocalStateStore through_link(link + "/state.json");
  check_refused(through_link,
                "refusing " + link + " for the state: it is a symlink, not a directory; name the directory it points to instead");
  CHECK(names_in(dir.path() + "/real").empty());

  // A state straight in a sticky folder every user may write to.
  const std::string shared = dir.path() + "/shared";
  std::filesystem::create_directories(shared);
  REQUIRE(::chmod(shared.c_str(), 01777) == 0);
  LocalStateStore in_shared(shared + "/state.json");
  check_refused(in_shared,
                "refusing " + shared + " for the state: it is a folder shared by every user (mode 1777, owned by uid " +
                    std::to_string(::geteuid()) + "); use a folder of your own, such as one inside it");
  // A folder of the user's own inside it is what that says, and works.
  LocalStateStore inside(shared + "/mine/state.json");
  State state = state_with_job("web");
  CHECK(inside.save(state, 0));
  CHECK(mode_of(shared + "/mine") == 0700);
}

}  // namespace
}  // namespace skiff::state
