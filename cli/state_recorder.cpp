#include "cli/state_recorder.hpp"

#include <set>

#include "cli/promotion.hpp"
#include "parser/sensitive.hpp"
#include "state/uuid.hpp"

namespace skiff::cli {

namespace {

// A canary is listed in its deployment's group, for promotion.
void note_canary(state::State& state, const std::string& deployment, const drivers::Allocation& allocation) {
  for (state::Deployment& d : state.deployments)
    if (d.id == deployment) d.groups[allocation.group].canaries.push_back(allocation.id);
}

std::string slot_key(const std::string& job, const std::string& group, int index, const std::string& host) {
  return job + "\n" + group + "\n" + std::to_string(index) + "\n" + host;
}

// A job's deployment that still runs: of this version, it goes on (after
// canaries, or an apply cut short); of another, it is cancelled.
state::Deployment* running_deployment(state::State& state, const reconciler::JobPlan& job, int64_t now_unix) {
  state::Deployment* same = nullptr;
  for (state::Deployment& d : state.deployments) {
    if (d.job != job.job || d.status != "running") continue;
    if (d.job_version == job.version) {
      same = &d;
      continue;
    }
    d.status = "cancelled";
    d.description = "Cancelled because job is updated to version " + std::to_string(job.version);
    d.modified_unix = now_unix;
  }
  return same;
}

}  // namespace

state::AllocationRecord record_of(const drivers::Allocation& a) {
  state::AllocationRecord r;
  r.id = a.id;
  r.job = a.job;
  r.group = a.group;
  r.index = a.index;
  r.host = a.host;
  r.job_version = a.job_version;
  for (const drivers::AssignedPort& port : a.ports) r.ports[port.label] = port.host_port;
  r.task_spec_hashes = a.task_spec_hashes;
  r.job_spec_hash = a.job_spec_hash;
  r.cpu_mhz = a.cpu_mhz;
  r.memory_mb = a.memory_mb;
  r.disk_mb = a.disk_mb;
  r.created_unix = a.created_unix;
  r.canary = a.canary;
  return r;
}

StateRecorder::StateRecorder(state::StateStore& store, state::State& state, int64_t (*now_unix)(),
                             std::map<std::string, std::string> deployments)
    : store_(store), state_(state), now_unix_(now_unix), deployments_(std::move(deployments)) {}

void StateRecorder::rescheduling(const reconciler::Plan& plan, const FleetView& view) {
  std::set<std::string> failed;
  for (const reconciler::ExistingAllocation& a : view.cluster.allocations)
    if (a.status == reconciler::AllocationStatus::kFailed) failed.insert(a.id);
  for (const reconciler::Action& a : plan.actions)
    if (a.kind == reconciler::ActionKind::kReschedule && !a.alloc_id.empty())
      rescheduled_[slot_key(a.job, a.group, a.index, a.to_node)] = {a.alloc_id, failed.count(a.alloc_id) > 0};
}

void StateRecorder::allocation(const drivers::Allocation& allocation, reconciler::RecordedStatus status,
                               const std::string& reason) {
  state::AllocationRecord* record = state_.allocation(allocation.id);
  if (!record) {
    state::AllocationRecord fresh = record_of(allocation);
    if (auto r = rescheduled_.find(slot_key(allocation.job, allocation.group, allocation.index, allocation.host));
        r != rescheduled_.end()) {
      fresh.previous_allocation = r->second.id;
      if (const state::AllocationRecord* previous = state_.allocation(r->second.id))
        fresh.reschedules_unix = previous->reschedules_unix;
      if (r->second.failed) fresh.reschedules_unix.push_back(now_unix_());
    }
    state_.allocations.push_back(std::move(fresh));
    record = &state_.allocations.back();
    if (auto d = deployments_.find(allocation.job); d != deployments_.end()) {
      record->deployment = d->second;
      if (allocation.canary) note_canary(state_, d->second, allocation);
    }
  } else {
    const std::string deployment = record->deployment;
    const std::string health = record->health;
    const std::string previous = record->previous_allocation;
    const std::vector<int64_t> reschedules = record->reschedules_unix;
    *record = record_of(allocation);
    record->health = health;
    record->deployment = deployment;
    record->previous_allocation = previous;
    record->reschedules_unix = reschedules;
  }
  record->status = reconciler::to_string(status);
  record->status_reason = reason;
  if (status == reconciler::RecordedStatus::kFailed) record->health = "unhealthy";
  record->modified_unix = now_unix_();
}

void StateRecorder::healthy(const std::string& alloc_id) {
  state::AllocationRecord* record = state_.allocation(alloc_id);
  if (!record) return;
  record->health = "healthy";
  record->modified_unix = now_unix_();
}

void StateRecorder::ended(const std::string& alloc_id, reconciler::RecordedStatus status, const std::string& reason) {
  state::AllocationRecord* record = state_.allocation(alloc_id);
  if (!record) return;
  record->status = reconciler::to_string(status);
  record->status_reason = reason;
  record->modified_unix = now_unix_();
}

Status StateRecorder::step_done() {
  hide_in_state(state_, secrets_);
  return store_.save(state_, state_.serial);
}

void hide_in_state(state::State& state, const std::set<std::string>& secrets) {
  if (secrets.empty()) return;
  for (state::AllocationRecord& a : state.allocations) a.status_reason = parser::scrub_sensitive(a.status_reason, secrets);
  for (state::Deployment& d : state.deployments) d.description = parser::scrub_sensitive(d.description, secrets);
}

std::map<std::string, std::string> begin_deployments(state::State& state, const reconciler::Plan& plan, int64_t now_unix) {
  std::map<std::string, std::string> ids;
  for (const reconciler::JobPlan& job : plan.jobs) {
    std::map<std::string, std::pair<const reconciler::GroupSummary*, int>> placing;
    for (const reconciler::GroupSummary& g : job.groups) {
      int placed = 0;
      for (const auto& [kind, n] : g.counts)
        if (kind != reconciler::ActionKind::kIgnore && kind != reconciler::ActionKind::kStop) placed += n;
      if (placed > 0) placing[g.name] = {&g, placed};
    }
    if (placing.empty()) continue;
    state::Deployment* d = running_deployment(state, job, now_unix);
    if (!d) {
      Result<std::string> id = state::new_uuid();
      if (!id.ok()) continue;
      state.deployments.push_back(state::Deployment{});
      d = &state.deployments.back();
      d->id = *id;
      d->job = job.job;
      d->job_version = job.version;
      d->created_unix = now_unix;
    }
    for (const auto& [name, placed] : placing) {
      state::DeploymentGroup& group = d->groups[name];
      group.desired = placed.first->desired;
      group.placed += placed.second;
      if (placed.first->canaries > 0) group.desired_canaries = placed.first->canaries;
    }
    d->description = "Deployment is running";
    d->modified_unix = now_unix;
    ids[job.job] = d->id;
  }
  return ids;
}

void end_deployments(state::State& state, const std::map<std::string, std::string>& deployments, bool ok,
                     const std::string& description, int64_t now_unix) {
  for (state::Deployment& d : state.deployments) {
    if (!deployments.count(d.job) || deployments.at(d.job) != d.id) continue;
    const bool paused = ok && awaits_promotion(d);
    d.status = !ok ? "failed" : paused ? "running" : "successful";
    d.description = !ok ? description
        : paused        ? "Deployment is running but requires manual promotion"
                        : "Deployment completed successfully";
    d.modified_unix = now_unix;
    for (auto& [name, group] : d.groups) {
      group.healthy = 0;
      group.unhealthy = 0;
      for (state::AllocationRecord& a : state.allocations) {
        if (a.deployment != d.id || a.group != name) continue;
        // Started by the failed deployment and never found healthy: as
        // Nomad, unhealthy (the health gate's deadline passed, or a check
        // was broken).
        const bool active = a.status == "running" || a.status == "pending";
        if (!ok && active && a.health == "unknown") a.health = "unhealthy";
        group.healthy += a.health == "healthy" || (ok && a.status == "running");
        group.unhealthy += a.health == "unhealthy";
      }
    }
    if (!ok || paused) continue;
    auto job = state.jobs.find(d.job);
    if (job == state.jobs.end()) continue;
    for (state::JobVersion& v : job->second.versions)
      if (v.version == d.job_version) v.stable = true;
  }
}

void cancel_deployments(state::State& state, const std::map<std::string, std::string>& deployments,
                        const std::string& description, int64_t now_unix) {
  for (state::Deployment& d : state.deployments) {
    if (!deployments.count(d.job) || deployments.at(d.job) != d.id) continue;
    d.status = "cancelled";
    d.description = description;
    d.modified_unix = now_unix;
  }
}

void merge_observed(state::State& state, const FleetView& view, int64_t now_unix) {
  for (const reconciler::ExistingAllocation& existing : view.cluster.allocations) {
    auto observed = view.observed.find({existing.node, existing.id});
    if (observed == view.observed.end()) continue;
    state::AllocationRecord* record = state.allocation(existing.id);
    if (!record) {
      state.allocations.push_back(record_of(observed->second.allocation));
      record = &state.allocations.back();
      record->created_unix = record->created_unix ? record->created_unix : now_unix;
    }
    const std::string status = reconciler::to_string(existing.status);
    if (record->status != status) {
      record->status = status;
      record->status_reason = existing.reason;
      record->modified_unix = now_unix;
    }
  }
  // Recorded as running on a host that answered, but not there any more.
  for (state::AllocationRecord& record : state.allocations) {
    const bool active = record.status == "running" || record.status == "pending";
    if (active && view.facts.count(record.host) && !view.observed.count({record.host, record.id})) {
      record.status = "lost";
      record.status_reason = "not found on " + record.host;
      record.modified_unix = now_unix;
    }
  }
  // Seen: not unreachable any more. Not seen: unreachable since the first
  // time (fleet.down_after counts from it).
  for (const reconciler::Node& node : view.cluster.nodes) {
    state::HostRecord& host = state.hosts[node.name];
    if (view.facts.count(node.name)) {
      host.last_seen_unix = now_unix;
      host.down_since_unix.reset();
    } else if (!host.down_since_unix) {
      host.down_since_unix = now_unix;
    }
  }
}

}  // namespace skiff::cli
