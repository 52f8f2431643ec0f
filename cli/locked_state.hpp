// The start of every command that changes anything: the state store,
// its lock taken (waiting up to `wait`), and the state read under it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "cli/workspace.hpp"
#include "state/store.hpp"

namespace skiff::cli {

struct LockedState {
  std::unique_ptr<state::StateStore> store;
  std::unique_ptr<state::Lock> lock;  // held while this lives
  state::State state;                 // a new, empty one when none was written yet
  uint64_t read_serial = 0;           // what save() must be given
};

// Told once, before waiting, when the lock is held and `wait` is not zero:
// "Waiting up to 5m for the state lock (local .skiff/state.json), held by
// alice@box (pid 4242) since ... for "apply", lock id ...".
using LockWaitNotice = std::function<void(const std::string&)>;

// Asked about once a second while waiting: true gives up (the reconcile
// loop, told to stop).
using LockCancelled = std::function<bool()>;

// Fails (the message says why: who holds the lock, an unreadable state)
// without touching anything.
Result<LockedState> lock_state(const Workspace& workspace, const std::string& operation, std::chrono::milliseconds wait,
                               const LockWaitNotice& waiting = {}, const LockCancelled& cancelled = {});

}  // namespace skiff::cli
