// What the one-job commands change besides a round of apply: `deployment
// promote|fail JOB` and `job stop [-purge] JOB` in the state, and the
// folders a purge removes from the hosts. Each saves the state it changed.
#pragma once

#include <string>

#include "base/result.hpp"
#include "cli/commands.hpp"
#include "cli/locked_state.hpp"
#include "cli/workspace.hpp"
#include "parser/spec/job.hpp"
#include "state/state.hpp"

namespace skiff::cli {

// `deployment promote JOB`: its canaries must all be healthy.
Status promote_deployment(const std::string& job, LockedState& locked);

// `deployment fail JOB`: the running deployment is failed (its canaries stop
// at the next apply); auto_revert as after a failed health gate.
Status fail_deployment(const std::string& job, LockedState& locked);

// `job stop JOB`: a new version of the same spec that asks for nothing.
Status record_stop(const spec::Job& job, LockedState& locked);

// `job stop -purge`, on the hosts: the folders of the job's allocations
// that ended before the stop (stopped by `alloc stop`, failed, complete),
// which the stop left as they were. Without this the next apply would find
// them and take them into the state again.
Status purge_leftovers(const std::string& job, const Workspace& workspace, int parallelism, const state::State& state,
                       Context& context);

// `job stop -purge`: the job's versions, allocations (stopped ones too) and
// deployments leave the state once nothing of it runs.
Status purge_job(const std::string& job, LockedState& locked);

}  // namespace skiff::cli
