// skiff version (also `skiff -version`, as Nomad and Terraform take it).
#include "cli/commands.hpp"

namespace skiff::cli {

std::string version_text() { return std::string("skiff ") + SKIFF_VERSION; }

void register_version(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand("version", "Print skiff's version");
  command->footer("The same as `skiff -version`.\nExamples:\n  skiff version");
  command->callback([&context] { context.out << version_text() << "\n"; });
}

}  // namespace skiff::cli
