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

bool looks_like_job_file(const fs::path& path) {
  std::string name = path.filename().string();
  return (ends_with(name, ".hcl") || ends_with(name, ".nomad")) && !is_non_job_file(name);
}

}  // namespace

bool is_non_job_file(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  return name == "hosts.hcl" || name == "skiff.hcl" || ends_with(name, ".vars.hcl");
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

std::vector<std::string> find_job_files(const std::vector<std::string>& paths, std::vector<std::string>& problems) {
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && looks_like_job_file(it->path())) out.push_back(it->path().string());
      }
    } else if (fs::exists(path, ec)) {
      out.push_back(path);
    } else {
      problems.push_back(path + ": no such file or directory");
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, path + ": cannot be read (no such file, or no permission)");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace skiff::cli
