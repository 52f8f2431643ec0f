// skiff hcl2json FILE: any HCL file's evaluated body as JSON, in the layout
// of the common hcl2json tools, for debugging and for diffing with them.
#include "cli/commands.hpp"
#include "cli/job_files.hpp"

namespace skiff::cli {

namespace {

struct Hcl2JsonOptions {
  std::string file;
  VarFlags flags;
};

int run_hcl2json(const Hcl2JsonOptions& options, Context& context) {
  std::optional<PreparedFile> prepared = prepare_file(options.file, options.flags, context);
  if (!prepared) return kExitError;
  parser::Diagnostics diagnostics;
  parser::EvaluatedFile evaluated =
      parser::parse_and_evaluate(options.file, std::move(prepared->text), prepared->options, diagnostics);
  if (!diagnostics.empty()) context.err << diagnostics.render_all();
  if (diagnostics.has_errors()) return kExitError;
  context.out << pretty_json(parser::body_to_hcl2json(evaluated.body));
  return kExitOk;
}

}  // namespace

void register_hcl2json(CLI::App& app, Context& context) {
  auto options = std::make_shared<Hcl2JsonOptions>();
  CLI::App* command = app.add_subcommand("hcl2json", "Print any HCL file's evaluated body as JSON");
  command->add_option("file", options->file, "The HCL file (a job, hosts.hcl, skiff.hcl, ...)")->required();
  add_var_flags(*command, options->flags);
  command->footer(
      "Layout of the common hcl2json tools: an attribute is \"name\": value; a block of type T\n"
      "with labels L1..Ln is appended to the array at obj[T][L1]...[Ln], one without labels to\n"
      "the array obj[T]. Variables, locals and functions are evaluated; whole numbers print\n"
      "without a decimal point; runtime interpolations such as ${NOMAD_ALLOC_ID} stay strings.\n"
      "Examples:\n"
      "  skiff hcl2json examples/hosts.hcl\n"
      "  skiff hcl2json -var interval=2 examples/hello.nomad.hcl | jq '.job.hello[0].group'");
  command->callback([options, &context] { context.exit_code = run_hcl2json(*options, context); });
}

}  // namespace skiff::cli
