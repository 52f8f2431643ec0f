#include "cli/commit_load.hpp"

#include <sstream>

#include "base/text.hpp"
#include "parser/tree_environment.hpp"

namespace skiff::cli {

namespace {

// Whether `path` (a file of the tree) lies in one of `wanted` (files or
// folders of the tree; empty: the whole tree), outside any skipped folder.
bool is_wanted(const std::string& path, const std::vector<std::string>& wanted) {
  size_t start = 0;
  for (size_t slash; (slash = path.find('/', start)) != std::string::npos; start = slash + 1)
    if (is_skipped_folder(path.substr(start, slash - start))) return false;
  if (wanted.empty()) return true;
  for (std::string w : wanted) {
    while (w.rfind("./", 0) == 0) w.erase(0, 2);
    while (!w.empty() && w.back() == '/') w.pop_back();
    if (w.empty() || w == "." || path == w || path.rfind(w + "/", 0) == 0) return true;
  }
  return false;
}

// Loads one file of the tree with `load`; its diagnostics go to `err`.
template <typename Model, typename Load>
std::optional<Model> load_tree_file(const parser::TreeEnvironment& env, const std::string& path, Context& context, Load load) {
  Result<std::string> text = env.read_file(path);
  if (!text.ok()) {
    context.err << "error: " << text.error().message << "\n";
    return std::nullopt;
  }
  std::vector<std::string> problems;
  parser::EvalOptions options = eval_options(VarFlags{}, env, path, problems);
  parser::Diagnostics diagnostics;
  std::optional<Model> model = load(path, std::move(*text), options, diagnostics);
  if (!diagnostics.empty()) context.err << diagnostics.render_all();
  if (diagnostics.has_errors()) return std::nullopt;
  return model;
}

// The project and inventory of the tree; diagnostics to context.err.
std::optional<Workspace> load_tree_workspace(const parser::TreeEnvironment& env, Context& context) {
  Workspace out;
  if (env.file_exists("skiff.hcl")) {
    auto project = load_tree_file<spec::Project>(env, "skiff.hcl", context, parser::load_project);
    if (!project) return std::nullopt;
    out.project = std::move(*project);
  }
  std::string inventory = out.project.inventory;
  if (inventory.empty() && env.file_exists("hosts.hcl")) inventory = "hosts.hcl";
  if (inventory.empty()) {
    out.inventory = spec::builtin_local_inventory();
    return out;
  }
  auto loaded = load_tree_file<spec::Inventory>(env, inventory, context, parser::load_inventory);
  if (!loaded) return std::nullopt;
  out.inventory = std::move(*loaded);
  return out;
}

// The job files of the tree that `workspace` names; diagnostics to context.err.
std::optional<JobSet> load_tree_jobs(const parser::TreeEnvironment& env, const Workspace& workspace, const std::string& commit,
                                     const VarFlags& flags, Context& context) {
  std::vector<std::pair<std::string, std::string>> texts;
  for (const auto& [path, text] : env.files()) {
    const std::string name = path.substr(path.rfind('/') + 1);
    if (is_hcl_file_name(name) && classify_file(name) == FileKind::kJob && is_wanted(path, workspace.project.jobs))
      texts.emplace_back(path, text);
  }
  // A commit without jobs is one that stops them all (with --prune): the
  // caller decides whether that is allowed.
  if (texts.empty()) return JobSet{};
  std::optional<JobSet> set = load_job_texts(texts, flags, env, context);
  if (!set) return std::nullopt;
  for (spec::Job& job : set->jobs) job.source_path = "git:" + commit + ":" + job.source_path;
  return set;
}

// The first line of `text` that says "error", without its "error: " word.
std::string first_error(const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t at = line.find("error: ");
    if (at != std::string::npos) return line.substr(0, at) + line.substr(at + 7);
  }
  return "it cannot be loaded";
}

}  // namespace

LoadedCommit load_commit(const drivers::GitTree& tree, const VarFlags& flags, Context& context) {
  const parser::TreeEnvironment env(tree.files, "commit " + tree.commit.id.substr(0, 12), context.env);
  std::ostringstream said;
  Context quiet{context.out, said, context.env};
  LoadedCommit out;
  out.workspace = load_tree_workspace(env, quiet);
  if (out.workspace) out.jobs = load_tree_jobs(env, *out.workspace, tree.commit.id, flags, quiet);
  // A commit's author chose its file names and skiff.hcl's paths, which
  // problems quote: escaped like a host's text, for the terminal and the
  // state's attempted error alike.
  const std::string shown = base::terminal_safe(said.str());
  context.err << shown;
  if (!out.ok()) out.error = first_error(shown);
  return out;
}

}  // namespace skiff::cli
