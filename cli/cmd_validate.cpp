// skiff validate [PATH...]: every job file, inventory (hosts.hcl) and
// project file (skiff.hcl) through parse, evaluate, decode and validate;
// every problem reported, not just the first.
#include <algorithm>
#include <filesystem>
#include <set>

#include "cli/commands.hpp"
#include "cli/job_files.hpp"

namespace fs = std::filesystem;

namespace skiff::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  VarFlags flags;
  std::string inventory;
};

// One run's findings: diagnostics from the files, other problems (paths
// that do not exist, bad flags, files that cannot be read: those are
// counted in unreadable_files too), and how many files of each kind were
// named.
struct Outcome {
  parser::Diagnostics diagnostics;
  std::vector<std::string> problems;
  size_t jobs = 0, inventories = 0, projects = 0;
  size_t invalid_files = 0, unreadable_files = 0;

  size_t files() const { return jobs + inventories + projects; }
};

// Reads `path` and runs `load` on it, counting the file as invalid when it
// added errors. -var flags belong to job files only: an inventory or project
// file declaring no such variable must not fail because of them.
template <typename Load>
void check_file(const std::string& path, const VarFlags& flags, Context& context, Outcome& outcome, Load load) {
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) {
    outcome.problems.push_back(text.error().message);
    ++outcome.invalid_files;
    ++outcome.unreadable_files;
    return;
  }
  parser::EvalOptions options = eval_options(flags, context.env, path, outcome.problems);
  size_t before = outcome.diagnostics.error_count();
  load(std::move(*text), options);
  if (outcome.diagnostics.error_count() > before) ++outcome.invalid_files;
}

// Job files load on every core at once; the report reads as if one by one.
void check_jobs(const std::vector<std::string>& paths, const VarFlags& flags, Context& context, Outcome& outcome) {
  std::vector<parser::JobSource> sources;
  for (const std::string& path : paths) {
    ++outcome.jobs;
    Result<std::string> text = read_text_file(path);
    if (!text.ok()) {
      outcome.problems.push_back(text.error().message);
      ++outcome.invalid_files;
      ++outcome.unreadable_files;
      continue;
    }
    sources.push_back({path, std::move(*text), eval_options(flags, context.env, path, outcome.problems)});
  }
  for (parser::LoadedJobFile& file : parser::load_jobs(std::move(sources))) {
    if (file.diagnostics.has_errors()) ++outcome.invalid_files;
    outcome.diagnostics.append(file.diagnostics);
    parser::warn_unknown_runtime_variables(file.loaded, outcome.diagnostics);
  }
}

void check_inventory(const std::string& path, Context& context, Outcome& outcome) {
  check_file(path, VarFlags{}, context, outcome, [&](std::string text, const parser::EvalOptions& options) {
    (void)parser::load_inventory(path, std::move(text), options, outcome.diagnostics);
  });
  ++outcome.inventories;
}

std::optional<spec::Project> check_project(const std::string& path, Context& context, Outcome& outcome) {
  std::optional<spec::Project> project;
  check_file(path, VarFlags{}, context, outcome, [&](std::string text, const parser::EvalOptions& options) {
    project = parser::load_project(path, std::move(text), options, outcome.diagnostics);
  });
  ++outcome.projects;
  return project;
}

// The same file reached twice (examples/ and examples/hosts.hcl, or a
// directory walk and -inventory) is checked once.
void drop_repeats(std::vector<std::string>& paths, std::set<std::string>& seen) {
  std::erase_if(paths, [&](const std::string& path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return !seen.insert(ec ? path : canonical.string()).second;
  });
}

// With no PATH: ./skiff.hcl (checked too) names the jobs and the inventory;
// its jobs default to its directory. Without it: the current directory and
// ./hosts.hcl.
FoundFiles default_files(ValidateOptions& options, Context& context, Outcome& outcome) {
  std::vector<std::string> paths;
  std::set<std::string> seen;
  if (fs::exists("skiff.hcl")) {
    std::vector<std::string> project_file = {"skiff.hcl"};
    drop_repeats(project_file, seen);
    std::optional<spec::Project> project = check_project("skiff.hcl", context, outcome);
    // Without a valid project file there is no telling where the jobs are;
    // walking the whole directory instead would bury its errors.
    if (!project) return FoundFiles{};
    paths = project->jobs;
    if (options.inventory.empty()) options.inventory = project->inventory;
  }
  if (paths.empty()) paths.push_back(".");
  if (options.inventory.empty() && fs::exists("hosts.hcl")) options.inventory = "hosts.hcl";
  FoundFiles found = find_hcl_files(paths, outcome.problems);
  drop_repeats(found.projects, seen);
  return found;
}

