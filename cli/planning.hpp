// What `plan` and `apply` share: the jobs, the fleet as observed and the
// state as read, turned into a plan.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "cli/fleet_view.hpp"
#include "cli/job_set.hpp"
#include "reconciler/apply/apply.hpp"
#include "reconciler/diff.hpp"
#include "reconciler/plan/plan_render.hpp"
#include "state/state.hpp"

namespace skiff::cli {

// A plan's inputs and options from the job files, the observation and the
// state (nullopt: none yet). kRetry (`apply -retry-failed`) places the
// unhealthy and failed allocations of failed deployments again; otherwise
// the plan names those deployments, which it leaves as they are.
enum class FailedDeployments { kLeave, kRetry };
reconciler::Plan compute(const JobSet& set, const FleetView& view, const std::optional<state::State>& state, bool prune,
                         FailedDeployments failed = FailedDeployments::kLeave);

// Colour for a human plan: only on a terminal, never with -no-color or
// NO_COLOR set.
reconciler::RenderOptions render_options(bool no_color, const Context& context);

// Every reachable inventory host with its facts, for the apply executor.
std::map<std::string, reconciler::ApplyHost> apply_hosts(const Workspace& workspace, const FleetView& view);

}  // namespace skiff::cli
