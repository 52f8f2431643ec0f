// The rule for a directory skiff keeps private files in (the SSH keeper's
// sockets, the local state): a real directory, not a symlink, owned by the
// user skiff runs as, that others may not write to (or, for sockets, not
// even enter). Someone who may write there can put a symlink or a file of
// their own where skiff opens one; OpenSSH checks its control sockets'
// directory the same way.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace skiff::base {

// What the group and others may do in such a directory.
enum class OthersMay {
  kNothing,       // no permission bit for them (mode & 077 == 0)
  kReadAndEnter,  // no write bit for them (mode & 022 == 0)
};

// Opens `path` (O_DIRECTORY, O_NOFOLLOW) and checks its owner and mode on
// the open directory, so that what is checked is what the caller then
// works in (openat) even if the path is swapped afterwards. A missing
// directory is a kNotFound error; a refused one a kIo error that reads
// "refusing PATH for PURPOSE: WHAT WAS FOUND; HOW TO FIX IT".
Result<UniqueFd> open_owned_directory(const std::string& path, const std::string& purpose, OthersMay others);

// "0755"-style octal of a mode's permission bits.
std::string mode_text(mode_t mode);

}  // namespace skiff::base
