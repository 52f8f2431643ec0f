// Field-level differences between two versions of a job spec (as
// parser::job_to_json prints them), each annotated with what it forces,
// as `nomad job plan` does: "forces create/destroy update" for a change
// that replaces allocations, "forces in-place update" for one that does
// not, "forces create" / "forces destroy" for a group added or removed or
// its count raised or lowered.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "reconciler/plan/plan.hpp"

namespace skiff::reconciler {

// Paths name groups and tasks by name: "group.web.count",
// "group.web.task.app.config.image", "datacenters". Lists other than
// groups and tasks compare whole. Sorted by path. A value that holds a
// sensitive marker (parser/sensitive.hpp) is shown as (sensitive), on both
// sides: markers differ when the secret changed, so the change still shows.
std::vector<FieldDiff> diff_job_specs(const nlohmann::json& old_job, const nlohmann::json& new_job);

}  // namespace skiff::reconciler
