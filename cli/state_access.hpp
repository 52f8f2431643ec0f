// Reaching the state from a command: the store skiff.hcl's state block
// names, and the LockInfo a command writes when it takes the lock.
#pragma once

#include <memory>
#include <string>

#include "cli/workspace.hpp"
#include "state/store.hpp"

namespace skiff::cli {

// The local backend at skiff.hcl's state path (already resolved against
// skiff.hcl's directory), or ./.skiff/state.json when there is no
// skiff.hcl. The ssh backend is not available yet (kUnsupported).
Result<std::unique_ptr<state::StateStore>> open_state_store(const Workspace& workspace);

// A fresh lock id (a random UUID), $USER@hostname, this pid, now and
// skiff's version, for `operation` ("apply", "job stop", ...).
state::LockInfo make_lock_info(const std::string& operation);

}  // namespace skiff::cli
