// LocalStateStore's lock: flock(2) on `<path>.lock`, and the holder's
// LockInfo written into that file.
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "state/file_io.hpp"
#include "state/local_store.hpp"
#include "state/lock_message.hpp"
#include "state/lock_record.hpp"

namespace skiff::state {

namespace {

using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kLockRetry = 100ms;
// A holder writes its record right after taking the flock; a reader that
// finds the flock held but the record empty waits this long for it.
constexpr int kRecordReadTries = 10;
constexpr std::chrono::milliseconds kRecordReadPause = 20ms;

class LocalLock : public Lock {
 public:
  LocalLock(base::UniqueFd fd, LockInfo info) : fd_(std::move(fd)), info_(std::move(info)) {}
  ~LocalLock() override {
    // Clearing the record before letting go keeps a stale holder out of
    // other writers' messages; closing the file (fd_'s destructor)
    // releases the flock.
    if (::ftruncate(fd_.get(), 0) != 0) {
      // Nothing to do: the flock is released all the same, and a record
      // whose flock is free counts as stale.
    }
  }
  LocalLock(const LocalLock&) = delete;
  LocalLock& operator=(const LocalLock&) = delete;

  const LockInfo& info() const override { return info_; }

 private:
  base::UniqueFd fd_;
  LockInfo info_;
};

Result<std::string> read_fd(int fd, const std::string& path) {
  std::string bytes;
  char buffer[4096];
  for (off_t offset = 0;;) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("read", path, errno);
    if (n == 0) return bytes;
    bytes.append(buffer, static_cast<size_t>(n));
    offset += n;
  }
}

Status write_record(int fd, const LockInfo& info, const std::string& path) {
  std::string bytes = lock_record_text(info);
  if (::ftruncate(fd, 0) != 0) return io_error("truncate", path, errno);
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("write", path, errno);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return io_error("fsync", path, errno);
  return Status();
}

// The locked file, or nullopt when another holder has it. The file must
// still be the one named `name` once locked: force_unlock may have
// unlinked it between our open and our flock, and a flock on an unlinked
// file guards nothing.
Result<std::optional<base::UniqueFd>> try_lock(const StateDirectory& directory, const std::string& name) {
  const std::string path = directory.path_of(name);
  for (int tries = 0; tries < 10; ++tries) {
    // O_CLOEXEC (open_or_create's) matters here too: a program apply
    // starts (a local raw_exec task, an ssh client) must not inherit the
    // lock and outlive skiff.
    Result<base::UniqueFd> fd = directory.open_or_create(name);
    if (!fd.ok()) return fd.error();
    if (::flock(fd->get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) return std::optional<base::UniqueFd>();
      return io_error("lock", path, errno);
    }
    if (directory.still_names(fd->get(), name)) return std::optional<base::UniqueFd>(std::move(*fd));
  }
  return make_error(ErrorCode::kConflict, "lock file " + path + " keeps being replaced while skiff locks it");
}

}  // namespace

Result<std::unique_ptr<Lock>> LocalStateStore::lock(const LockInfo& info, std::chrono::milliseconds wait) {
  Result<std::optional<StateDirectory>> directory = StateDirectory::open(directory_, WhenMissing::kCreate);
  if (!directory.ok()) return directory.error();
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (int freed_while_looking = 0;;) {
    Result<std::optional<base::UniqueFd>> attempt = try_lock(**directory, lock_name());
    if (!attempt.ok()) return attempt.error();
    if (attempt->has_value()) {
      base::UniqueFd fd = std::move(**attempt);
      Status written = write_record(fd.get(), info, lock_path());
      if (!written) return written.error();
      return std::unique_ptr<Lock>(new LocalLock(std::move(fd), info));
    }
    auto now = std::chrono::steady_clock::now();
    if (now < deadline) {
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kLockRetry, deadline - now));
      continue;
    }
    Result<std::optional<LockInfo>> who = holder();
    if (!who.ok())
      return make_error(ErrorCode::kConflict, "state is locked, but not by a holder skiff can name: " + who.error().message);
    if (who->has_value()) return locked_error(**who, wait);
    // The holder let go between our attempt and our look: try again, a
    // few times, rather than report a lock nobody holds.
    if (++freed_while_looking >= 3)
      return make_error(ErrorCode::kConflict, "state lock " + lock_path() + " keeps changing hands");
  }
}

Result<std::optional<LockInfo>> LocalStateStore::holder() {
  Result<std::optional<StateDirectory>> directory = StateDirectory::open(directory_, WhenMissing::kNothing);
  if (!directory.ok()) return directory.error();
  if (!directory->has_value()) return std::optional<LockInfo>();
  Result<std::optional<base::UniqueFd>> opened = (*directory)->open_if_exists(lock_name());
  if (!opened.ok()) return opened.error();
  if (!opened->has_value()) return std::optional<LockInfo>();
  const int fd = (*opened)->get();
  // A shared lock conflicts with the holder's exclusive one; when we get it
  // nobody holds the state, and we let go at once. It is tried again before
  // each read, since a holder clears its record just before letting go.
  Result<LockInfo> info = make_error(ErrorCode::kInternal, "unread");
  for (int tries = 0; tries < kRecordReadTries; ++tries) {
    if (tries > 0) std::this_thread::sleep_for(kRecordReadPause);
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0) return std::optional<LockInfo>();
    if (errno != EWOULDBLOCK) {
      info = io_error("lock", lock_path(), errno);
      break;
    }
    Result<std::string> bytes = read_fd(fd, lock_path());
    if (!bytes.ok()) {
      info = bytes.error();
      break;
    }
    info = parse_lock_record(*bytes, lock_path());
    if (info.ok()) break;
  }
  if (!info.ok()) return info.error();
  return std::optional<LockInfo>(std::move(*info));
}

Status LocalStateStore::force_unlock(const std::string& id) {
  Result<std::optional<LockInfo>> who = holder();
  if (!who.ok()) return who.error();
  Result<std::optional<StateDirectory>> directory = StateDirectory::open(directory_, WhenMissing::kNothing);
  if (!directory.ok()) return directory.error();
  if (!who->has_value()) {
    Result<std::optional<std::string>> bytes = std::optional<std::string>();
    if (directory->has_value()) bytes = (*directory)->read_file_if_exists(lock_name());
    if (bytes.ok() && bytes->has_value()) {
      Result<LockInfo> stale = parse_lock_record(**bytes, lock_path());
      if (stale.ok() && stale->id == id)
        return make_error(ErrorCode::kNotFound,
                          "lock " + id + " is no longer held: its process has exited, and the next writer takes the lock");
    }
    return make_error(ErrorCode::kNotFound, "state " + path_ + " is not locked; there is nothing to release");
  }
  if ((*who)->id != id)
    return make_error(ErrorCode::kConflict,
                      "lock id " + id + " is not the current lock: state is locked by " + describe_holder(**who));
  // The stuck holder keeps its flock on the unlinked file, which guards
  // nothing any more: the next writer creates a fresh lock file.
  // holder() found the lock file, hence the folder.
  if (!directory->has_value()) return Status();
  return (*directory)->remove(lock_name());
}

}  // namespace skiff::state
