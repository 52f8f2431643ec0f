// A git repository for tests, worked on with the git command: files
// written, committed, tagged, as a person would. Removed at scope exit.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "drivers/shell_quote.hpp"
#include "support/test_files.hpp"

namespace skiff::testing {

struct GitRepo {
  std::filesystem::path root;
  std::filesystem::path work;

  explicit GitRepo(const std::string& name = "repo") {
    static int counter = 0;
    root = std::filesystem::temp_directory_path() / ("skiff-git-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    work = root / name;
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(work);
    git("init -q -b main");
  }
  ~GitRepo() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  GitRepo(const GitRepo&) = delete;
  GitRepo& operator=(const GitRepo&) = delete;

  // `git ARGS` in the working tree (ARGS shell-quoted where needed); its
  // output. The calling test fails when git does.
  std::string git(const std::string& args) const {
    const std::string command = "git -C " + drivers::shell_quote(work.string()) +
        " -c user.name=Ada -c user.email=ada@example.com -c commit.gpgsign=false -c tag.gpgsign=false " + args + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    INFO(command << "\n" << out);
    REQUIRE(::pclose(pipe) == 0);
    return out;
  }
  void write(const std::string& relative, const std::string& text) const { write_test_file(work / relative, text); }
  void remove(const std::string& relative) const { std::filesystem::remove_all(work / relative); }
  // Commits everything in the working tree; the new commit's id.
  std::string commit(const std::string& message) const {
    git("add -A");
    git("commit -q --allow-empty -m " + drivers::shell_quote(message));
    return head();
  }
  std::string head() const {
    std::string id = git("rev-parse HEAD");
    return id.substr(0, id.find('\n'));
  }
  std::string url() const { return "file://" + work.string(); }
};

}  // namespace skiff::testing
