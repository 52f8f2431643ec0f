// FakeEnvironment: an in-memory Environment for parser tests. Files live in a
// map keyed by absolute path, environment variables in another; the home and
// current directories are plain fields; random bytes are a deterministic
// counting sequence (0, 1, 2, ... from `random_seed`) so that uuidv4 and
// bcrypt give repeatable results, unless `random_failure` is set, when
// random_bytes returns it as the real one does when /dev/urandom cannot be
// read. It has no symbolic links: real_path returns the path it is given.
// It records every path it was asked to read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parser/environment.hpp"

namespace skiff::testing {

class FakeEnvironment : public parser::Environment {
 public:
  std::map<std::string, std::string> files;      // absolute path -> contents
  std::map<std::string, std::string> variables;  // NAME -> value
  std::string home = "/home/tester";
  std::string cwd = "/work";
  uint8_t random_seed = 0;
  std::optional<Error> random_failure;

  FakeEnvironment& with_file(std::string path, std::string contents) {
    files[std::move(path)] = std::move(contents);
    return *this;
  }
  FakeEnvironment& with_variable(std::string name, std::string value) {
    variables[std::move(name)] = std::move(value);
    return *this;
  }

  // Paths passed to read_file, in order.
  const std::vector<std::string>& reads() const { return reads_; }

  Result<std::string> read_file(const std::string& path) const override {
    reads_.push_back(path);
    auto it = files.find(path);
    if (it == files.end()) return make_error(ErrorCode::kNotFound, "open " + path + ": no such file or directory");
    return it->second;
  }

  bool file_exists(const std::string& path) const override { return files.count(path) > 0; }

  std::vector<std::string> list_files_recursive(const std::string& dir) const override {
    std::string prefix = dir == "/" ? "/" : dir + "/";
    std::vector<std::string> out;
    for (const auto& [path, contents] : files) {
      if (path.compare(0, prefix.size(), prefix) == 0) out.push_back(path.substr(prefix.size()));
    }
    return out;  // std::map iterates sorted
  }

  std::optional<std::string> real_path(const std::string& path) const override { return path; }

  std::optional<std::string> getenv(const std::string& name) const override {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  }

  std::vector<std::string> environ() const override {
    std::vector<std::string> out;
    for (const auto& [name, value] : variables) out.push_back(name + "=" + value);
    return out;
  }

  std::string home_dir() const override { return home; }
  std::string current_dir() const override { return cwd; }

  Result<std::vector<uint8_t>> random_bytes(size_t count) const override {
    if (random_failure) return *random_failure;
    std::vector<uint8_t> out(count);
    for (auto& byte : out) byte = static_cast<uint8_t>(random_seed + random_counter_++);
    return out;
  }

 private:
  mutable std::vector<std::string> reads_;
  mutable uint8_t random_counter_ = 0;
};

}  // namespace skiff::testing
