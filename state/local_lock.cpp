// LocalStateStore's lock: flock(2) on `<path>.lock`, and the holder's
// LockInfo written into that file.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
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
  LocalLock(int fd, LockInfo info) : fd_(fd), info_(std::move(info)) {}
  ~LocalLock() override {
    // Clearing the record before letting go keeps a stale holder out of
    // other writers' messages; closing the file releases the flock.
    if (::ftruncate(fd_, 0) != 0) {
      // Nothing to do: the flock is released all the same, and a record
      // whose flock is free counts as stale.
    }
    ::close(fd_);
  }
  LocalLock(const LocalLock&) = delete;
  LocalLock& operator=(const LocalLock&) = delete;

  const LockInfo& info() const override { return info_; }

 private:
  int fd_;
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

// Whether the open file `fd` is still the one at `path`: force_unlock may
// have unlinked it between our open and our flock, and a flock on an
// unlinked file guards nothing.
bool still_at_path(int fd, const std::string& path) {
  struct stat opened {
  }, named{};
  if (::fstat(fd, &opened) != 0 || ::stat(path.c_str(), &named) != 0) return false;
  return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}

// The locked file's descriptor, or nullopt when another holder has it.
Result<std::optional<int>> try_lock(const std::string& path) {
  for (int tries = 0; tries < 10; ++tries) {
    // O_CLOEXEC matters here: a program apply starts (a local raw_exec
    // task, an ssh client) must not inherit the lock and outlive skiff.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return io_error("open", path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int error = errno;
      ::close(fd);
      if (error == EWOULDBLOCK) return std::optional<int>();
      return io_error("lock", path, error);
    }
    if (still_at_path(fd, path)) return std::optional<int>(fd);
    ::close(fd);
  }
  return make_error(ErrorCode::kConflict, "lock file " + path + " keeps being replaced while skiff locks it");
}

}  // namespace

Result<std::unique_ptr<Lock>> LocalStateStore::lock(const LockInfo& info, std::chrono::milliseconds wait) {
  Status directory = make_private_directories(parent_directory(path_));
  if (!directory) return directory.error();
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (int freed_while_looking = 0;;) {
    Result<std::optional<int>> attempt = try_lock(lock_path());
    if (!attempt.ok()) return attempt.error();
    if (attempt->has_value()) {
      int fd = **attempt;
      Status written = write_record(fd, info, lock_path());
      if (!written) {
        ::close(fd);
        return written.error();
      }
      return std::unique_ptr<Lock>(new LocalLock(fd, info));
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
  int fd = ::open(lock_path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<LockInfo>();
    return io_error("open", lock_path(), errno);
  }
  // A shared lock conflicts with the holder's exclusive one; when we get it
  // nobody holds the state, and we let go at once. It is tried again before
  // each read, since a holder clears its record just before letting go.
  Result<LockInfo> info = make_error(ErrorCode::kInternal, "unread");
  for (int tries = 0; tries < kRecordReadTries; ++tries) {
    if (tries > 0) std::this_thread::sleep_for(kRecordReadPause);
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
      ::close(fd);
      return std::optional<LockInfo>();
    }
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
  ::close(fd);
  if (!info.ok()) return info.error();
  return std::optional<LockInfo>(std::move(*info));
}

Status LocalStateStore::force_unlock(const std::string& id) {
  Result<std::optional<LockInfo>> who = holder();
  if (!who.ok()) return who.error();
  if (!who->has_value()) {
    Result<std::optional<std::string>> bytes = read_file_if_exists(lock_path());
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
  if (::unlink(lock_path().c_str()) != 0 && errno != ENOENT) return io_error("remove", lock_path(), errno);
  return Status();
}

}  // namespace skiff::state
