// The file `skiff plan -out FILE` writes and `skiff apply FILE` reads: the
// plan, and the job files and variables it was computed from, so that apply
// evaluates the same text and can tell whether the plan is still current.
//   {"skiff_plan_file": 1, "plan": {...}, "job_files": [{"path", "text"}],
//    "vars": [...], "var_files": [...]}
#pragma once

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
  VarFlags flags;
};

// Writes `plan` with the text of every file of `set` and the -var flags,
// in a new file of mode 0600 renamed to `path` (base/replace_file.hpp); a
// symlink at `path` is refused.
Status save_plan(const std::string& path, const reconciler::Plan& plan, const JobSet& set, const VarFlags& flags);

// nullopt when `paths` is not one saved plan (they are job files); an error
// naming the field when it is one that does not read.
Result<std::optional<SavedPlan>> read_saved_plan(const std::vector<std::string>& paths);

}  // namespace skiff::cli
