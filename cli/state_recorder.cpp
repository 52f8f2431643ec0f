#include "cli/state_recorder.hpp"

#include "state/uuid.hpp"

namespace skiff::cli {

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
  return r;
}

StateRecorder::StateRecorder(state::StateStore& store, state::State& state, int64_t (*now_unix)(),
                             std::map<std::string, std::string> deployments)
    : store_(store), state_(state), now_unix_(now_unix), deployments_(std::move(deployments)) {}

void StateRecorder::allocation(const drivers::Allocation& allocation, reconciler::RecordedStatus status, const std::string& reason) {
  state::AllocationRecord* record = state_.allocation(allocation.id);
  if (!record) {
    state_.allocations.push_back(record_of(allocation));
    record = &state_.allocations.back();
    if (auto d = deployments_.find(allocation.job); d != deployments_.end()) record->deployment = d->second;
  } else {
    const std::string deployment = record->deployment;
    const std::string health = record->health;
    *record = record_of(allocation);
    record->health = health;
    record->deployment = deployment;
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

Status StateRecorder::step_done() { return store_.save(state_, state_.serial); }

std::map<std::string, std::string> begin_deployments(state::State& state, const reconciler::Plan& plan, int64_t now_unix) {
  std::map<std::string, std::string> ids;
  for (const reconciler::JobPlan& job : plan.jobs) {
    state::Deployment d;
    for (const reconciler::GroupSummary& g : job.groups) {
      int placed = 0;
      for (const auto& [kind, n] : g.counts)
        if (kind != reconciler::ActionKind::kIgnore && kind != reconciler::ActionKind::kStop) placed += n;
      if (placed == 0) continue;
      state::DeploymentGroup& group = d.groups[g.name];
      group.desired = g.desired;
      group.placed = placed;
      group.desired_canaries = g.canaries;
    }
    if (d.groups.empty()) continue;
    Result<std::string> id = state::new_uuid();
    if (!id.ok()) continue;
    d.id = *id;
    d.job = job.job;
    d.job_version = job.version;
    d.description = "Deployment is running";
    d.created_unix = d.modified_unix = now_unix;
    ids[job.job] = d.id;
    state.deployments.push_back(std::move(d));
  }
  return ids;
}

void end_deployments(state::State& state, const std::map<std::string, std::string>& deployments, bool ok,
                     const std::string& description, int64_t now_unix) {
  for (state::Deployment& d : state.deployments) {
    if (!deployments.count(d.job) || deployments.at(d.job) != d.id) continue;
    d.status = ok ? "successful" : "failed";
    d.description = ok ? "Deployment completed successfully" : description;
    d.modified_unix = now_unix;
    for (auto& [name, group] : d.groups) {
      group.healthy = 0;
      group.unhealthy = 0;
      for (const state::AllocationRecord& a : state.allocations) {
        if (a.deployment != d.id || a.group != name) continue;
        group.healthy += a.health == "healthy" || (ok && a.status == "running");
        group.unhealthy += a.health == "unhealthy";
      }
    }
    if (!ok) continue;
    auto job = state.jobs.find(d.job);
    if (job == state.jobs.end()) continue;
    for (state::JobVersion& v : job->second.versions)
      if (v.version == d.job_version) v.stable = true;
  }
}

void merge_observed(state::State& state, const FleetView& view, int64_t now_unix) {
  for (const reconciler::ExistingAllocation& existing : view.cluster.allocations) {
    auto observed = view.observed.find(existing.id);
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
    if (active && view.facts.count(record.host) && !view.observed.count(record.id)) {
      record.status = "lost";
      record.status_reason = "not found on " + record.host;
      record.modified_unix = now_unix;
    }
  }
  for (const auto& [name, facts] : view.facts) state.hosts[name].last_seen_unix = now_unix;
}

}  // namespace skiff::cli
