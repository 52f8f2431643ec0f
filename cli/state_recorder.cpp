#include "cli/state_recorder.hpp"

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

StateRecorder::StateRecorder(state::StateStore& store, state::State& state, int64_t (*now_unix)())
    : store_(store), state_(state), now_unix_(now_unix) {}

void StateRecorder::allocation(const drivers::Allocation& allocation, reconciler::RecordedStatus status, const std::string& reason) {
  state::AllocationRecord* record = state_.allocation(allocation.id);
  if (!record) {
    state_.allocations.push_back(record_of(allocation));
    record = &state_.allocations.back();
  } else {
    const std::string health = record->health;
    *record = record_of(allocation);
    record->health = health;
  }
  record->status = reconciler::to_string(status);
  record->status_reason = reason;
  if (reason == "healthy") record->health = "healthy";
  if (status == reconciler::RecordedStatus::kFailed) record->health = "unhealthy";
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
