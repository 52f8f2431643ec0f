// Whether a saved plan (`plan -out`) may still be applied, and if not, what
// moved since it was made, in words: the state (its serial) and the hosts
// (named, from the plan's per-host digests). The job files and variables
// travel inside the saved plan, so they cannot be what changed.
#pragma once

#include <string>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace skiff::reconciler {

// Empty when `saved` is still current against `now` (the plan computed
// afresh from the same job files); otherwise one clause per change:
// "the state changed (serial 12 -> 13: something was applied since)",
// "host web-2 changed (what runs there or its resources)",
// "host web-4 is new", "host web-3 is no longer reported".
std::vector<std::string> plan_staleness(const Plan& saved, const Plan& now);

}  // namespace skiff::reconciler
