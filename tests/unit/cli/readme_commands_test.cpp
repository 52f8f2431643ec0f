// The README's command table against the commands themselves: each row's
// `skiff ...` usages list every flag the command takes and none it does
// not, and every command that runs something has a row. The commands are
// walked from the app the binary registers (command_tree.hpp).
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "unit/cli/command_tree.hpp"

namespace {

using skiff::testing::CommandInfo;

// One `skiff ...` usage of the table: its command path and the flags it shows.
struct Usage {
  std::string path;
  std::set<std::string> flags;  // "-json", "-task", "-f"
};

// The README's usages: the code spans starting with "skiff " in the first
// cell of each `| \`skiff ...\` |` row. The path is the words that name
// commands; the flags are the words of the form -name.
std::vector<Usage> readme_usages(const std::set<std::string>& known_paths) {
  std::ifstream file(std::string(SKIFF_SOURCE_DIR) + "/README.md");
  REQUIRE(file);
  std::vector<Usage> usages;
  const std::regex span("`(skiff[^`]*)`");
  const std::regex flag("(^|[\\s\\[|\\\\])(-[a-z][a-z-]*)");
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("| `skiff", 0) != 0) continue;
    const std::string cell = line.substr(2, line.find(" | ", 2) - 2);
    for (std::sregex_iterator m(cell.begin(), cell.end(), span), end; m != end; ++m) {
      std::istringstream words((*m)[1].str());
      Usage usage;
      std::string word;
      words >> word;  // skiff
      std::string rest;
      while (words >> word) {
        const std::string longer = usage.path.empty() ? word : usage.path + " " + word;
        if (rest.empty() && known_paths.count(longer)) usage.path = longer;
        else rest += " " + word;
      }
      for (std::sregex_iterator f(rest.begin(), rest.end(), flag); f != end; ++f) usage.flags.insert((*f)[2].str());
      usages.push_back(usage);
    }
  }
  return usages;
}

// A flag of the README (one dash) is one of the command's when any of the
// command's names for it, with one dash, is that word.
bool takes(const std::vector<std::string>& names, const std::string& readme_flag) {
  for (const std::string& name : names) {
    const std::string one_dash = name.rfind("--", 0) == 0 ? name.substr(1) : name;
    if (one_dash == readme_flag) return true;
  }
  return false;
}

TEST_CASE("the README's command table lists every flag of every command, and no other", "[cli][readme]") {
  const std::vector<CommandInfo> commands = skiff::testing::skiff_commands();
  std::set<std::string> paths;
  std::map<std::string, const CommandInfo*> by_path;
  for (const CommandInfo& c : commands) {
    if (!c.path.empty()) paths.insert(c.path);
    by_path[c.path] = &c;
  }
  const std::vector<Usage> usages = readme_usages(paths);
  REQUIRE(usages.size() > 10);

  std::set<std::string> documented;
  for (const Usage& usage : usages) {
    INFO("README: skiff " + usage.path);
    REQUIRE(by_path.count(usage.path));
    const CommandInfo& command = *by_path.at(usage.path);
    documented.insert(usage.path);
    for (const std::string& flag : usage.flags) {
      INFO("README flag " + flag);
      CHECK(std::any_of(command.flags.begin(), command.flags.end(),
                        [&](const std::vector<std::string>& names) { return takes(names, flag); }));
    }
    if (usage.path.empty()) continue;  // `skiff -version`: one of skiff's own flags, not all of them
    for (const std::vector<std::string>& names : command.flags) {
      INFO("flag the command takes: " + names.back());
      CHECK(std::any_of(usage.flags.begin(), usage.flags.end(), [&](const std::string& flag) { return takes(names, flag); }));
    }
  }
  for (const CommandInfo& command : commands) {
    INFO("command without a README row: skiff " + command.path);
    if (command.leaf) CHECK(documented.count(command.path));
  }
}

}  // namespace
