// The lock file's record of its holder (a LockInfo as JSON), written by
// every backend's lock and read back for a second writer's message, so
// that `local` and `ssh` agree on its bytes and on its errors.
#pragma once

#include <string>

#include "base/result.hpp"
#include "state/store.hpp"

namespace skiff::state {

// Two-space indented JSON and a final newline.
std::string lock_record_text(const LockInfo& info);

// The record in `bytes`; `name` (the lock file) is named in errors. An
// empty file is kConflict "its lock file NAME is empty": a holder writes
// its record just after taking the lock, so a reader may retry.
Result<LockInfo> parse_lock_record(const std::string& bytes, const std::string& name);

}  // namespace skiff::state
