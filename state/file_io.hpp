// The POSIX calls of the local store, each turned into a Status that names
// the path. Kept apart from the store so that the ssh backend's remote
// script and these stay easy to compare step by step.
#pragma once

#include <optional>
#include <string>

#include "base/result.hpp"

namespace skiff::state {

// The whole file, or nullopt when it does not exist.
Result<std::optional<std::string>> read_file_if_exists(const std::string& path);

// Writes `bytes` to `temp` (created or truncated, mode 0600 whatever the
// umask) and fsyncs it. On failure the temp file is removed.
Status write_synced_file(const std::string& temp, const std::string& bytes);

// rename(2), which replaces `to` atomically.
Status rename_file(const std::string& from, const std::string& to);

// fsync on the directory itself, so that a rename in it survives a crash.
Status sync_directory(const std::string& directory);

// Creates `directory` and its missing parents with mode 0700.
Status make_private_directories(const std::string& directory);

// "dir" of "dir/file", "." of "file", "/" of "/file".
std::string parent_directory(const std::string& path);

// "<what> <path>: <strerror(error)>" as a kIo error.
Error io_error(const std::string& what, const std::string& path, int error);

}  // namespace skiff::state
