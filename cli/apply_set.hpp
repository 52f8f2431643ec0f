// A set of jobs planned and applied under a lock already held, as
// `skiff apply -auto-approve` does it: rounds for auto_promote, auto_revert
// after a failed deployment. For reconcile, whose jobs come from a commit.
#pragma once

#include <functional>

#include "cli/apply_output.hpp"
#include "cli/fleet_access.hpp"
#include "cli/job_set.hpp"
#include "cli/locked_state.hpp"
#include "cli/workspace.hpp"

namespace skiff::cli {

// Told each plan a round computed (the reconcile loop counts drift
// corrections from it).
using PlanSeen = std::function<void(const reconciler::Plan&)>;

enum class ApplyOutcome { kNoChanges, kApplied, kFailed, kInterrupted };

struct ApplySetOptions {
  bool prune = false;   // stop the jobs of the state that `set` no longer has
  int parallelism = 0;  // SSH connections at once; 0: skiff.hcl's
  // Connections to the workspace's hosts kept open between calls (the
  // reconcile loop's); null: opened and closed here.
  FleetAccess* fleet = nullptr;
  PlanSeen plan_seen;  // told each round's plan, before anything runs
};

// kInterrupted: SIGINT or SIGTERM stopped it (the state says what ran).
ApplyOutcome apply_set(const JobSet& set, const Workspace& workspace, LockedState& locked, const ApplySetOptions& options,
                       ApplyOutput& out);

}  // namespace skiff::cli
