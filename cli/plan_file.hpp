// The file `skiff plan -out FILE` writes and `skiff apply FILE` reads: the
// plan, and the job files and variables it was computed from, so that apply
// evaluates the same text and can tell whether the plan is still current.
//   {"skiff_plan_file": 1, "plan": {...}, "job_files": [{"path", "text"}],
//    "vars": [...], "var_files": [...], "sensitive_vars": [...],
//    "job_spec_hashes": {"job": "sha256:..."}}
// The -var value of a sensitive variable is not kept, only its name:
// `apply FILE` needs it again, and each job's spec hash (over its sensitive
// markers) tells whether what it was given is what the plan was made with.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "cli/job_files.hpp"
#include "cli/job_set.hpp"
#include "reconciler/plan/plan.hpp"

namespace skiff::cli {

struct SavedPlan {
  nlohmann::json plan;                                     // as plan_to_json wrote it; plan_from_json checks it
  std::vector<std::pair<std::string, std::string>> files;  // path, text
  VarFlags flags;                                          // without the sensitive -var values
  std::vector<std::string> sensitive_vars;                 // names whose -var apply must be given again
  std::map<std::string, std::string> job_spec_hashes;      // job id -> reconciler::job_spec_hash
};

// Writes `plan` with the text of every file of `set` and the -var flags,
// in a new file of mode 0600 renamed to `path` (base/replace_file.hpp); a
// symlink at `path` is refused.
Status save_plan(const std::string& path, const reconciler::Plan& plan, const JobSet& set, const VarFlags& flags);

// The jobs of a saved plan, evaluated again with its -var flags and the
// sensitive ones `given` again (only those may be given; each must be);
// nullopt after printing why to context.err, also when a job evaluates to
// another spec than the plan was made from.
std::optional<JobSet> load_saved_jobs(const SavedPlan& saved, const std::string& plan_path, const VarFlags& given,
                                      Context& context);

// nullopt when `paths` is not one saved plan (they are job files); an error
// naming the field when it is one that does not read.
Result<std::optional<SavedPlan>> read_saved_plan(const std::vector<std::string>& paths);

}  // namespace skiff::cli
