// SshStateStore's lock: flock(2) on `<path>.lock` on the host, held by a
// remote shell for as long as skiff's SSH channel to it lives (see
// ssh_store.hpp), with the holder's LockInfo written into that file. The
// same semantics as local_lock.cpp, step by step.
#include <cstdio>
#include <thread>

#include "state/lock_message.hpp"
#include "state/lock_record.hpp"
#include "state/ssh_store.hpp"

namespace skiff::state {

namespace {

using namespace std::chrono_literals;

// The lock script's exit status when another holder has the lock (after
// `wait`), and the line it prints once it holds it.
constexpr int kBusy = 3;
constexpr const char* kLockedLine = "locked";
// Beyond the wait itself: connecting, starting the shell.
constexpr std::chrono::milliseconds kLockStartSlack = 60s;
// As for `local`: a holder writes its record right after taking the flock.
constexpr int kRecordReadTries = 10;
constexpr std::chrono::milliseconds kRecordReadPause = 20ms;

// $1: the lock file; $2: the holder's record; $3: seconds to wait (0: none).
// fd 9 keeps the lock file open, and with it the flock, until this shell
// exits, which it does once its stdin (the SSH channel) gives a line or EOF.
// The check after flock is local_lock.cpp's still_at_path(): force_unlock
// may have removed the file we opened, and a lock on it guards nothing.
constexpr const char* kLockScript = R"sh(
lock=$1
command -v flock >/dev/null 2>&1 || { echo "flock is not installed (util-linux)" >&2; exit 4; }
umask 077
dir=$(dirname -- "$lock") && mkdir -p -- "$dir" || exit 5
tries=0
while :; do
  exec 9<>"$lock" || exit 5
  if [ "$3" = 0 ]; then flock -n -E 3 9; else flock -w "$3" -E 3 9; fi
  status=$?
  [ "$status" = 0 ] || exit "$status"
  [ /proc/self/fd/9 -ef "$lock" ] && break
  exec 9>&-
  tries=$((tries + 1))
  [ "$tries" -lt 10 ] || { echo "lock file $lock keeps being replaced while skiff locks it" >&2; exit 6; }
done
printf '%s' "$2" >/proc/self/fd/9 || exit 5
echo locked
if read -r word && [ "$word" = release ]; then : >/proc/self/fd/9; fi
)sh";
// What the Lock sends its holder when destroyed: clear the record, then
// exit. A lost connection is a bare EOF, which leaves the record in place
// (stale, its flock free), as a killed local holder does.
constexpr const char* kReleaseInput = "release\n";

// $1: the lock file. Exits 10 when there is none; else prints "held" or
// "free" (whether a flock is on it: a shared one is refused while an
// exclusive one is held), then the record.
constexpr const char* kViewScript = R"sh(
[ -e "$1" ] || exit 10
exec 9<"$1" || exit 5
command -v flock >/dev/null 2>&1 || { echo "flock is not installed (util-linux)" >&2; exit 4; }
if flock -n -s -E 3 9; then echo free; else [ "$?" = 3 ] || exit 7; echo held; fi
exec cat <&9
)sh";
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
    command.argv = {"sh", "-c", kLockScript, "skiff-state-lock", lock_path(), lock_record_text(info), seconds_text(wait)};
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
    if (!who.ok()) return make_error(ErrorCode::kConflict, "state is locked, but not by a holder skiff can name: " + who.error().message);
    if (who->has_value()) return locked_error(**who, wait);
    // The holder let go between our attempt and our look: try again, a
    // few times, rather than report a lock nobody holds.
    if (++freed_while_looking >= 3) return make_error(ErrorCode::kConflict, "state lock " + name_of(lock_path()) + " keeps changing hands");
  }
}

Result<SshStateStore::LockFileView> SshStateStore::view_lock_file() {
  drivers::Command command;
  command.argv = {"sh", "-c", kViewScript, "skiff-state-lock-view", lock_path()};
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
        return make_error(ErrorCode::kNotFound, "lock " + id + " is no longer held: its process has exited, and the next writer takes the lock");
    }
    return make_error(ErrorCode::kNotFound, "state " + name_of(path()) + " is not locked; there is nothing to release");
  }
  if ((*who)->id != id)
    return make_error(ErrorCode::kConflict, "lock id " + id + " is not the current lock: state is locked by " + describe_holder(**who));
  // The stuck holder keeps its flock on the removed file, which guards
  // nothing any more: the next writer creates a fresh lock file.
  drivers::Command remove;
  remove.argv = {"rm", "-f", "--", lock_path()};
  Result<drivers::CommandResult> ran = transport_->run(remove);
  if (!ran.ok()) return ran.error().wrap("remove " + name_of(lock_path()));
  if (!ran->success()) return remote_failure("remove " + name_of(lock_path()), "rm", *ran);
  return Status();
}

}  // namespace skiff::state
