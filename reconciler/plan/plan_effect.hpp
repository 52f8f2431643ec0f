// What the fleet looks like once a plan has been applied in full: the
// allocations each action leaves behind. The apply executor records the
// same thing step by step; tests use it to check that re-planning after an
// apply gives no changes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "parser/spec/job.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/scheduler/cluster.hpp"

namespace skiff::reconciler {

// REQUIRES: `plan` was computed from `before` and `jobs`. `new_id` names
// each new allocation (apply: a random UUID; tests: a counter).
ClusterSnapshot apply_plan(const ClusterSnapshot& before, const std::vector<spec::Job>& jobs, const Plan& plan,
                           const std::function<std::string()>& new_id);

// An allocation of `group` as the drivers will start it: its resources,
// ports, version and spec hashes.
ExistingAllocation new_allocation(const spec::Job& job, const spec::Group& group, const Action& action, std::string id);

}  // namespace skiff::reconciler
