#include "cli/locked_state.hpp"

#include <algorithm>

#include "cli/state_access.hpp"
#include "state/lock_message.hpp"

namespace skiff::cli {

namespace {

// "5m", "90s", "1500ms": -lock-timeout as it was probably typed.
std::string wait_text(std::chrono::milliseconds wait) {
  const auto ms = wait.count();
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  return std::to_string(ms / 1000) + "s";
}

// The lock within `wait`, looking at `cancelled` each second; the store's
// last answer when it gave up.
Result<std::unique_ptr<state::Lock>> wait_for_lock(state::StateStore& store, const state::LockInfo& info,
                                                   std::chrono::milliseconds wait, const LockCancelled& cancelled) {
  if (!cancelled) return store.lock(info, wait);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    Result<std::unique_ptr<state::Lock>> lock =
        store.lock(info, std::clamp(left, std::chrono::milliseconds(0), std::chrono::milliseconds(1000)));
    if (lock.ok() || lock.error().code != ErrorCode::kConflict || left.count() <= 1000 || cancelled()) return lock;
  }
}

// The lock at once when it is free; otherwise, the holder named to
// `waiting`, then the lock within `wait`.
Result<std::unique_ptr<state::Lock>> take_lock(state::StateStore& store, const state::LockInfo& info,
                                               std::chrono::milliseconds wait, const LockWaitNotice& waiting,
                                               const LockCancelled& cancelled) {
  if (wait.count() <= 0 || !waiting) return wait_for_lock(store, info, wait, cancelled);
  Result<std::unique_ptr<state::Lock>> at_once = store.lock(info, std::chrono::milliseconds(0));
  if (at_once.ok() || at_once.error().code != ErrorCode::kConflict) return at_once;
  Result<std::optional<state::LockInfo>> holder = store.holder();
  const std::string whom = holder.ok() && holder->has_value() ? ", held by " + state::describe_holder(**holder) : "";
  waiting("Waiting up to " + wait_text(wait) + " for the state lock (" + store.describe() + ")" + whom + " ...");
  return wait_for_lock(store, info, wait, cancelled);
}

}  // namespace

Result<LockedState> lock_state(const Workspace& workspace, const std::string& operation, std::chrono::milliseconds wait,
                               const LockWaitNotice& waiting, const LockCancelled& cancelled) {
  Result<std::unique_ptr<state::StateStore>> store = open_state_store(workspace);
  if (!store.ok()) return store.error();
  LockedState locked;
  locked.store = std::move(*store);
  Result<std::unique_ptr<state::Lock>> lock = take_lock(*locked.store, make_lock_info(operation), wait, waiting, cancelled);
  if (!lock.ok()) return lock.error();
  locked.lock = std::move(*lock);
  Result<std::optional<state::State>> loaded = locked.store->load();
  if (!loaded.ok()) return loaded.error();
  locked.state = loaded->value_or(state::State{});
  locked.read_serial = locked.state.serial;
  return locked;
}

}  // namespace skiff::cli
