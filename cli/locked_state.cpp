#include "cli/locked_state.hpp"

#include "cli/state_access.hpp"

namespace skiff::cli {

Result<LockedState> lock_state(const Workspace& workspace, const std::string& operation, std::chrono::milliseconds wait) {
  Result<std::unique_ptr<state::StateStore>> store = open_state_store(workspace);
  if (!store.ok()) return store.error();
  LockedState locked;
  locked.store = std::move(*store);
  Result<std::unique_ptr<state::Lock>> lock = locked.store->lock(make_lock_info(operation), wait);
  if (!lock.ok()) return lock.error();
  locked.lock = std::move(*lock);
  Result<std::optional<state::State>> loaded = locked.store->load();
  if (!loaded.ok()) return loaded.error();
  locked.state = loaded->value_or(state::State{});
  locked.read_serial = locked.state.serial;
  return locked;
}

}  // namespace skiff::cli
