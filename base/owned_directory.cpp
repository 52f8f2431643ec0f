#include "base/owned_directory.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace skiff::base {

namespace {

// Why `path` could not be opened as a directory: a symlink (O_NOFOLLOW) or
// something else than a directory are said as such.
Error open_failure(const std::string& path, const std::string& purpose, int error) {
  if (error == ENOENT) return make_error(ErrorCode::kNotFound, path + " does not exist");
  struct stat found {};
  if ((error == ELOOP || error == ENOTDIR) && ::lstat(path.c_str(), &found) == 0) {
    if (S_ISLNK(found.st_mode))
      return make_error(
          ErrorCode::kIo,
          "refusing " + path + " for " + purpose + ": it is a symlink, not a directory; name the directory it points to instead");
    if (!S_ISDIR(found.st_mode))
      return make_error(ErrorCode::kIo, "refusing " + path + " for " + purpose + ": it is not a directory");
  }
  return make_error(ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(error));
}

// The refusal for a directory whose owner or mode is not the rule's, or
// nothing.
std::string refusal(const struct stat& found, const std::string& path, OthersMay others) {
  const uid_t me = ::geteuid();
  const std::string mode = mode_text(found.st_mode);
  const std::string owner = "uid " + std::to_string(found.st_uid);
  // /tmp and its kind: whoever owns it, it is shared, and changing its mode
  // or owner is not the fix.
  if ((found.st_mode & S_ISVTX) && (found.st_mode & S_IWOTH))
    return "it is a folder shared by every user (mode " + mode + ", owned by " + owner +
        "); use a folder of your own, such as one inside it";
  if (found.st_uid != me)
    return "it is owned by " + owner + ", not by uid " + std::to_string(me) + " which skiff runs as; `chown " +
        std::to_string(me) + " " + path + "` if it is yours, or run skiff as its owner";
  if (others == OthersMay::kNothing && (found.st_mode & 077) != 0)
    return "others may enter it (mode " + mode + "); `chmod go-rwx " + path + "`";
  if (others == OthersMay::kReadAndEnter && (found.st_mode & 022) != 0)
    return "others may write to it (mode " + mode + "); `chmod go-w " + path + "`";
  return {};
}

}  // namespace

Result<UniqueFd> open_owned_directory(const std::string& path, const std::string& purpose, OthersMay others) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return open_failure(path, purpose, errno);
  struct stat found {};
  if (::fstat(fd.get(), &found) != 0) return make_error(ErrorCode::kIo, "cannot read " + path + ": " + std::strerror(errno));
  if (std::string why = refusal(found, path, others); !why.empty())
    return make_error(ErrorCode::kIo, "refusing " + path + " for " + purpose + ": " + why);
  return fd;
}

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace skiff::base
