#include "cli/app.hpp"

#include <algorithm>
#include <iostream>

#include "cli/argv.hpp"
#include "cli/commands.hpp"

namespace skiff::cli {

int run(int argc, char** argv) {
  parser::OsEnvironment env;
  Context context{std::cout, std::cerr, env};
  CLI::App app{"skiff: Nomad's job files, scheduling and rolling deploys, without a control plane.", "skiff"};
  app.set_help_flag("-h,--help", "Show help for skiff or a command (also -help)");
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  skiff validate examples/\n"
      "  skiff inspect -var region=eu examples/hello.nomad.hcl\n"
      "  skiff hcl2json examples/hosts.hcl\n"
      "Flags take one dash or two: -var and --var are the same.");
  register_validate(app, context);
  register_inspect(app, context);
  register_hcl2json(app, context);
  register_version(app, context);

  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> normalized = normalize_argv(args);
  std::reverse(normalized.begin(), normalized.end());  // CLI11 parses a reversed vector
  try {
    app.parse(normalized);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "skiff: " << e.what() << "\nRun 'skiff -help' for usage.\n";
    return kExitError;
  }
  return context.exit_code;
}

}  // namespace skiff::cli
