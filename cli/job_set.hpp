// The jobs a plan works on: every job file under the given paths (default:
// skiff.hcl's `jobs`, else the current directory), evaluated on every core.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/job_files.hpp"
#include "cli/workspace.hpp"

namespace skiff::cli {

struct JobSet {
  std::vector<spec::Job> jobs;     // ids unique
  std::vector<std::string> files;  // the job files read, sorted
  // The variables declared `sensitive = true` in any of them: their -var
  // values are not written into a plan file.
  std::set<std::string> sensitive_variables;
};

// The texts of the jobs' sensitive values, for output and the state to hide.
std::set<std::string> sensitive_texts_of(const JobSet& set);

// Diagnostics (warnings too) go to context.err; nullopt on any error, a
// job id defined twice included (both files are named).
std::optional<JobSet> load_job_set(const std::vector<std::string>& paths, const VarFlags& flags, const Workspace& workspace,
                                   Context& context);

// The same from job file texts already read (a saved plan's), by path.
std::optional<JobSet> load_job_texts(const std::vector<std::pair<std::string, std::string>>& files, const VarFlags& flags,
                                     Context& context);
// The same, their file() calls and -var-file flags reading from `env` (a
// commit's tree) rather than the machine.
std::optional<JobSet> load_job_texts(const std::vector<std::pair<std::string, std::string>>& files, const VarFlags& flags,
                                     const parser::Environment& env, Context& context);

}  // namespace skiff::cli
