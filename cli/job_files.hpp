// Finding and loading the files a command works on: job files from paths
// (files or directories), the project file, the inventory, and the
// evaluation options built from -var / -var-file flags.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parser/load.hpp"

namespace skiff::cli {

// Flags shared by every command that evaluates HCL.
struct VarFlags {
  std::vector<std::string> vars;       // -var NAME=VALUE
  std::vector<std::string> var_files;  // -var-file PATH
};

// EvalOptions for one file: -var pairs split at the first '=', NOMAD_VAR_*
// read from the environment, file functions confined to the file's directory.
// A -var without '=' is reported in `problems`.
parser::EvalOptions eval_options(const VarFlags& flags, const parser::Environment& env, const std::string& file,
                                 std::vector<std::string>& problems);

// Job files under `paths`: files as given; directories searched recursively
// for *.nomad.hcl, *.nomad and *.hcl, leaving out hosts.hcl, skiff.hcl and
// *.vars.hcl (they are not jobs). Sorted, without duplicates.
std::vector<std::string> find_job_files(const std::vector<std::string>& paths, std::vector<std::string>& problems);

// True for the file names that are never jobs (hosts.hcl, skiff.hcl, *.vars.hcl).
bool is_non_job_file(const std::string& path);

// Reads a whole file; an error names the path.
Result<std::string> read_text_file(const std::string& path);

}  // namespace skiff::cli
