// The rules every backend applies to the state it finds and the state it
// writes, kept apart from where the bytes live so that `local` and `ssh`
// refuse, check and stamp a state in exactly the same words:
//
// - a state that cannot be read is refused with an error naming it and
//   its backup, and saying that skiff will not write over it;
// - a save is refused (kConflict) when the stored serial, or lineage, is
//   not the one the caller read;
// - the written state gets serial + 1, the stored lineage (or a new one
//   at the first write) and this skiff's format_version.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "state/state.hpp"

namespace skiff::state {

// The clause about the backup in an "unreadable" error, from what reading
// `backup_name` gave (nullopt: no such file): "its backup is NAME (serial
// 3)", "there is no backup (NAME)" or "its backup NAME cannot be read
// either".
std::string backup_clause(const std::string& backup_name, const Result<std::optional<std::string>>& backup_bytes);

// "state file NAME cannot be read (PROBLEM); BACKUP_CLAUSE. Fix or restore
// it by hand; skiff will not write over it."
Error unreadable_state(const std::string& name, const std::string& problem, ErrorCode code, const std::string& backup_clause);

// The state in `bytes` (no bytes and no backup: none was ever written), the
// unreadable_state error, or (no bytes but a backup: a lost state) an error
// saying how to restore it; `read_backup` is asked only in those two cases.
using BackupReader = std::function<Result<std::optional<std::string>>()>;
Result<std::optional<State>> decode_stored(const std::string& name, const std::string& backup_name,
                                           const std::optional<std::string>& bytes, const BackupReader& read_backup);

// What a store last read or wrote. A save re-reads the stored bytes to check
// their serial; when they are still these, only serial, lineage and
// format_version are needed, and decoding them again (tens of milliseconds
// for a thousand allocations, at every step of an apply) is skipped.
class KnownStored {
 public:
  void remember(std::string bytes, const State& state);
  // decode_stored(...) of `bytes`, remembered; but with `full` false and
  // the remembered bytes, a State holding only their serial, lineage and
  // format_version.
  Result<std::optional<State>> decode(const std::string& name, const std::string& backup_name,
                                      const std::optional<std::string>& bytes, const BackupReader& read_backup, bool full);

 private:
  std::optional<std::string> bytes_;
  State version_;
};

// kConflict unless `current` (the stored state) is what a caller who read
// `expected_serial` expects, with the same lineage when `state` has one.
Status check_expected(const std::optional<State>& current, const State& state, uint64_t expected_serial);

// The state to write: `state` with serial expected_serial + 1, the stored
// lineage kept (or a new one made), this skiff's format_version.
Result<State> next_version(const State& state, const std::optional<State>& current, uint64_t expected_serial);

// Once `written` reached the store: the caller's copy takes its lineage,
// serial and format_version.
void adopt_version(State& state, const State& written);

}  // namespace skiff::state
