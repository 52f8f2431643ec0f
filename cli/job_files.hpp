// Finding and loading the files a command works on: HCL files from paths
// (files or directories) sorted by kind, and each file's text with the
// evaluation options built from -var / -var-file flags.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "parser/load.hpp"

namespace skiff::cli {

// Flags shared by every command that evaluates HCL.
struct VarFlags {
  std::vector<std::string> vars;       // -var NAME=VALUE
  std::vector<std::string> var_files;  // -var-file PATH
};

// What an HCL file is, by its name alone, so that a file means the same in
// every directory: hosts.hcl is an inventory, skiff.hcl a project file,
// *.vars.hcl a -var-file, anything else (*.nomad.hcl, *.nomad, *.hcl) a job.
enum class FileKind { kJob, kInventory, kProject, kVariables };

FileKind classify_file(const std::string& path);

// Whether a file's name makes it an HCL file skiff reads: *.hcl or *.nomad.
bool is_hcl_file_name(const std::string& name);

// Whether a folder of this name is never searched for job files: hidden
// ones (.git, .skiff) and node_modules.
bool is_skipped_folder(const std::string& name);

struct FoundFiles {
  std::vector<std::string> jobs;
  std::vector<std::string> inventories;
  std::vector<std::string> projects;
};

// The HCL files under `paths`: files as given (a *.vars.hcl is reported in
// `problems`: it belongs to -var-file); directories searched recursively for
// *.hcl and *.nomad, skipping hidden directories (.git, .skiff) and
// node_modules. Each list sorted, without duplicates. A path that does not
// exist is reported in `problems`.
FoundFiles find_hcl_files(const std::vector<std::string>& paths, std::vector<std::string>& problems);

// EvalOptions for one file: -var pairs split at the first '=', NOMAD_VAR_*
// read from the environment, file functions confined to the file's directory.
// A -var without '=' is reported in `problems`.
parser::EvalOptions eval_options(const VarFlags& flags, const parser::Environment& env, const std::string& file,
                                 std::vector<std::string>& problems);

// Reads a whole file; an error names the path.
Result<std::string> read_text_file(const std::string& path);

struct PreparedFile {
  std::string text;
  parser::EvalOptions options;
};

// read_text_file + eval_options for a command that works on one file; on
// failure prints why to context.err and returns nullopt.
std::optional<PreparedFile> prepare_file(const std::string& path, const VarFlags& flags, Context& context);

// prepare_file + load_job for a command that needs one valid job; its
// diagnostics (warnings too) go to context.err; nullopt on any error.
std::optional<spec::Job> load_job_file(const std::string& path, const VarFlags& flags, Context& context);

// JSON for stdout: two-space indent, bad UTF-8 replaced rather than thrown.
std::string pretty_json(const nlohmann::json& value);

}  // namespace skiff::cli
