// Environment: everything the evaluator may need from outside the file it
// evaluates (files for file(), fileset(); environment variables for
// NOMAD_VAR_*; random bytes for uuidv4/bcrypt). The pure evaluator reaches
// the world only through this interface: OsEnvironment in production, a fake
// in tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace skiff::parser {

class Environment {
 public:
  virtual ~Environment() = default;
  virtual Result<std::string> read_file(const std::string& path) const = 0;
  virtual bool file_exists(const std::string& path) const = 0;
  // Regular files below `dir`, as paths relative to it with '/' separators, sorted.
  virtual std::vector<std::string> list_files_recursive(const std::string& dir) const = 0;
  // The absolute path `path` names once every symbolic link on its way is
  // followed, as realpath(3) gives it, except that the walk ends at the
  // first component that does not exist: it and the rest are appended as
  // written (cleaned), so a dangling link still resolves to where it
  // points. nullopt when a link cannot be read or links loop.
  // REQUIRES: `path` is absolute.
  virtual std::optional<std::string> real_path(const std::string& path) const = 0;
  virtual std::optional<std::string> getenv(const std::string& name) const = 0;
  // All environment variables as NAME=value (for NOMAD_VAR_* discovery).
  virtual std::vector<std::string> environ() const = 0;
  virtual std::string home_dir() const = 0;
  virtual std::string current_dir() const = 0;
  // Exactly `count` random bytes, or an error when there are none to be had.
  virtual Result<std::vector<uint8_t>> random_bytes(size_t count) const = 0;
};

// The real one: the file system, the process environment, /dev/urandom.
class OsEnvironment : public Environment {
 public:
  Result<std::string> read_file(const std::string& path) const override;
  bool file_exists(const std::string& path) const override;
  std::vector<std::string> list_files_recursive(const std::string& dir) const override;
  std::optional<std::string> real_path(const std::string& path) const override;
  std::optional<std::string> getenv(const std::string& name) const override;
  std::vector<std::string> environ() const override;
  std::string home_dir() const override;
  std::string current_dir() const override;
  Result<std::vector<uint8_t>> random_bytes(size_t count) const override;  // base::random_bytes
};

}  // namespace skiff::parser
