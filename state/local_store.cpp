#include "state/local_store.hpp"

#include <unistd.h>

#include "state/file_io.hpp"
#include "state/state_json.hpp"
#include "state/uuid.hpp"

namespace skiff::state {

LocalStateStore::LocalStateStore(std::string path) : path_(std::move(path)) {}

std::string LocalStateStore::describe() const { return "local " + path_; }

std::string LocalStateStore::backup_clause() {
  Result<std::optional<std::string>> bytes = read_file_if_exists(backup_path());
  if (bytes.ok() && !bytes->has_value()) return "there is no backup (" + backup_path() + ")";
  if (bytes.ok()) {
    Result<State> backup = state_from_text(**bytes);
    if (backup.ok()) return "its backup is " + backup_path() + " (serial " + std::to_string(backup->serial) + ")";
  }
  return "its backup " + backup_path() + " cannot be read either";
}

Error LocalStateStore::unreadable(const std::string& problem, ErrorCode code) {
  return make_error(code, "state file " + path_ + " cannot be read (" + problem + "); " + backup_clause() +
                              ". Fix or restore it by hand; skiff will not write over it.");
}

Result<LocalStateStore::OnDisk> LocalStateStore::read_current() {
  Result<std::optional<std::string>> bytes = read_file_if_exists(path_);
  if (!bytes.ok()) return unreadable(bytes.error().message, bytes.error().code);
  if (!bytes->has_value()) return OnDisk{};
  Result<State> state = state_from_text(**bytes);
  if (!state.ok()) return unreadable(state.error().message, state.error().code);
  return OnDisk{std::move(*state), std::move(**bytes)};
}

Result<std::optional<State>> LocalStateStore::load() {
  Result<OnDisk> current = read_current();
  if (!current.ok()) return current.error();
  return std::move(current->state);
}

namespace {

Status check_expected(const std::optional<State>& current, const State& state, uint64_t expected_serial) {
  uint64_t now = current ? current->serial : 0;
  if (now != expected_serial) {
    std::string now_text = current ? std::to_string(now) : std::string("none (the state file is gone)");
    return make_error(ErrorCode::kConflict, "state serial changed: read " + std::to_string(expected_serial) + ", now " +
                                                now_text + " (another writer?)");
  }
  // Lineage tells two states apart that happen to share a serial, such as
  // a state copied in from another project.
  if (current && !state.lineage.empty() && current->lineage != state.lineage)
    return make_error(ErrorCode::kConflict,
                      "state lineage changed: read " + state.lineage + ", now " + current->lineage + " (a different state?)");
  return Status();
}

}  // namespace

Status LocalStateStore::write_files(const State& state, const std::optional<std::string>& previous_bytes) {
  std::string directory = parent_directory(path_);
  Status status = make_private_directories(directory);
  if (!status) return status;
  std::string suffix = ".tmp." + std::to_string(::getpid());
  std::string temp = path_ + suffix;
  status = write_synced_file(temp, state_to_text(state));
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
  Result<OnDisk> current = read_current();
  if (!current.ok()) return current.error();
  Status status = check_expected(current->state, state, expected_serial);
  if (!status) return status;
  State written = state;
  // A caller that built its state afresh keeps the stored lineage: it is
  // made once, at the first write, and never changes.
  if (written.lineage.empty() && current->state) written.lineage = current->state->lineage;
  if (written.lineage.empty()) {
    Result<std::string> lineage = new_uuid();
    if (!lineage.ok()) return lineage.error().wrap("make the state's lineage");
    written.lineage = *lineage;
  }
  written.serial = expected_serial + 1;
  written.format_version = kStateFormatVersion;
  std::optional<std::string> previous;
  if (current->state) previous = std::move(current->bytes);
  status = write_files(written, previous);
  if (!status) return status.error().wrap("save state " + path_);
  // Only a state that reached the disk changes the caller's copy.
  state.lineage = written.lineage;
  state.serial = written.serial;
  state.format_version = written.format_version;
  return Status();
}

}  // namespace skiff::state
