#include "state/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace skiff::state {

Error io_error(const std::string& what, const std::string& path, int error) {
  return make_error(ErrorCode::kIo, what + " " + path + ": " + std::strerror(error));
}

Result<std::optional<std::string>> read_file_if_exists(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return io_error("open", path, errno);
  }
  std::string bytes;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return io_error("read", path, error);
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return std::optional<std::string>(std::move(bytes));
}

namespace {

Status write_all(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("write", path, errno);
    done += static_cast<size_t>(n);
  }
  return Status();
}

}  // namespace

Status write_synced_file(const std::string& temp, const std::string& bytes) {
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("create", temp, errno);
  Status status = write_all(fd, bytes, temp);
  // fchmod: a temp file left by a crashed run under a looser umask is reused.
  if (status && ::fchmod(fd, 0600) != 0) status = io_error("chmod", temp, errno);
  if (status && ::fsync(fd) != 0) status = io_error("fsync", temp, errno);
  if (::close(fd) != 0 && status) status = io_error("close", temp, errno);
  if (!status) ::unlink(temp.c_str());
  return status;
}

Status rename_file(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return io_error("rename " + from + " to", to, errno);
  return Status();
}

Status sync_directory(const std::string& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open directory", directory, errno);
  Status status;
  if (::fsync(fd) != 0) status = io_error("fsync directory", directory, errno);
  ::close(fd);
  return status;
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

}  // namespace skiff::state
