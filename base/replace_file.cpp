#include "base/replace_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/random_bytes.hpp"
#include "base/unique_fd.hpp"

namespace skiff::base {

namespace {

Error io_error(const std::string& what, const std::string& path, int error) {
  return make_error(ErrorCode::kIo, what + " " + path + ": " + std::strerror(error));
}

Result<std::string> random_hex(size_t count) {
  Result<std::vector<uint8_t>> bytes = random_bytes(count);
  if (!bytes.ok()) return bytes.error();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (uint8_t byte : *bytes) {
    text += kHex[byte >> 4];
    text += kHex[byte & 15];
  }
  return text;
}

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

// Writes, sets the mode, fsyncs and closes `fd`, the new file at `path`.
Status fill(UniqueFd fd, const std::string& bytes, const std::string& path) {
  Status status = write_all(fd.get(), bytes, path);
  // A umask may have taken the owner's bits off 0600 (it never adds any).
  if (status && ::fchmod(fd.get(), 0600) != 0) status = io_error("chmod", path, errno);
  if (status && ::fsync(fd.get()) != 0) status = io_error("fsync", path, errno);
  if (::close(fd.release()) != 0 && status) status = io_error("close", path, errno);
  return status;
}

}  // namespace

std::string path_in(const std::string& dir_path, const std::string& name) {
  if (dir_path == ".") return name;
  if (!dir_path.empty() && dir_path.back() == '/') return dir_path + name;
  return dir_path + "/" + name;
}

Result<std::string> write_temp_file(int dir_fd, const std::string& dir_path, const std::string& stem, const std::string& bytes) {
  // A name that exists already is a 2^-64 chance, or someone planting
  // guesses: another name is tried, and nothing there is opened.
  for (int tries = 0; tries < 3; ++tries) {
    Result<std::string> suffix = random_hex(8);
    if (!suffix.ok()) return suffix.error().wrap("name a temp file for " + path_in(dir_path, stem));
    std::string name = stem + ".tmp." + *suffix;
    std::string path = path_in(dir_path, name);
    UniqueFd fd(::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0 && errno == EEXIST) continue;
    if (fd.get() < 0) return io_error("create", path, errno);
    Status filled = fill(std::move(fd), bytes, path);
    if (!filled) {
      ::unlinkat(dir_fd, name.c_str(), 0);
      return filled.error();
    }
    return name;
  }
  return make_error(ErrorCode::kIo, "create a temp file for " + path_in(dir_path, stem) + ": every random name tried exists");
}

Status replace_file(const std::string& path, const std::string& bytes) {
  std::filesystem::path parts(path);
  std::string name = parts.filename().string();
  if (name.empty() || name == "." || name == "..") return make_error(ErrorCode::kInvalidArgument, path + " does not name a file");
  std::string dir = parts.has_parent_path() ? parts.parent_path().string() : ".";
  UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0) return io_error("open directory", dir, errno);
  struct stat found {};
  if (::fstatat(dir_fd.get(), name.c_str(), &found, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(found.st_mode))
    return make_error(ErrorCode::kIo,
                      "refusing " + path +
                          ": it is a symlink, and skiff writes no file through one; remove it, or name the "
                          "file it points to");
  Result<std::string> temp = write_temp_file(dir_fd.get(), dir, name, bytes);
  if (!temp.ok()) return temp.error();
  if (::renameat(dir_fd.get(), temp->c_str(), dir_fd.get(), name.c_str()) != 0) {
    int error = errno;
    ::unlinkat(dir_fd.get(), temp->c_str(), 0);
    return io_error("rename " + path_in(dir, *temp) + " to", path, error);
  }
  if (::fsync(dir_fd.get()) != 0) return io_error("fsync directory", dir, errno);
  return Status();
}

}  // namespace skiff::base
