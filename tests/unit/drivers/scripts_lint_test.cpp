// The programs of drivers/scripts/, as files: every one is embedded in
// scripts.hpp as the text after its header, every shell script parses with
// the shells a host may have and passes shellcheck (when it is installed),
// and every awk program compiles. The scripts are found in the folder
// itself, so a new one is checked without an edit here.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "drivers/scripts/scripts.hpp"
#include "drivers/shell_quote.hpp"
#include "support/test_files.hpp"

namespace fs = std::filesystem;
using skiff::drivers::shell_quote;
using skiff::testing::read_test_file;

namespace {

// The line cmake/embed_scripts.cmake looks for: what follows it is the
// program, what comes before is the file's header comment.
constexpr std::string_view kMarker = "\n# --- skiff embeds the text below, byte for byte ---\n";

// drivers/scripts/*.sh or *.awk, by name.
std::vector<fs::path> scripts_ending_in(const std::string& extension) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(SKIFF_SOURCE_DIR) / "drivers" / "scripts"))
    if (entry.is_regular_file() && entry.path().extension() == extension) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

struct Run {
  int status = -1;
  std::string output;
};

// `command`'s exit status and what it printed on stdout.
Run run(const std::string& command) {
  Run result;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool installed(const std::string& program) { return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0; }

}  // namespace

TEST_CASE("the folder holds shell and awk programs", "[scripts]") {
  CHECK(scripts_ending_in(".sh").size() > 10);
  CHECK_FALSE(scripts_ending_in(".awk").empty());
}

TEST_CASE("every script is embedded, as the text after its header, and nothing else is", "[scripts]") {
  std::vector<fs::path> files = scripts_ending_in(".sh");
  for (const fs::path& awk : scripts_ending_in(".awk")) files.push_back(awk);
  for (const fs::path& file : files) {
    INFO(file.string());
    const std::string text = read_test_file(file);
    const size_t at = text.find(kMarker);
    REQUIRE(at != std::string::npos);
    const auto* embedded =
        std::find_if(std::begin(skiff::drivers::scripts::kEmbeddedScripts), std::end(skiff::drivers::scripts::kEmbeddedScripts),
                     [&](const auto& s) { return s.file == file.filename().string(); });
    // A script missing here is missing from SKIFF_SCRIPTS in CMakeLists.txt.
    REQUIRE(embedded != std::end(skiff::drivers::scripts::kEmbeddedScripts));
    CHECK(embedded->text == text.substr(at + kMarker.size()));
  }
  CHECK(std::size(skiff::drivers::scripts::kEmbeddedScripts) == files.size());
}

TEST_CASE("every shell script parses with sh and busybox sh", "[scripts]") {
  std::vector<std::string> shells = {"sh"};
  if (installed("busybox")) shells.push_back("busybox sh");
  for (const fs::path& file : scripts_ending_in(".sh")) {
    for (const std::string& shell : shells) {
      INFO(shell + " -n " + file.string());
      const Run checked = run(shell + " -n " + shell_quote(file.string()) + " 2>&1");
      INFO(checked.output);
      CHECK(checked.status == 0);
    }
  }
}

TEST_CASE("shellcheck finds no warning in any shell script", "[scripts]") {
  if (!installed("shellcheck")) {
    WARN("shellcheck is not installed (scripts/install-deps installs it): the shell scripts were not checked");
    return;
  }
  for (const fs::path& file : scripts_ending_in(".sh")) {
    INFO(file.string());
    // Each file's header names its shell (sh) and disables, with a reason,
    // the warnings it means.
    const Run checked = run("shellcheck -S warning " + shell_quote(file.string()) + " 2>&1");
    INFO(checked.output);
    CHECK(checked.status == 0);
  }
}

// awk has no portable way to parse a program without running it, and
// running one may read or write files. mawk's `-W dump` and gawk's
// --pretty-print compile the program and print it instead of running it;
// with neither installed, observe_script_test still runs observe.awk.
TEST_CASE("every awk program compiles with mawk and gawk, where installed", "[scripts]") {
  std::vector<std::string> compilers;
  if (installed("mawk")) compilers.push_back("mawk -W dump -f");
  if (installed("gawk")) compilers.push_back("gawk --pretty-print=/dev/null -f");
  if (compilers.empty()) {
    WARN("neither mawk nor gawk is installed: the awk programs were not compiled on their own");
    return;
  }
  for (const fs::path& file : scripts_ending_in(".awk")) {
    for (const std::string& compiler : compilers) {
      INFO(compiler + " " + file.string());
      const Run checked = run(compiler + " " + shell_quote(file.string()) + " </dev/null 2>&1 >/dev/null");
      INFO(checked.output);
      CHECK(checked.status == 0);
    }
  }
}
