#include "state/local_store.hpp"

#include "state/file_io.hpp"
#include "state/state_json.hpp"
#include "state/stored_state.hpp"

namespace skiff::state {

LocalStateStore::LocalStateStore(std::string path)
    : path_(std::move(path)), directory_(parent_directory(path_)), name_(file_name(path_)) {}

std::string LocalStateStore::describe() const { return "local " + path_; }

Result<LocalStateStore::OnDisk> LocalStateStore::read_current(bool full) {
  Result<std::optional<StateDirectory>> directory = StateDirectory::open(directory_, WhenMissing::kNothing);
  if (!directory.ok()) return directory.error();
  // Without its folder there is no state and no backup either.
  auto read = [&directory](const std::string& name) -> Result<std::optional<std::string>> {
    if (!directory->has_value()) return std::optional<std::string>();
    return (*directory)->read_file_if_exists(name);
  };
  Result<std::optional<std::string>> bytes = read(name_);
  if (!bytes.ok())
    return unreadable_state(path_, bytes.error().message, bytes.error().code, backup_clause(backup_path(), read(backup_name())));
  Result<std::optional<State>> state = known_.decode(
      path_, backup_path(), *bytes, [&read, this] { return read(backup_name()); }, full);
  if (!state.ok()) return state.error();
  return OnDisk{std::move(*state), bytes->value_or(std::string())};
}

Result<std::optional<State>> LocalStateStore::load() {
  Result<OnDisk> current = read_current(true);
  if (!current.ok()) return current.error();
  return std::move(current->state);
}

Status LocalStateStore::write_files(const std::string& text, const std::optional<std::string>& previous_bytes) {
  Result<std::optional<StateDirectory>> opened = StateDirectory::open(directory_, WhenMissing::kCreate);
  if (!opened.ok()) return opened.error();
  const StateDirectory& directory = **opened;
  Result<std::string> temp = directory.write_temp_file(name_, text);
  if (!temp.ok()) return temp.error();
  // The backup is replaced atomically too: a crash here must leave either
  // the old backup or the new one, never half of one.
  if (previous_bytes) {
    Result<std::string> backup_temp = directory.write_temp_file(backup_name(), *previous_bytes);
    Status status = backup_temp.ok() ? directory.rename(*backup_temp, backup_name()) : Status(backup_temp.error());
    if (!status) {
      if (backup_temp.ok()) directory.remove_temp(*backup_temp);
      directory.remove_temp(*temp);
      return status;
    }
  }
  Status status = directory.rename(*temp, name_);
  if (!status) {
    directory.remove_temp(*temp);
    return status;
  }
  return directory.sync();
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
