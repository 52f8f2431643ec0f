#include "cli/job_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace skiff::cli {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool skip_directory(const fs::path& dir) { return is_skipped_folder(dir.filename().string()); }

void add(FoundFiles& found, const std::string& path, std::vector<std::string>& problems) {
  switch (classify_file(path)) {
    case FileKind::kJob: found.jobs.push_back(path); break;
    case FileKind::kInventory: found.inventories.push_back(path); break;
    case FileKind::kProject: found.projects.push_back(path); break;
    case FileKind::kVariables: problems.push_back(path + ": a variables file; pass it with -var-file"); break;
  }
}

void walk(const std::string& dir, FoundFiles& found, std::vector<std::string>& problems) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && skip_directory(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    std::string name = it->path().filename().string();
    if (!it->is_regular_file(ec) || !is_hcl_file_name(name) || classify_file(name) == FileKind::kVariables) continue;
    add(found, it->path().string(), problems);
  }
  if (ec) problems.push_back(dir + ": " + ec.message());
}

void sort_unique(std::vector<std::string>& paths) {
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
}

}  // namespace

bool is_hcl_file_name(const std::string& name) { return ends_with(name, ".hcl") || ends_with(name, ".nomad"); }

// Hidden directories hold tool state (.git, .skiff) and node_modules holds
// other people's files: neither is ever a place for job files.
bool is_skipped_folder(const std::string& name) {
  return (name.size() > 1 && name[0] == '.' && name != "..") || name == "node_modules";
}

FileKind classify_file(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  if (name == "hosts.hcl") return FileKind::kInventory;
  if (name == "skiff.hcl") return FileKind::kProject;
  if (ends_with(name, ".vars.hcl")) return FileKind::kVariables;
  return FileKind::kJob;
}

FoundFiles find_hcl_files(const std::vector<std::string>& paths, std::vector<std::string>& problems) {
  FoundFiles found;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) walk(path, found, problems);
    else if (fs::exists(path, ec)) add(found, path, problems);
    else problems.push_back(path + ": no such file or directory");
  }
  sort_unique(found.jobs);
  sort_unique(found.inventories);
  sort_unique(found.projects);
  return found;
}

parser::EvalOptions eval_options(const VarFlags& flags, const parser::Environment& env, const std::string& file,
                                 std::vector<std::string>& problems) {
  parser::EvalOptions options;
  options.env = &env;
  options.use_environment_variables = true;
  fs::path parent = fs::path(file).parent_path();
  options.root_dir = parent.empty() ? "." : parent.string();
  for (const std::string& var : flags.vars) {
    size_t eq = var.find('=');
    if (eq == std::string::npos || eq == 0) {
      problems.push_back("-var \"" + var + "\": expected NAME=VALUE");
      continue;
    }
    options.cli_vars.emplace_back(var.substr(0, eq), var.substr(eq + 1));
  }
  options.var_files = flags.var_files;
  return options;
}

Result<std::string> read_text_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return make_error(ErrorCode::kInvalidArgument, path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, path + ": cannot be read (no such file, or no permission)");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<spec::Job> load_job_file(const std::string& path, const VarFlags& flags, Context& context) {
  std::optional<PreparedFile> prepared = prepare_file(path, flags, context);
  if (!prepared) return std::nullopt;
  parser::Diagnostics diagnostics;
  parser::LoadedJob loaded = parser::load_job(path, std::move(prepared->text), prepared->options, diagnostics);
  if (!diagnostics.empty()) context.err << diagnostics.render_all();
  if (diagnostics.has_errors() || !loaded.job) return std::nullopt;
  return std::move(loaded.job);
}

std::optional<PreparedFile> prepare_file(const std::string& path, const VarFlags& flags, Context& context) {
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) {
    context.err << "error: " << text.error().message << "\n";
    return std::nullopt;
  }
  std::vector<std::string> problems;
  parser::EvalOptions options = eval_options(flags, context.env, path, problems);
  for (const std::string& problem : problems) context.err << "error: " << problem << "\n";
  if (!problems.empty()) return std::nullopt;
  return PreparedFile{std::move(*text), std::move(options)};
}

// CLI11 lets a vector option swallow every following word; without
// allow_extra_args(false), `-var a=1 jobs/` would read jobs/ as a second -var.
void add_var_flags(CLI::App& command, VarFlags& flags) {
  command.add_option("--var", flags.vars, "Set a variable: -var NAME=VALUE (repeatable; later wins)")->allow_extra_args(false);
  command.add_option("--var-file", flags.var_files, "Read variables from an HCL file (repeatable)")->allow_extra_args(false);
}

std::string pretty_json(const nlohmann::json& value) {
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace skiff::cli
