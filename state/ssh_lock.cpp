// SshStateStore's lock: flock(2) on `<path>.lock` on the host, held by a
// remote shell for as long as skiff's SSH channel to it lives (see
// ssh_store.hpp), with the holder's LockInfo written into that file. The
// same semantics as local_lock.cpp, step by step.
#include <cstdio>
#include <thread>

#include "drivers/scripts/scripts.hpp"
#include "state/lock_message.hpp"
#include "state/lock_record.hpp"
#include "state/ssh_store.hpp"

namespace skiff::state {

namespace {

using namespace std::chrono_literals;

// drivers/scripts/state_lock.sh's exit status when another holder has the
// lock (after `wait`), and the line it prints once it holds it.
constexpr int kBusy = 3;
constexpr const char* kLockedLine = "locked";
// Beyond the wait itself: connecting, starting the shell.
constexpr std::chrono::milliseconds kLockStartSlack = 60s;
// As for `local`: a holder writes its record right after taking the flock.
constexpr int kRecordReadTries = 10;
constexpr std::chrono::milliseconds kRecordReadPause = 20ms;

// What the Lock sends its holder when destroyed: clear the record, then
// exit. A lost connection is a bare EOF, which leaves the record in place
// (stale, its flock free), as a killed local holder does.
constexpr const char* kReleaseInput = "release\n";

// drivers/scripts/state_lock_view.sh's exit status when there is no lock file.
constexpr int kNoLockFile = 10;

class SshLock : public Lock {
 public:
  SshLock(std::shared_ptr<drivers::CommandHold> hold, LockInfo info) : hold_(std::move(hold)), info_(std::move(info)) {}
  const LockInfo& info() const override { return info_; }

 private:
  std::shared_ptr<drivers::CommandHold> hold_;
  LockInfo info_;
};

// flock -w takes fractional seconds.
std::string seconds_text(std::chrono::milliseconds wait) {
  if (wait.count() <= 0) return "0";
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%03lld", static_cast<long long>(wait.count() / 1000),
                static_cast<long long>(wait.count() % 1000));
  return text;
}

}  // namespace

Result<std::unique_ptr<Lock>> SshStateStore::lock(const LockInfo& info, std::chrono::milliseconds wait) {
  std::string what = "lock state " + name_of(path());
  for (int freed_while_looking = 0;;) {
    drivers::Command command;
    command.argv = {"sh",
                    "-c",
                    std::string(drivers::scripts::kStateLockSh),
                    "skiff-state-lock",
                    lock_path(),
                    lock_record_text(info),
                    seconds_text(wait)};
    command.timeout = wait + kLockStartSlack;
    Result<drivers::HoldStart> started = holder_->start(command, kLockedLine, kReleaseInput);
    if (!started.ok()) return started.error().wrap(what);
    if (started->hold) {
      std::shared_ptr<drivers::CommandHold> hold = std::move(started->hold);
      held_ = hold;
      return std::unique_ptr<Lock>(new SshLock(std::move(hold), info));
    }
    if (started->ended.exit_status != kBusy || started->ended.signal)
      return remote_failure(what, "flock " + lock_path(), started->ended);
    Result<std::optional<LockInfo>> who = holder();
    if (!who.ok())
      return make_error(ErrorCode::kConflict, "state is locked, but not by a holder skiff can name: " + who.error().message);
    if (who->has_value()) return locked_error(**who, wait);
    // The holder let go between our attempt and our look: try again, a
    // few times, rather than report a lock nobody holds.
    if (++freed_while_looking >= 3)
      return make_error(ErrorCode::kConflict, "state lock " + name_of(lock_path()) + " keeps changing hands");
  }
}

Result<SshStateStore::LockFileView> SshStateStore::view_lock_file() {
  drivers::Command command =
      bounded({"sh", "-c", std::string(drivers::scripts::kStateLockViewSh), "skiff-state-lock-view", lock_path()});
  Result<drivers::CommandResult> ran = transport_->run(command);
  if (!ran.ok()) return ran.error().wrap("read " + name_of(lock_path()));
  LockFileView view;
  if (ran->exit_status == kNoLockFile && !ran->signal) return view;
  if (!ran->success()) return remote_failure("read " + name_of(lock_path()), "flock -s " + lock_path(), *ran);
  const std::string& out = ran->stdout_data;
  size_t newline = out.find('\n');
  std::string first = out.substr(0, newline);
  if (newline == std::string::npos || (first != "held" && first != "free"))
    return make_error(ErrorCode::kIo, "read " + name_of(lock_path()) + ": unexpected output from " + location_.host);
  view.exists = true;
  view.held = first == "held";
  view.record = out.substr(newline + 1);
  return view;
}

Result<std::optional<LockInfo>> SshStateStore::holder() {
  Result<LockInfo> info = make_error(ErrorCode::kInternal, "unread");
  for (int tries = 0; tries < kRecordReadTries; ++tries) {
    if (tries > 0) std::this_thread::sleep_for(kRecordReadPause);
    Result<LockFileView> view = view_lock_file();
    if (!view.ok()) return view.error();
    if (!view->held) return std::optional<LockInfo>();
    info = parse_lock_record(view->record, name_of(lock_path()));
    if (info.ok()) break;
  }
  if (!info.ok()) return info.error();
  return std::optional<LockInfo>(std::move(*info));
}

Status SshStateStore::force_unlock(const std::string& id) {
  Result<std::optional<LockInfo>> who = holder();
  if (!who.ok()) return who.error();
  if (!who->has_value()) {
    Result<LockFileView> view = view_lock_file();
    if (view.ok() && view->exists) {
      Result<LockInfo> stale = parse_lock_record(view->record, name_of(lock_path()));
      if (stale.ok() && stale->id == id)
        return make_error(ErrorCode::kNotFound,
                          "lock " + id + " is no longer held: its process has exited, and the next writer takes the lock");
    }
    return make_error(ErrorCode::kNotFound, "state " + name_of(path()) + " is not locked; there is nothing to release");
  }
  if ((*who)->id != id)
    return make_error(ErrorCode::kConflict,
                      "lock id " + id + " is not the current lock: state is locked by " + describe_holder(**who));
  // The stuck holder keeps its flock on the removed file, which guards
  // nothing any more: the next writer creates a fresh lock file.
  drivers::Command remove = bounded({"rm", "-f", "--", lock_path()});
  Result<drivers::CommandResult> ran = transport_->run(remove);
  if (!ran.ok()) return ran.error().wrap("remove " + name_of(lock_path()));
  if (!ran->success()) return remote_failure("remove " + name_of(lock_path()), "rm", *ran);
  return Status();
}

}  // namespace skiff::state
