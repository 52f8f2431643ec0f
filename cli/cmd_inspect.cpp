// skiff inspect FILE: the evaluated, defaulted job as JSON (docs/inspect-json.md).
#include "cli/commands.hpp"
#include "cli/job_files.hpp"
#include "parser/sensitive.hpp"

namespace skiff::cli {

namespace {

struct InspectOptions {
  std::string file;
  VarFlags flags;
};

int run_inspect(const InspectOptions& options, Context& context) {
  std::optional<spec::Job> job = load_job_file(options.file, options.flags, context);
  if (!job) return kExitError;
  nlohmann::json shown = parser::job_to_json(*job);
  parser::show_markers_as_sensitive(shown);
  context.out << pretty_json(shown);
  return kExitOk;
}

}  // namespace

void register_inspect(CLI::App& app, Context& context) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* command = app.add_subcommand("inspect", "Print the evaluated, defaulted job as JSON");
  command->add_option("file", options->file, "The job file")->required();
  add_var_flags(*command, options->flags);
  command->footer(
      "The JSON layout is documented in docs/inspect-json.md. Diagnostics go to stderr;\n"
      "exit status 1 when the file is invalid.\n"
      "Examples:\n"
      "  skiff inspect examples/redis.nomad.hcl\n"
      "  skiff inspect -var interval=10 examples/hello.nomad.hcl\n"
      "  skiff inspect -var-file prod.vars.hcl jobs/cache.nomad.hcl | jq '.groups[0].count'");
  command->callback([options, &context] { context.exit_code = run_inspect(*options, context); });
}

}  // namespace skiff::cli
