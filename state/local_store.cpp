#include "state/local_store.hpp"

#include <unistd.h>

#include "state/file_io.hpp"
#include "state/state_json.hpp"
#include "state/stored_state.hpp"

namespace skiff::state {

LocalStateStore::LocalStateStore(std::string path) : path_(std::move(path)) {}

std::string LocalStateStore::describe() const { return "local " + path_; }

Result<LocalStateStore::OnDisk> LocalStateStore::read_current(bool full) {
  Result<std::optional<std::string>> bytes = read_file_if_exists(path_);
  if (!bytes.ok())
    return unreadable_state(path_, bytes.error().message, bytes.error().code,
                            backup_clause(backup_path(), read_file_if_exists(backup_path())));
  Result<std::optional<State>> state = known_.decode(
      path_, backup_path(), *bytes, [this] { return read_file_if_exists(backup_path()); }, full);
  if (!state.ok()) return state.error();
  return OnDisk{std::move(*state), bytes->value_or(std::string())};
}

Result<std::optional<State>> LocalStateStore::load() {
  Result<OnDisk> current = read_current(true);
  if (!current.ok()) return current.error();
  return std::move(current->state);
}

Status LocalStateStore::write_files(const std::string& text, const std::optional<std::string>& previous_bytes) {
  std::string directory = parent_directory(path_);
  Status status = make_private_directories(directory);
  if (!status) return status;
  std::string suffix = ".tmp." + std::to_string(::getpid());
  std::string temp = path_ + suffix;
  status = write_synced_file(temp, text);
  if (!status) return status;
  // The backup is replaced atomically too: a crash here must leave either
  // the old backup or the new one, never half of one.
  if (previous_bytes) {
    std::string backup_temp = backup_path() + suffix;
    status = write_synced_file(backup_temp, *previous_bytes);
    if (status) status = rename_file(backup_temp, backup_path());
    if (!status) {
      ::unlink(backup_temp.c_str());
      ::unlink(temp.c_str());
      return status;
    }
  }
  status = rename_file(temp, path_);
  if (!status) {
    ::unlink(temp.c_str());
    return status;
  }
  return sync_directory(directory);
}

Status LocalStateStore::save(State& state, uint64_t expected_serial) {
  Result<OnDisk> current = read_current(false);
  if (!current.ok()) return current.error();
  Status status = check_expected(current->state, state, expected_serial);
  if (!status) return status;
  Result<State> written = next_version(state, current->state, expected_serial);
  if (!written.ok()) return written.error();
  std::optional<std::string> previous;
  if (current->state) previous = std::move(current->bytes);
  std::string text = state_to_text(*written);
  status = write_files(text, previous);
  if (!status) return status.error().wrap("save state " + path_);
  known_.remember(std::move(text), *written);
  // Only a state that reached the disk changes the caller's copy.
  adopt_version(state, *written);
  return Status();
}

}  // namespace skiff::state
