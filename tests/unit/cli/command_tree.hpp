// skiff's commands as the binary registers them (cli/commands.hpp), walked
// for the tests that check each command's help and the README's table
// against what the commands really take: no hand-kept list to go stale.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "parser/environment.hpp"

namespace skiff::testing {

struct CommandInfo {
  std::string path;                             // "alloc logs"; "" for skiff itself
  bool leaf = false;                            // runs something (no subcommands of its own)
  std::vector<std::vector<std::string>> flags;  // each flag's names, dashes included: {"-f", "--follow"}
};

inline void collect_commands(CLI::App& command, const std::string& path, std::vector<CommandInfo>& out) {
  CommandInfo info{path, true, {}};
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_positional() || option == command.get_help_ptr()) continue;
    std::vector<std::string> names;
    for (const std::string& s : option->get_snames()) names.push_back("-" + s);
    for (const std::string& l : option->get_lnames()) names.push_back("--" + l);
    info.flags.push_back(names);
  }
  std::vector<CLI::App*> subcommands = command.get_subcommands([](CLI::App* sub) { return !sub->get_name().empty(); });
  info.leaf = subcommands.empty();
  out.push_back(info);
  for (CLI::App* sub : subcommands) collect_commands(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

// Every command of skiff, skiff itself first.
inline std::vector<CommandInfo> skiff_commands() {
  static parser::OsEnvironment env;
  static std::ostringstream out, err;
  static cli::Context context{out, err, env};
  CLI::App app{"skiff", "skiff"};
  cli::register_commands(app, context);
  std::vector<CommandInfo> commands;
  collect_commands(app, "", commands);
  return commands;
}

}  // namespace skiff::testing
