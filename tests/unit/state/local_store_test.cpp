// What only the local state store promises, against a real temp
// directory: another lineage and a newer format refused, file modes. The
// saves, backups, serial conflicts, unreadable states and the lock across
// real processes are the store contract (store_contract.hpp), which every
// backend passes.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace
}  // namespace skiff::state
