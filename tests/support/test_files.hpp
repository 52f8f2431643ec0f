// Files a test makes and reads back.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace skiff::testing {

// Writes `text` to `path`, making its folders first.
inline void write_test_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// The file's bytes ("" when it cannot be read).
inline std::string read_test_file(const std::filesystem::path& path) {
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

}  // namespace skiff::testing
