// The POSIX calls of the local store, each turned into a Status that names
// the path. Kept apart from the store so that the ssh backend's remote
// script and these stay easy to compare step by step.
//
// Every file of a local state is reached through its StateDirectory: the
// folder that holds it, opened once and checked to be this user's and
// closed to others' writes (base/owned_directory.hpp), then each file
// opened by name in it (openat) with O_NOFOLLOW. Neither a symlink planted
// at state.json or state.json.lock nor a folder swapped in after the check
// makes skiff read, truncate or write a file elsewhere; new files are
// created with O_EXCL, and temp files under random names
// (base/replace_file.hpp).
#pragma once

#include <optional>
#include <string>

#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace skiff::state {

enum class WhenMissing {
  kNothing,  // a missing directory is no error: there is nothing in it
  kCreate,   // created, with its missing parents, mode 0700
};

class StateDirectory {
 public:
  // The directory at `path`, opened and checked; nullopt when it does not
  // exist and `when_missing` is kNothing.
  static Result<std::optional<StateDirectory>> open(const std::string& path, WhenMissing when_missing);

  const std::string& path() const { return path_; }
  // "DIR/NAME", for messages.
  std::string path_of(const std::string& name) const;

  // The whole file `name`, or nullopt when it does not exist.
  Result<std::optional<std::string>> read_file_if_exists(const std::string& name) const;
  // `name` opened read-write; created (O_EXCL, mode 0600) when missing.
  Result<base::UniqueFd> open_or_create(const std::string& name) const;
  // `name` opened read-only, or nullopt when it does not exist.
  Result<std::optional<base::UniqueFd>> open_if_exists(const std::string& name) const;
  // Whether the open file `fd` is still the one named `name` here.
  bool still_names(int fd, const std::string& name) const;

  // base::write_temp_file here: the new file's name.
  Result<std::string> write_temp_file(const std::string& stem, const std::string& bytes) const;
  // renameat(2), which replaces `to` atomically.
  Status rename(const std::string& from, const std::string& to) const;
  // unlinkat(2); a file already gone is no error.
  Status remove(const std::string& name) const;
  // Removes a temp file after a failure, as far as it can: a leftover temp
  // file is harmless, and the failure is what the caller reports.
  void remove_temp(const std::string& name) const;
  // fsync on the directory itself, so that a rename in it survives a crash.
  Status sync() const;

 private:
  StateDirectory(std::string path, base::UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

  std::string path_;
  base::UniqueFd fd_;
};

// Creates `directory` and its missing parents with mode 0700.
Status make_private_directories(const std::string& directory);

// "dir" of "dir/file", "." of "file", "/" of "/file".
std::string parent_directory(const std::string& path);

// "file" of "dir/file" and of "file".
std::string file_name(const std::string& path);

// "<what> <path>: <strerror(error)>" as a kIo error.
Error io_error(const std::string& what, const std::string& path, int error);

}  // namespace skiff::state
