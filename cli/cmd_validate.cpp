// skiff validate [PATH...]: every job file (and the inventory, when there is
// one) through parse, evaluate, decode and validate; every problem reported.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "cli/commands.hpp"
#include "cli/job_files.hpp"
#include "parser/did_you_mean.hpp"

namespace skiff::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  VarFlags flags;
  std::string inventory;
};

const std::vector<std::string> kRuntimeRoots = {"attr", "node", "meta", "env", "device"};

// Runtime interpolations skiff will not be able to fill: a typo such as
// ${atr.kernel.name}, or an upper-case name that is neither NOMAD_* nor in
// any task's env.
void warn_unknown_runtime_roots(const parser::LoadedJob& loaded, parser::Diagnostics& diagnostics) {
  std::set<std::string> env_names;
  if (loaded.job)
    for (const auto& group : loaded.job->groups)
      for (const auto& task : group.tasks)
        for (const auto& [name, value] : task.env) env_names.insert(name);
  for (const parser::RuntimeReference& ref : loaded.evaluated.runtime_references) {
    const std::string& root = ref.root;
    if (root.rfind("NOMAD_", 0) == 0 || env_names.count(root)) continue;
    if (std::find(kRuntimeRoots.begin(), kRuntimeRoots.end(), root) != kRuntimeRoots.end()) continue;
    bool lower = std::islower(static_cast<unsigned char>(root[0]));
    std::string hint = lower ? parser::did_you_mean_suffix(root, kRuntimeRoots) : "";
    diagnostics.warning(ref.file, ref.range,
                        "unknown runtime variable \"" + root + "\": skiff fills NOMAD_*, attr.*, node.*, meta.*, env and the task's env at run time" + hint);
  }
}

std::vector<std::string> default_paths(const parser::Environment& env, std::string& inventory) {
  std::vector<std::string> paths;
  if (auto text = read_text_file("skiff.hcl"); text.ok()) {
    parser::Diagnostics ignored;
    parser::EvalOptions options;
    options.env = &env;
    if (auto project = parser::load_project("skiff.hcl", *text, options, ignored)) {
      paths = project->jobs;
      if (inventory.empty()) inventory = project->inventory;
    }
  }
  if (paths.empty()) paths.push_back(".");
  if (inventory.empty() && std::filesystem::exists("hosts.hcl")) inventory = "hosts.hcl";
  return paths;
}

int run_validate(ValidateOptions& options, Context& context) {
  std::vector<std::string> problems;
  if (options.paths.empty()) options.paths = default_paths(context.env, options.inventory);
  std::vector<std::string> files = find_job_files(options.paths, problems);
  parser::Diagnostics diagnostics;
  size_t invalid = 0;
  for (const std::string& file : files) {
    size_t before = diagnostics.error_count();
    Result<std::string> text = read_text_file(file);
    if (!text.ok()) {
      problems.push_back(text.error().message);
      continue;
    }
    parser::EvalOptions eval = eval_options(options.flags, context.env, file, problems);
    parser::LoadedJob loaded = parser::load_job(file, *text, eval, diagnostics);
    warn_unknown_runtime_roots(loaded, diagnostics);
    if (diagnostics.error_count() > before) ++invalid;
  }
  if (!options.inventory.empty()) {
    if (Result<std::string> text = read_text_file(options.inventory); text.ok()) {
      parser::EvalOptions eval = eval_options(options.flags, context.env, options.inventory, problems);
      eval.cli_vars.clear();
      if (!parser::load_inventory(options.inventory, *text, eval, diagnostics)) ++invalid;
    } else {
      problems.push_back(text.error().message);
    }
  }
  if (!diagnostics.empty()) context.err << diagnostics.render_all();
  for (const std::string& problem : problems) context.err << "error: " << problem << "\n";
  if (files.empty() && problems.empty()) problems.push_back("no job files found");
  if (invalid > 0 || !problems.empty()) {
    context.err << "\nValidation failed: " << diagnostics.error_count() + problems.size() << " error(s) in " << files.size()
                << " job file(s).\n";
    return kExitError;
  }
  context.out << "Success! " << files.size() << " job file" << (files.size() == 1 ? " is" : "s are") << " valid"
              << (options.inventory.empty() ? "" : ", and so is the inventory " + options.inventory) << ".\n";
  return kExitOk;
}

}  // namespace

void register_validate(CLI::App& app, Context& context) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* command = app.add_subcommand("validate", "Check job files (and the inventory) for every problem");
  command->add_option("paths", options->paths, "Job files or directories (default: the jobs of ./skiff.hcl, else .)");
  command->add_option("--var", options->flags.vars, "Set a variable: -var NAME=VALUE (repeatable)");
  command->add_option("--var-file", options->flags.var_files, "Read variables from an HCL file (repeatable)");
  command->add_option("--inventory", options->inventory, "Also validate this inventory (default: skiff.hcl's, else ./hosts.hcl)");
  command->footer(
      "Exit status: 0 when everything is valid (warnings are printed), 1 otherwise.\n"
      "Examples:\n"
      "  skiff validate examples/\n"
      "  skiff validate -var count=3 jobs/web.nomad.hcl\n"
      "  skiff validate -inventory hosts.hcl jobs/");
  command->callback([options, &context] { context.exit_code = run_validate(*options, context); });
}

}  // namespace skiff::cli
