// What the state file adds to what the hosts reported, before the diff
// runs: each job's history, the grace of hosts that could not be reached,
// allocations recorded on hosts that could not be observed, earlier
// reschedules, eligibility and drains. Pure: the state, the clock and the
// snapshot are arguments.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "parser/spec/duration.hpp"
#include "reconciler/diff.hpp"
#include "reconciler/scheduler/cluster.hpp"
#include "state/state.hpp"

namespace skiff::reconciler {

// The state's current version of each job with its rollout history
// (rollout_history.hpp), for the diff's field diffs and version numbers.
std::map<std::string, JobHistory> history_from(const state::State& state);

// Hosts that could not be observed are unreachable until `down_after` has
// passed since the state first found them so (now, without a state), then
// down. Each unreachable one is named in the cluster's drift.
void weigh_grace(const std::optional<state::State>& state, spec::Duration down_after, int64_t now, ClusterSnapshot& cluster);

// Copies replaced while their host was down (stale: they give way), each
// failed allocation's chain of earlier reschedules and, if the host did not
// say, when it failed; and why a complete one ended, when the state knows
// ("stopped by user").
void add_history(const state::State& state, ClusterSnapshot& cluster);

// What the state says runs on hosts that could not be observed: on a down
// host those allocations are lost and get rescheduled, rather than being
// taken for missing; on one still in its grace they are kept.
void add_unobserved(const state::State& state, ClusterSnapshot& cluster);

// `skiff node eligibility` and `skiff node drain`, kept in the state, on
// each node; a drain's deadline has passed when it is at or before `now`.
void add_host_marks(const state::State& state, int64_t now, ClusterSnapshot& cluster);

// A job's last deployment when it failed at the job's current version
// (the one the state would roll out again), else null.
const state::Deployment* failed_last_deployment(const state::State& state, const std::string& job);

// The allocations of failed deployments that are unhealthy or failed and
// still on their hosts: what `apply -retry-failed` places again
// (PlanOptions::retry).
std::set<std::string> failed_deployment_allocations(const state::State& state);

// Jobs whose spec the plan leaves as it is and whose last deployment
// failed: named in plan.failed_deployments with their unhealthy
// allocations, since apply will not change them.
void note_failed_deployments(const state::State& state, Plan& plan);

// Failed allocations the plan leaves where they are (their reschedule
// delay has not passed, or their attempts are used up), named in the drift.
void note_kept_failures(const ClusterSnapshot& cluster, Plan& plan);

}  // namespace skiff::reconciler
