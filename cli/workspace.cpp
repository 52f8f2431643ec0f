#include "cli/workspace.hpp"

#include <filesystem>

#include "cli/job_files.hpp"
#include "parser/load.hpp"

namespace skiff::cli {

namespace {

namespace fs = std::filesystem;

// Reads and loads one HCL file with `load`; prints its diagnostics.
template <typename Model, typename Load>
std::optional<Model> load_file(const std::string& path, Context& context, Load load) {
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) {
    context.err << "skiff: " << text.error().message << "\n";
    return std::nullopt;
  }
  std::vector<std::string> problems;
  parser::EvalOptions options = eval_options(VarFlags{}, context.env, path, problems);
  parser::Diagnostics diagnostics;
  std::optional<Model> model = load(path, std::move(*text), options, diagnostics);
  if (!diagnostics.empty()) context.err << diagnostics.render_all() << "\n";
  if (diagnostics.has_errors()) return std::nullopt;
  return model;
}

}  // namespace

std::optional<Workspace> load_workspace(const std::string& inventory_flag, Context& context) {
  Workspace workspace;
  if (fs::exists("skiff.hcl")) {
    auto project = load_file<spec::Project>("skiff.hcl", context, parser::load_project);
    if (!project) return std::nullopt;
    workspace.project = std::move(*project);
  }
  std::string inventory_path = inventory_flag;
  if (inventory_path.empty()) inventory_path = workspace.project.inventory;
  if (inventory_path.empty() && fs::exists("hosts.hcl")) inventory_path = "hosts.hcl";
  if (inventory_path.empty()) {
    workspace.inventory = spec::builtin_local_inventory();
    return workspace;
  }
  auto inventory = load_file<spec::Inventory>(inventory_path, context, parser::load_inventory);
  if (!inventory) return std::nullopt;
  workspace.inventory = std::move(*inventory);
  return workspace;
}

void add_inventory_flag(CLI::App& command, std::string& inventory) {
  command.add_option("--inventory", inventory,
                     "The inventory (default: skiff.hcl's, else ./hosts.hcl, else the built-in local host)");
}

void add_parallelism_flag(CLI::App& command, int& parallelism) {
  command
      .add_option("--parallelism", parallelism,
                  "Open at most N SSH connections at once (default: skiff.hcl's ssh { parallelism }, 64)")
      ->check(CLI::Range(1, 4096));
}

}  // namespace skiff::cli
