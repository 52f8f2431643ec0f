// Every command's own help, for every command the binary registers (walked
// from the app, so a new command is checked without being listed here):
// -help, --help and -h show that command's usage, its flags and examples
// of it, never the top-level examples.
#include <catch2/catch.hpp>

#include "unit/cli/command_tree.hpp"
#include "unit/cli/run_skiff.hpp"

namespace {

using skiff::testing::CommandInfo;
using skiff::testing::run_skiff;

// The lines of `text` after the line "Examples:".
std::vector<std::string> example_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  bool in_examples = false;
  for (std::string line; std::getline(in, line);) {
    if (line == "Examples:") in_examples = true;
    else if (in_examples && line.rfind("  ", 0) == 0) lines.push_back(line.substr(2));
    else if (in_examples) break;
  }
  return lines;
}

TEST_CASE("the command tree is found: every command the README names is registered", "[cli][help]") {
  std::vector<std::string> paths;
  for (const CommandInfo& c : skiff::testing::skiff_commands()) paths.push_back(c.path);
  for (const char* expected : {"alloc logs", "node drain", "state unlock", "job dispatch", "job list", "deployment promote"})
    CHECK(std::find(paths.begin(), paths.end(), expected) != paths.end());
}

TEST_CASE("every command's -help, --help and -h show its own usage, flags and examples", "[cli][help]") {
  const std::string top_level_only = "Run 'skiff COMMAND -help'";
  for (const CommandInfo& command : skiff::testing::skiff_commands()) {
    if (command.path.empty()) continue;
    INFO("skiff " + command.path);
    skiff::testing::Run help = run_skiff(command.path + " -help");
    CHECK(help.exit_code == 0);
    CHECK(run_skiff(command.path + " --help").out == help.out);
    CHECK(run_skiff(command.path + " -h").out == help.out);
    CHECK_THAT(
        help.out,
        Catch::StartsWith("Usage: skiff " + command.path + " ") || Catch::Contains("\nUsage: skiff " + command.path + " "));
    CHECK_THAT(help.out, !Catch::Contains(top_level_only));
    for (const std::vector<std::string>& names : command.flags) {
      INFO("flag " + names.back());
      CHECK_THAT(help.out, Catch::Contains(names.back()));
    }
    // Examples of this command (a group's: of its subcommands).
    std::vector<std::string> examples = example_lines(help.out);
    CHECK_FALSE(examples.empty());
    for (const std::string& example : examples) {
      INFO("example: " + example);
      CHECK_THAT(example, Catch::StartsWith("skiff " + command.path) || Catch::Contains("&& skiff " + command.path));
    }
  }
}

TEST_CASE("skiff's own help lists the commands and points to their help", "[cli][help]") {
  skiff::testing::Run top = run_skiff("-help");
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Catch::Contains("Run 'skiff COMMAND -help'"));
  for (const CommandInfo& command : skiff::testing::skiff_commands())
    if (!command.path.empty() && command.path.find(' ') == std::string::npos) CHECK_THAT(top.out, Catch::Contains(command.path));
}

TEST_CASE("a usage error names the command to ask for help", "[cli][help]") {
  skiff::testing::Run run = run_skiff("alloc logs -frobnicate x", skiff::testing::Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::Contains("Run 'skiff alloc logs -help' for usage."));
}

}  // namespace