std::string count(size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// "7 job files, 1 inventory and 1 project file".
std::string describe(const Outcome& outcome) {
  std::vector<std::string> parts;
  if (outcome.jobs) parts.push_back(count(outcome.jobs, "job file", "job files"));
  if (outcome.inventories) parts.push_back(count(outcome.inventories, "inventory", "inventories"));
  if (outcome.projects) parts.push_back(count(outcome.projects, "project file", "project files"));
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i) text += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return text;
}

// "4 error(s) in 1 of 3 file(s)", then the errors outside any file (a path
// that does not exist, a bad -var): "..., and 1 outside them"; "1 error(s);
// no file was validated" when no file was found at all.
std::string failure_summary(const Outcome& outcome) {
  const size_t in_files = outcome.diagnostics.error_count() + outcome.unreadable_files;
  const size_t outside = outcome.problems.size() - outcome.unreadable_files;
  if (outcome.files() == 0) return std::to_string(outside) + " error(s); no file was validated";
  if (in_files == 0)
    return std::to_string(outside) + " error(s), none in the " + std::to_string(outcome.files()) + " file(s) validated";
  std::string text = std::to_string(in_files) + " error(s) in " + std::to_string(outcome.invalid_files) + " of " +
      std::to_string(outcome.files()) + " file(s)";
  if (outside > 0) text += ", and " + std::to_string(outside) + " outside them";
  return text;
}

int report(Outcome& outcome, Context& context) {
  // A bad -var is found once per job file; it is one error.
  std::set<std::string> seen;
  std::erase_if(outcome.problems, [&](const std::string& problem) { return !seen.insert(problem).second; });
  if (!outcome.diagnostics.empty()) context.err << outcome.diagnostics.render_all();
  for (const std::string& problem : outcome.problems) context.err << "error: " << problem << "\n";
  if (outcome.invalid_files > 0 || !outcome.problems.empty()) {
    context.err << "\nValidation failed: " << failure_summary(outcome) << ".\n";
    return kExitError;
  }
  context.out << "Success! " << describe(outcome) << (outcome.files() == 1 ? " is" : " are") << " valid.\n";
  return kExitOk;
}

int run_validate(ValidateOptions& options, Context& context) {
  Outcome outcome;
  FoundFiles found =
      options.paths.empty() ? default_files(options, context, outcome) : find_hcl_files(options.paths, outcome.problems);
  if (!options.inventory.empty()) found.inventories.push_back(options.inventory);
  std::set<std::string> seen;
  drop_repeats(found.inventories, seen);
  check_jobs(found.jobs, options.flags, context, outcome);
  for (const std::string& file : found.inventories) check_inventory(file, context, outcome);
  for (const std::string& file : found.projects) check_project(file, context, outcome);
  if (outcome.files() == 0 && outcome.problems.empty()) outcome.problems.push_back("no job files found");
  return report(outcome, context);
}

}  // namespace

void register_validate(CLI::App& app, Context& context) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* command = app.add_subcommand("validate", "Check job files, the inventory and skiff.hcl for every problem");
  command->add_option("paths", options->paths,
                      "Files or directories (searched recursively for *.nomad.hcl, *.nomad, *.hcl). Default: the jobs of "
                      "./skiff.hcl, else the current directory");
  add_var_flags(*command, options->flags);
  command->add_option("--inventory", options->inventory, "Also validate this inventory (default: skiff.hcl's, else ./hosts.hcl)");
  command->footer(
      "Files are told apart by name: hosts.hcl is an inventory, skiff.hcl a project file, *.vars.hcl\n"
      "a -var-file (skipped in directories), anything else a job. -var and -var-file apply to jobs.\n"
      "Exit status: 0 when everything is valid (warnings are printed to stderr), 1 otherwise.\n"
      "Examples:\n"
      "  skiff validate examples/\n"
      "  skiff validate -var interval=10 examples/hello.nomad.hcl\n"
      "  skiff validate -inventory prod-hosts.hcl jobs/");
  command->callback([options, &context] { context.exit_code = run_validate(*options, context); });
}

}  // namespace skiff::cli
