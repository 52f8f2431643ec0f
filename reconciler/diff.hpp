// The diff: desired jobs against what exists (state and observation) -> a
// Plan. Pure: values in, a value out; time and the scheduler's seed are
// arguments, so the same inputs always give the same plan.
//
// Per allocation slot (job, group, index; per host for system jobs) it
// decides, as Nomad's reconciler does: keep (ignore), update in place (the
// job changed, its tasks did not), replace (a task's destructive spec
// changed; spec_hash.hpp), migrate (its host drains or no longer fits),
// reschedule (lost on a down host, or failed), stop (count lowered, group
// or job removed, a duplicate), place (missing). An allocation that still
// fits where it runs stays there. Then new allocations are placed with the
// Placer, replacements first on their old host, and replacements are put in
// rolling waves (canaries, then update.max_parallel at a time).
//
// Parameterized jobs place nothing (runs are dispatched). A periodic job
// places a run (every group's count, as a batch) when one of its crons
// came due since its last run, once however many were missed, unless
// prohibit_overlap and the last run still runs; the plan shows the next
// launch. `skiff apply` from cron, or the reconcile loop, launches them.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "parser/spec/job.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/scheduler/cluster.hpp"
#include "reconciler/scheduler/placer.hpp"

namespace skiff::reconciler {

// The canaries of one group in the job's running deployment.
struct GroupCanaries {
  std::set<std::string> ids;      // allocation ids
  std::set<std::string> healthy;  // those that passed their health gate
  bool promoted = false;
};

// What the state file knows of a job: its current version and spec, and
// where its rolling update stands.
struct JobHistory {
  uint64_t version = 0;
  std::string job_spec_hash;
  nlohmann::json spec;  // parser::job_to_json of that version; null when unknown
  // `skiff job stop`: the current version asks for no allocations, until
  // the job file's spec differs from it.
  bool stopped = false;
  // By group: the canaries of the current version's running deployment.
  std::map<std::string, GroupCanaries> canaries;
  // Canaries of failed or cancelled deployments that were never promoted:
  // stopped, whatever the job's version.
  std::set<std::string> failed_canaries;
  // Periodic jobs: its last run's launch, or when it was first applied
  // (0: never): a run is due once a cron time has passed since.
  int64_t periodic_since_unix = 0;
};

struct PlanInputs {
  std::vector<spec::Job> jobs;  // the job files, evaluated; ids unique
  ClusterSnapshot cluster;
  std::map<std::string, JobHistory> history;  // by job id
};

// Whether jobs that are no longer in the job files are stopped.
enum class Prune { kKeep, kStop };

struct PlanOptions {
  uint64_t seed = 0;
  int64_t now_unix = 0;
  Prune prune = Prune::kKeep;
  SchedulerAlgorithm algorithm = SchedulerAlgorithm::kBinpack;
  uint64_t state_serial = 0;
  // Seconds east of UTC in an IANA zone (periodic.time_zone) at an instant;
  // null: every zone is taken as UTC.
  std::function<int64_t(const std::string& zone, int64_t unix)> zone_offset;
  // `apply -retry-failed`: these allocations (of failed deployments) are
  // replaced, or placed again, now, whatever their reschedule policy says.
  std::set<std::string> retry;
};

Plan compute_plan(const PlanInputs& inputs, const PlanOptions& options);

// "sha256:..." over the nodes and allocations the plan was computed from:
// a saved plan is stale when the hosts' digest differs.
std::string observed_digest(const ClusterSnapshot& cluster);

// The same, per host (its node and the allocations on it), so that a stale
// saved plan can name the hosts that changed.
std::map<std::string, std::string> observed_host_digests(const ClusterSnapshot& cluster);

}  // namespace skiff::reconciler
