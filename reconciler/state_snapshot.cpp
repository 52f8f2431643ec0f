#include "reconciler/state_snapshot.hpp"

#include <set>

#include "reconciler/host_grace.hpp"
#include "reconciler/rollout_history.hpp"

namespace skiff::reconciler {

std::map<std::string, JobHistory> history_from(const state::State& state) {
  std::map<std::string, JobHistory> history;
  for (const auto& [id, record] : state.jobs) {
    if (record.versions.empty()) continue;
    const state::JobVersion& current = record.versions.back();
    JobHistory& job = history[id];
    job.version = current.version;
    job.job_spec_hash = current.spec_hash;
    job.spec = current.spec;
  }
  add_rollout_history(state, history);
  return history;
}

// Hosts that could not be observed are unreachable until fleet.down_after
// has passed since the state first found them so (now, without a state),
// then down. Each unreachable one is named in the plan's drift.
void weigh_grace(const std::optional<state::State>& state, spec::Duration down_after, int64_t now, ClusterSnapshot& cluster) {
  for (Node& node : cluster.nodes) {
    if (node.status == NodeStatus::kReady) continue;
    std::optional<int64_t> since;
    if (state)
      if (auto host = state->hosts.find(node.name); host != state->hosts.end()) since = host->second.down_since_unix;
    judge_unreachable(node, since, now, down_after.nanoseconds / 1000000000LL);
    if (node.status == NodeStatus::kUnreachable)
      cluster.drift.push_back("host " + node.name + " " + node.status_reason +
                              ": its allocations are kept as last recorded and nothing replaces them yet");
  }
}

// What the state adds to what the hosts report: copies it replaced while
// their host was down (stale: they give way), and each failed one's chain
// of earlier reschedules and, if the host did not say, when it failed, and
// why a complete one ended ("stopped by user").
void add_history(const state::State& state, ClusterSnapshot& cluster) {
  std::set<std::string> replaced;
  std::map<std::string, const state::AllocationRecord*> records;
  for (const state::AllocationRecord& r : state.allocations) {
    records[r.id] = &r;
    if (!r.previous_allocation.empty()) replaced.insert(r.previous_allocation);
  }
  for (ExistingAllocation& a : cluster.allocations) {
    auto it = records.find(a.id);
    if (it == records.end()) continue;
    const state::AllocationRecord& r = *it->second;
    a.stale = r.status == "lost" || replaced.count(a.id);
    a.reschedules_unix = r.reschedules_unix;
    if (a.status == AllocationStatus::kFailed && a.failed_unix == 0 && r.status == "failed") a.failed_unix = r.modified_unix;
    // The host says only that its tasks ended; the state says why when a
    // user stopped it (`alloc stop`).
    if (a.status == AllocationStatus::kComplete && r.status == "complete" && a.reason.empty()) a.reason = r.status_reason;
  }
}

// Failed allocations the plan leaves where they are (their reschedule
// delay has not passed, or their attempts are used up), named in the drift.
void note_kept_failures(const ClusterSnapshot& cluster, Plan& plan) {
  std::set<std::string> failed;
  for (const ExistingAllocation& a : cluster.allocations)
    if (a.status == AllocationStatus::kFailed) failed.insert(a.id);
  for (const Action& a : plan.actions)
    if (a.kind == ActionKind::kIgnore && failed.count(a.alloc_id) && !a.reason.empty())
      plan.drift.push_back(a.name() + " (" + a.alloc_id.substr(0, 8) + ") " + a.reason);
}

// What the state says runs on hosts that could not be observed. On a down
// host those allocations are lost and get rescheduled, rather than being
// taken for missing; on one still in its grace they are kept.
void add_unobserved(const state::State& state, ClusterSnapshot& cluster) {
  std::set<std::string> down, known;
  for (const Node& node : cluster.nodes)
    if (node.status != NodeStatus::kReady) down.insert(node.name);
  for (const ExistingAllocation& a : cluster.allocations) known.insert(a.id);
  for (const state::AllocationRecord& r : state.allocations) {
    if (!down.count(r.host) || known.count(r.id) || (r.status != "running" && r.status != "pending")) continue;
    ExistingAllocation a;
    a.id = r.id;
    a.job = r.job;
    a.group = r.group;
    a.index = r.index;
    a.node = r.host;
    a.job_version = r.job_version;
    a.status = AllocationStatus::kRunning;
    a.resources = {r.cpu_mhz, r.memory_mb, r.disk_mb, 0};
    a.ports = r.ports;
    a.task_spec_hashes = r.task_spec_hashes;
    a.job_spec_hash = r.job_spec_hash;
    cluster.allocations.push_back(std::move(a));
  }
}

const state::Deployment* failed_last_deployment(const state::State& state, const std::string& job) {
  const state::JobVersion* current = state.current(job);
  if (!current || current->stopped) return nullptr;
  const state::Deployment* last = nullptr;
  for (const state::Deployment& d : state.deployments)
    if (d.job == job && (!last || d.created_unix >= last->created_unix)) last = &d;
  return last && last->status == "failed" && last->job_version == current->version ? last : nullptr;
}

namespace {

// Unhealthy or failed, and not stopped, lost or complete since.
bool held_by_failure(const state::AllocationRecord& a) {
  return (a.health == "unhealthy" || a.status == "failed") &&
      (a.status == "running" || a.status == "pending" || a.status == "failed");
}

}  // namespace

std::set<std::string> failed_deployment_allocations(const state::State& state) {
  std::set<std::string> ids;
  for (const auto& [job, record] : state.jobs)
    if (const state::Deployment* d = failed_last_deployment(state, job))
      for (const state::AllocationRecord& a : state.allocations)
        if (a.deployment == d->id && held_by_failure(a)) ids.insert(a.id);
  return ids;
}

void note_failed_deployments(const state::State& state, Plan& plan) {
  for (const JobPlan& job : plan.jobs) {
    if (job.change != DiffType::kNone) continue;
    const state::Deployment* d = failed_last_deployment(state, job.job);
    if (!d) continue;
    FailedDeployment failed{job.job, d->id, d->job_version, d->description, {}};
    for (const state::AllocationRecord& a : state.allocations)
      if (a.deployment == d->id && held_by_failure(a))
        failed.unhealthy.push_back(a.job + "." + a.group + "[" + std::to_string(a.index) + "] (" + a.id.substr(0, 8) + ") on " +
                                   a.host + ": " + (a.status == "failed" ? "failed" : "unhealthy"));
    plan.failed_deployments.push_back(std::move(failed));
  }
}

void add_host_marks(const state::State& state, int64_t now, ClusterSnapshot& cluster) {
  for (Node& node : cluster.nodes)
    if (auto host = state.hosts.find(node.name); host != state.hosts.end()) {
      node.eligible = host->second.eligible;
      node.draining = host->second.draining;
      node.drain_deadline_passed = host->second.drain_deadline_unix && *host->second.drain_deadline_unix <= now;
    }
}

}  // namespace skiff::reconciler
