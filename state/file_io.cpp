#include "state/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/owned_directory.hpp"
#include "base/replace_file.hpp"

namespace skiff::state {

Error io_error(const std::string& what, const std::string& path, int error) {
  return make_error(ErrorCode::kIo, what + " " + path + ": " + std::strerror(error));
}

namespace {

// Why `name` could not be opened: O_NOFOLLOW's ELOOP is a symlink there.
Error open_error(const std::string& path, int error) {
  if (error == ELOOP)
    return make_error(ErrorCode::kIo,
                      "refusing " + path +
                          ": it is a symlink, and skiff opens no state file through one; remove it, or put "
                          "the file it points to in its place");
  return io_error("open", path, error);
}

// `fd` as opened, unless it is not a regular file (a folder, a fifo).
Result<base::UniqueFd> regular_file(base::UniqueFd fd, const std::string& path) {
  struct stat found {};
  if (::fstat(fd.get(), &found) != 0) return io_error("stat", path, errno);
  if (!S_ISREG(found.st_mode)) return make_error(ErrorCode::kIo, "refusing " + path + ": it is not a regular file");
  return fd;
}

Result<std::string> read_all(int fd, const std::string& path) {
  std::string bytes;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("read", path, errno);
    if (n == 0) return bytes;
    bytes.append(buffer, static_cast<size_t>(n));
  }
}

constexpr char kPurpose[] = "the state";

}  // namespace

Result<std::optional<StateDirectory>> StateDirectory::open(const std::string& path, WhenMissing when_missing) {
  Result<base::UniqueFd> fd = base::open_owned_directory(path, kPurpose, base::OthersMay::kReadAndEnter);
  if (!fd.ok() && fd.error().code == ErrorCode::kNotFound) {
    if (when_missing == WhenMissing::kNothing) return std::optional<StateDirectory>();
    if (Status made = make_private_directories(path); !made) return made.error();
    fd = base::open_owned_directory(path, kPurpose, base::OthersMay::kReadAndEnter);
  }
  if (!fd.ok()) return fd.error();
  return std::optional<StateDirectory>(StateDirectory(path, std::move(*fd)));
}

std::string StateDirectory::path_of(const std::string& name) const { return base::path_in(path_, name); }

Result<std::optional<std::string>> StateDirectory::read_file_if_exists(const std::string& name) const {
  Result<std::optional<base::UniqueFd>> fd = open_if_exists(name);
  if (!fd.ok()) return fd.error();
  if (!fd->has_value()) return std::optional<std::string>();
  Result<std::string> bytes = read_all((*fd)->get(), path_of(name));
  if (!bytes.ok()) return bytes.error();
  return std::optional<std::string>(std::move(*bytes));
}

Result<base::UniqueFd> StateDirectory::open_or_create(const std::string& name) const {
  // Between the two opens another process may create or remove the file:
  // each outcome is tried again, a few times.
  for (int tries = 0; tries < 10; ++tries) {
    base::UniqueFd fd(::openat(fd_.get(), name.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC));
    if (fd.get() < 0 && errno == ENOENT)
      fd = base::UniqueFd(::openat(fd_.get(), name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() >= 0) return regular_file(std::move(fd), path_of(name));
    if (errno != EEXIST && errno != ENOENT) return open_error(path_of(name), errno);
  }
  return make_error(ErrorCode::kConflict, path_of(name) + " keeps appearing and vanishing while skiff opens it");
}

Result<std::optional<base::UniqueFd>> StateDirectory::open_if_exists(const std::string& name) const {
  // O_NONBLOCK: a fifo there is refused rather than waited on.
  base::UniqueFd fd(::openat(fd_.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0 && errno == ENOENT) return std::optional<base::UniqueFd>();
  if (fd.get() < 0) return open_error(path_of(name), errno);
  Result<base::UniqueFd> regular = regular_file(std::move(fd), path_of(name));
  if (!regular.ok()) return regular.error();
  return std::optional<base::UniqueFd>(std::move(*regular));
}

bool StateDirectory::still_names(int fd, const std::string& name) const {
  struct stat opened {
  }, named{};
  if (::fstat(fd, &opened) != 0 || ::fstatat(fd_.get(), name.c_str(), &named, AT_SYMLINK_NOFOLLOW) != 0) return false;
  return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}

Result<std::string> StateDirectory::write_temp_file(const std::string& stem, const std::string& bytes) const {
  return base::write_temp_file(fd_.get(), path_, stem, bytes);
}

Status StateDirectory::rename(const std::string& from, const std::string& to) const {
  if (::renameat(fd_.get(), from.c_str(), fd_.get(), to.c_str()) != 0)
    return io_error("rename " + path_of(from) + " to", path_of(to), errno);
  return Status();
}

Status StateDirectory::remove(const std::string& name) const {
  if (::unlinkat(fd_.get(), name.c_str(), 0) != 0 && errno != ENOENT) return io_error("remove", path_of(name), errno);
  return Status();
}

void StateDirectory::remove_temp(const std::string& name) const { ::unlinkat(fd_.get(), name.c_str(), 0); }

Status StateDirectory::sync() const {
  if (::fsync(fd_.get()) != 0) return io_error("fsync directory", path_, errno);
  return Status();
}

Status make_private_directories(const std::string& directory) {
  struct stat info {};
  if (::stat(directory.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return Status();
    return make_error(ErrorCode::kIo, directory + " exists and is not a directory");
  }
  std::string parent = parent_directory(directory);
  if (parent != directory) {
    Status status = make_private_directories(parent);
    if (!status) return status;
  }
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) return io_error("create directory", directory, errno);
  return Status();
}

std::string parent_directory(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  size_t slash = trimmed.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return trimmed.substr(0, slash);
}

std::string file_name(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  size_t slash = trimmed.rfind('/');
  return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

}  // namespace skiff::state
