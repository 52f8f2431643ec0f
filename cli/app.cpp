#include "cli/app.hpp"

#include <algorithm>
#include <iostream>

#include "cli/argv.hpp"
#include "cli/commands.hpp"
#include "drivers/ssh/keeper/ssh_keeper.hpp"

namespace skiff::cli {

void register_commands(CLI::App& app, Context& context) {
  app.set_help_flag("-h,--help", "Show help for skiff or a command (also -help)");
  app.set_version_flag("--version", version_text(), "Print skiff's version (also: skiff version)");
  app.require_subcommand(1);
  register_validate(app, context);
  register_inspect(app, context);
  register_hcl2json(app, context);
  register_version(app, context);
  register_node(app, context);
  register_alloc(app, context);
  register_debug(app, context);
  register_plan(app, context);
  register_job(app, context);
  register_apply(app, context);
  register_state(app, context);
  register_state_rebuild(app, context);
  register_node_flags(app, context);
  register_reconcile(app, context);
  // Set last: a subcommand copies its parent's footer when it is made, and
  // each command's help shows its own examples, not these.
  app.footer(
      "Examples:\n"
      "  skiff validate examples/\n"
      "  skiff plan\n"
      "  skiff apply -auto-approve\n"
      "  skiff node status -inventory examples/hosts.hcl\n"
      "  skiff alloc logs -f 0186\n"
      "Run 'skiff COMMAND -help' for a command's own usage and examples.\n"
      "Flags take one dash or two: -var and --var are the same.");
}

namespace {

// "skiff alloc logs": the command the parse got to.
std::string command_path(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* at = &app; !at->get_subcommands().empty();) {
    at = at->get_subcommands().front();
    path += " " + at->get_name();
  }
  return path;
}

}  // namespace

int run(int argc, char** argv) {
  // Not a command for people: skiff starting its own SSH keeper.
  if (argc >= 2 && std::string_view(argv[1]) == drivers::kKeeperCommand) return drivers::ssh_keeper_main(argc, argv);
  parser::OsEnvironment env;
  Context context{std::cout, std::cerr, env};
  CLI::App app{"skiff: Nomad's job files, scheduling and rolling deploys, without a control plane.", "skiff"};
  register_commands(app, context);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << app.help() << "\nskiff: a command is required.\n";
    return kExitError;
  }
  std::vector<std::string> normalized = normalize_argv(args);
  std::reverse(normalized.begin(), normalized.end());  // CLI11 parses a reversed vector
  try {
    app.parse(normalized);
  } catch (const CLI::ParseError& e) {
    // -help and -version arrive as "errors" that exit 0; CLI11 prints them.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::cerr << "skiff: " << e.what() << "\nRun '" << command_path(app) << " -help' for usage.\n";
    return kExitError;
  } catch (const std::exception& e) {
    // The commands report through Result and diagnostics; anything thrown
    // (a filesystem or JSON library error) is a bug, but still an exit 1.
    std::cerr << "skiff: internal error: " << e.what() << "\n";
    return kExitError;
  }
  return context.exit_code;
}

}  // namespace skiff::cli
