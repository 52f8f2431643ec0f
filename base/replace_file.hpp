// Files written whole and replaced atomically (LevelDB's write-temp,
// fsync, rename): the bytes go to a new file beside the old one, created
// exclusively (O_CREAT | O_EXCL | O_NOFOLLOW) under a name with random
// bytes in it, mode 0600, fsynced, then renamed over the old one. Nobody
// can plant a symlink or a file of their own at a name they cannot
// predict, rename(2) replaces what is at the name rather than writing
// through it, and a crash leaves the old file or the new, never half of one.
#pragma once

#include <string>

#include "base/result.hpp"

namespace skiff::base {

// Creates `<stem>.tmp.<16 random hex digits>` in the directory open as
// `dir_fd` (`dir_path` in messages), writes `bytes` to it with mode 0600
// whatever the umask, fsyncs and closes it, and returns its name; the
// caller renames it (renameat) or removes it. On failure nothing is left.
Result<std::string> write_temp_file(int dir_fd, const std::string& dir_path, const std::string& stem, const std::string& bytes);

// The file at `path` replaced by `bytes`, mode 0600, through
// write_temp_file in its directory, which is fsynced after the rename. A
// symlink at `path` is refused with an error naming it, neither followed
// nor replaced.
Status replace_file(const std::string& path, const std::string& bytes);

// "DIR/NAME", or NAME alone when DIR is ".".
std::string path_in(const std::string& dir_path, const std::string& name);

}  // namespace skiff::base
