// A set of jobs planned and applied under a lock already held, as
// `skiff apply -auto-approve` does it: rounds for auto_promote, auto_revert
// after a failed deployment. For reconcile, whose jobs come from a commit.
#pragma once

#include "cli/apply_output.hpp"
#include "cli/job_set.hpp"
#include "cli/locked_state.hpp"
#include "cli/workspace.hpp"

namespace skiff::cli {

enum class ApplyOutcome { kNoChanges, kApplied, kFailed, kInterrupted };

struct ApplySetOptions {
  bool prune = false;   // stop the jobs of the state that `set` no longer has
  int parallelism = 0;  // SSH connections at once; 0: skiff.hcl's
};

// kInterrupted: SIGINT or SIGTERM stopped it (the state says what ran).
ApplyOutcome apply_set(const JobSet& set, const Workspace& workspace, LockedState& locked, const ApplySetOptions& options,
                       ApplyOutput& out);

}  // namespace skiff::cli
