#include "state/ssh_store.hpp"

#include "base/text.hpp"
#include "drivers/scripts/scripts.hpp"
#include "state/state_json.hpp"
#include "state/stored_state.hpp"

namespace skiff::state {

namespace {

// drivers/scripts/state_read.sh's exit status for "no such file".
constexpr int kAbsent = 10;

}  // namespace

SshStateStore::SshStateStore(SshStateLocation location, std::unique_ptr<drivers::Transport> transport,
                             std::unique_ptr<drivers::CommandHolder> holder, std::chrono::milliseconds command_timeout)
    : location_(std::move(location)),
      transport_(std::move(transport)),
      command_timeout_(command_timeout),
      holder_(std::move(holder)) {}

drivers::Command SshStateStore::bounded(std::vector<std::string> argv) const {
  drivers::Command command;
  command.argv = std::move(argv);
  command.timeout = command_timeout_;
  return command;
}

std::string SshStateStore::describe() const {
  return "ssh " + (location_.user.empty() ? "" : location_.user + "@") + location_.host + ":" + location_.path;
}

Error SshStateStore::remote_failure(const std::string& what, const std::string& program,
                                    const drivers::CommandResult& result) const {
  std::string how =
      result.signal ? "was killed by SIG" + *result.signal : "exited with status " + std::to_string(result.exit_status);
  std::string text = what + ": `" + program + "` on " + location_.host + " " + how;
  std::string stderr_text = base::without_trailing_space(result.stderr_data);
  if (!stderr_text.empty()) text += ": " + stderr_text;
  return make_error(ErrorCode::kIo, text);
}

Result<SshStateStore::RemoteRead> SshStateStore::read_remote(const std::string& path) {
  drivers::Command command = bounded({"sh", "-c", std::string(drivers::scripts::kStateReadSh), "skiff-state-read", path});
  Result<drivers::CommandResult> ran = transport_->run(command);
  if (!ran.ok()) return ran.error().wrap("read " + name_of(path));
  RemoteRead read;
  if (ran->exit_status == kAbsent && !ran->signal) return read;
  if (!ran->success()) read.failure = remote_failure("read " + name_of(path), "cat", *ran);
  else read.bytes = std::move(ran->stdout_data);
  return read;
}

Result<std::optional<State>> SshStateStore::load() { return read_state(true); }

Result<std::optional<State>> SshStateStore::read_state(bool full) {
  Result<RemoteRead> current = read_remote(path());
  // An unreachable host is not an unreadable state: only the latter gets
  // the "fix or restore it by hand" advice.
  if (!current.ok()) return current.error();
  std::string name = name_of(path()), backup_name = name_of(backup_path());
  auto read_backup = [this]() -> Result<std::optional<std::string>> {
    Result<RemoteRead> backup = read_remote(backup_path());
    if (!backup.ok()) return backup.error();
    if (backup->failure) return *backup->failure;
    return std::move(backup->bytes);
  };
  if (current->failure)
    return unreadable_state(name, current->failure->message, current->failure->code, backup_clause(backup_name, read_backup()));
  return known_.decode(name, backup_name, current->bytes, read_backup, full);
}

Status SshStateStore::write_remote(const std::string& text, bool keep_backup) {
  // The size lets the script tell a whole state from one cut short by a
  // lost connection (its `cat` then sees EOF early), which it must not
  // rename over the state.
  drivers::Command command = bounded({"sh", "-c", std::string(drivers::scripts::kStateWriteSh), "skiff-state-write", path(),
                                      keep_backup ? "1" : "0", std::to_string(text.size())});
  command.stdin_data = text;
  Result<drivers::CommandResult> ran = transport_->run(command);
  if (!ran.ok()) return ran.error().wrap("save state " + name_of(path()));
  if (!ran->success()) return remote_failure("save state " + name_of(path()), "sh (write, sync, rename)", *ran);
  return Status();
}

Status SshStateStore::save(State& state, uint64_t expected_serial) {
  if (std::shared_ptr<drivers::CommandHold> hold = held_.lock()) {
    Status alive = hold->alive();
    if (!alive)
      return make_error(
          ErrorCode::kConflict,
          "save state " + name_of(path()) + ": the state lock was lost (" + alive.error().message + "); nothing was written");
  }
  Result<std::optional<State>> current = read_state(false);
  if (!current.ok()) return current.error();
  Status status = check_expected(*current, state, expected_serial);
  if (!status) return status;
  Result<State> written = next_version(state, *current, expected_serial);
  if (!written.ok()) return written.error();
  std::string text = state_to_text(*written);
  status = write_remote(text, current->has_value());
  if (!status) return status;
  known_.remember(std::move(text), *written);
  adopt_version(state, *written);
  return Status();
}

}  // namespace skiff::state
