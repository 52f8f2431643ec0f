// The jobs a plan works on: every job file under the given paths (default:
// skiff.hcl's `jobs`, else the current directory), evaluated on every core.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/job_files.hpp"
#include "cli/workspace.hpp"

namespace skiff::cli {

struct JobSet {
  std::vector<spec::Job> jobs;     // ids unique
  std::vector<std::string> files;  // the job files read, sorted
};

// Diagnostics (warnings too) go to context.err; nullopt on any error, a
// job id defined twice included (both files are named).
std::optional<JobSet> load_job_set(const std::vector<std::string>& paths, const VarFlags& flags, const Workspace& workspace,
                                   Context& context);

// The same from job file texts already read (a saved plan's), by path.
std::optional<JobSet> load_job_texts(const std::vector<std::pair<std::string, std::string>>& files, const VarFlags& flags,
                                     Context& context);

}  // namespace skiff::cli
