// Runs the built skiff binary as a user runs it, for the [cli] tests:
// exit code and output, from the source tree or from a scratch directory.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

namespace skiff::testing {

struct Run {
  int exit_code;
  std::string out;
};

enum class Stderr { kDrop, kMerge };

// Runs `skiff ARGS` (ARGS already shell-quoted where needed) in `dir`.
inline Run run_skiff_in(const std::string& dir, const std::string& args, Stderr err = Stderr::kDrop) {
  std::string command = "cd '" + dir + "' && " + SKIFF_BINARY + " " + args + (err == Stderr::kMerge ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  int status = pclose(pipe);
  return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// In the source tree, where examples/ and tests/data/ are.
inline Run run_skiff(const std::string& args, Stderr err = Stderr::kDrop) { return run_skiff_in(SKIFF_SOURCE_DIR, args, err); }

// A fresh directory under the system temp dir, removed at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ =
        std::filesystem::temp_directory_path() / ("skiff-cli-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string path() const { return path_.string(); }
  // Writes `text` to `relative`, creating directories on the way.
  void write(const std::string& relative, const std::string& text) const {
    std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace skiff::testing
