#include "state/stored_state.hpp"

#include "state/state_json.hpp"
#include "state/uuid.hpp"

namespace skiff::state {

std::string backup_clause(const std::string& backup_name, const Result<std::optional<std::string>>& backup_bytes) {
  if (backup_bytes.ok() && !backup_bytes->has_value()) return "there is no backup (" + backup_name + ")";
  if (backup_bytes.ok()) {
    Result<State> backup = state_from_text(**backup_bytes);
    if (backup.ok()) return "its backup is " + backup_name + " (serial " + std::to_string(backup->serial) + ")";
  }
  return "its backup " + backup_name + " cannot be read either";
}

Error unreadable_state(const std::string& name, const std::string& problem, ErrorCode code, const std::string& backup_clause) {
  return make_error(code,
                    "state file " + name + " cannot be read (" + problem + "); " + backup_clause +
                        ". Fix or restore it by hand; skiff will not write over it.");
}

namespace {

// "state file NAME is missing, but its backup BACKUP (serial 3) is there.
// Restore it with `cp BACKUP NAME` ..., or remove the backup ...": a state
// that was lost (deleted, a half-done copy), not one never written.
Error missing_state(const std::string& name, const std::string& backup_name, const std::string& backup_bytes) {
  Result<State> backup = state_from_text(backup_bytes);
  const std::string what = backup.ok() ? " (serial " + std::to_string(backup->serial) + ")" : " (which cannot be read either)";
  return make_error(ErrorCode::kConflict,
                    "state file " + name + " is missing, but its backup " + backup_name + what +
                        " is there. Restore it with `cp " + backup_name + " " + name +
                        "` (then `skiff plan` shows what changed since), or remove the backup to "
                        "start a new state; skiff will not start one over it.");
}

}  // namespace

Result<std::optional<State>> decode_stored(const std::string& name, const std::string& backup_name,
                                           const std::optional<std::string>& bytes, const BackupReader& read_backup) {
  if (!bytes) {
    // No state but a backup: the state was lost (deleted, or a half-done
    // copy), not never written. Starting afresh would forget every job and
    // allocation the backup knows, so say so rather than begin a new state.
    Result<std::optional<std::string>> backup = read_backup();
    if (backup.ok() && backup->has_value()) return missing_state(name, backup_name, **backup);
    return std::optional<State>();
  }
  Result<State> state = state_from_text(*bytes);
  if (!state.ok())
    return unreadable_state(name, state.error().message, state.error().code, backup_clause(backup_name, read_backup()));
  return std::optional<State>(std::move(*state));
}

void KnownStored::remember(std::string bytes, const State& state) {
  bytes_ = std::move(bytes);
  version_ = State{};
  version_.serial = state.serial;
  version_.lineage = state.lineage;
  version_.format_version = state.format_version;
}

Result<std::optional<State>> KnownStored::decode(const std::string& name, const std::string& backup_name,
                                                 const std::optional<std::string>& bytes, const BackupReader& read_backup,
                                                 bool full) {
  if (!full && bytes && bytes_ == *bytes) return std::optional<State>(version_);
  Result<std::optional<State>> state = decode_stored(name, backup_name, bytes, read_backup);
  if (state.ok() && *state) remember(*bytes, **state);
  return state;
}

Status check_expected(const std::optional<State>& current, const State& state, uint64_t expected_serial) {
  uint64_t now = current ? current->serial : 0;
  if (now != expected_serial) {
    std::string now_text = current ? std::to_string(now) : std::string("none (the state file is gone)");
    return make_error(
        ErrorCode::kConflict,
        "state serial changed: read " + std::to_string(expected_serial) + ", now " + now_text + " (another writer?)");
  }
  // Lineage tells two states apart that happen to share a serial, such as
  // a state copied in from another project.
  if (current && !state.lineage.empty() && current->lineage != state.lineage)
    return make_error(ErrorCode::kConflict,
                      "state lineage changed: read " + state.lineage + ", now " + current->lineage + " (a different state?)");
  return Status();
}

Result<State> next_version(const State& state, const std::optional<State>& current, uint64_t expected_serial) {
  State written = state;
  // A caller that built its state afresh keeps the stored lineage: it is
  // made once, at the first write, and never changes.
  if (written.lineage.empty() && current) written.lineage = current->lineage;
  if (written.lineage.empty()) {
    Result<std::string> lineage = new_uuid();
    if (!lineage.ok()) return lineage.error().wrap("make the state's lineage");
    written.lineage = *lineage;
  }
  written.serial = expected_serial + 1;
  written.format_version = kStateFormatVersion;
  return written;
}

void adopt_version(State& state, const State& written) {
  state.lineage = written.lineage;
  state.serial = written.serial;
  state.format_version = written.format_version;
}

}  // namespace skiff::state
