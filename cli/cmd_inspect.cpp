// skiff inspect FILE: the evaluated, defaulted job as JSON (docs/inspect-json.md).
// skiff hcl2json FILE: any HCL file's evaluated body as JSON.
#include <optional>
#include <utility>

#include "cli/commands.hpp"
#include "cli/job_files.hpp"

namespace skiff::cli {

namespace {

struct FileOptions {
  std::string file;
  VarFlags flags;
};

// Reads the file and builds its EvalOptions; on failure prints why.
std::optional<std::pair<std::string, parser::EvalOptions>> prepare(const FileOptions& options, Context& context) {
  Result<std::string> text = read_text_file(options.file);
  if (!text.ok()) {
    context.err << "error: " << text.error().message << "\n";
    return std::nullopt;
  }
  std::vector<std::string> problems;
  parser::EvalOptions eval = eval_options(options.flags, context.env, options.file, problems);
  for (const std::string& problem : problems) context.err << "error: " << problem << "\n";
  if (!problems.empty()) return std::nullopt;
  return std::make_pair(std::move(*text), std::move(eval));
}

int run_inspect(const FileOptions& options, Context& context) {
  auto prepared = prepare(options, context);
  if (!prepared) return kExitError;
  parser::Diagnostics diagnostics;
  parser::LoadedJob loaded = parser::load_job(options.file, prepared->first, prepared->second, diagnostics);
  if (!diagnostics.empty()) context.err << diagnostics.render_all();
  if (diagnostics.has_errors() || !loaded.job) return kExitError;
  context.out << parser::job_to_json(*loaded.job).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return kExitOk;
}

int run_hcl2json(const FileOptions& options, Context& context) {
  auto prepared = prepare(options, context);
  if (!prepared) return kExitError;
  parser::Diagnostics diagnostics;
  parser::EvaluatedFile evaluated = parser::parse_and_evaluate(options.file, prepared->first, prepared->second, diagnostics);
  if (!diagnostics.empty()) context.err << diagnostics.render_all();
  if (diagnostics.has_errors()) return kExitError;
  context.out << parser::body_to_hcl2json(evaluated.body).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return kExitOk;
}

CLI::App* add_file_command(CLI::App& app, const char* name, const char* description, std::shared_ptr<FileOptions> options) {
  CLI::App* command = app.add_subcommand(name, description);
  command->add_option("file", options->file, "The HCL file")->required();
  command->add_option("--var", options->flags.vars, "Set a variable: -var NAME=VALUE (repeatable)");
  command->add_option("--var-file", options->flags.var_files, "Read variables from an HCL file (repeatable)");
  return command;
}

}  // namespace

void register_inspect(CLI::App& app, Context& context) {
  auto options = std::make_shared<FileOptions>();
  CLI::App* command = add_file_command(app, "inspect", "Print the evaluated, defaulted job as JSON", options);
  command->footer(
      "The JSON layout is documented in docs/inspect-json.md. Exit status 1 when the file is invalid.\n"
      "Examples:\n"
      "  skiff inspect examples/redis.nomad.hcl\n"
      "  skiff inspect -var image=redis:7 -var-file prod.vars.hcl jobs/cache.nomad.hcl | jq .groups[0].count");
  command->callback([options, &context] { context.exit_code = run_inspect(*options, context); });
}

void register_hcl2json(CLI::App& app, Context& context) {
  auto options = std::make_shared<FileOptions>();
  CLI::App* command = add_file_command(app, "hcl2json", "Print any HCL file's evaluated body as JSON", options);
  command->footer(
      "Layout of the common hcl2json tools: attributes as \"name\": value, blocks appended to arrays\n"
      "keyed by type then labels. Variables and functions are evaluated; runtime interpolations\n"
      "such as ${NOMAD_ALLOC_ID} stay as strings.\n"
      "Examples:\n"
      "  skiff hcl2json examples/hosts.hcl\n"
      "  skiff hcl2json -var count=2 examples/web.nomad.hcl");
  command->callback([options, &context] { context.exit_code = run_hcl2json(*options, context); });
}

void register_version(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand("version", "Print skiff's version");
  command->callback([&context] { context.out << "skiff " << SKIFF_VERSION << "\n"; });
}

}  // namespace skiff::cli
