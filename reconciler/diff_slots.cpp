#include "reconciler/diff_internal.hpp"

#include <algorithm>

#include "reconciler/reschedule.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::reconciler::diff_detail {

namespace {

// Which tasks' destructive specs differ, in words; empty when none.
std::string replaced_because(const ExistingAllocation& a, const std::map<std::string, std::string>& wanted) {
  std::vector<std::string> changed;
  for (const auto& [task, hash] : wanted) {
    auto it = a.task_spec_hashes.find(task);
    if (it == a.task_spec_hashes.end()) changed.push_back("task \"" + task + "\" added");
    else if (it->second != hash) changed.push_back("task \"" + task + "\" changed");
  }
  for (const auto& [task, hash] : a.task_spec_hashes)
    if (!wanted.count(task)) changed.push_back("task \"" + task + "\" removed");
  std::string out;
  for (const std::string& c : changed) out += (out.empty() ? "" : ", ") + c;
  return out;
}

std::string host_state(const Node* node, const std::string& name) {
  if (!node) return "host " + name + " is no longer in the inventory";
  if (node->status == NodeStatus::kDown) return "host " + name + " is down";
  if (node->status == NodeStatus::kUnreachable) return "host " + name + " " + node->status_reason;
  if (node->draining) return "host " + name + " is draining";
  return "";
}

void release_and_act(ActionKind kind, const ExistingAllocation& a, const std::string& reason, uint64_t version, Placer& placer,
                     Work& work) {
  placer.release(a);
  work.actions.push_back(action_for(kind, a, reason, version));
}

// A destructive update goes back onto its own host when the new version fits
// there in the room the old one leaves, decided at once, before anything
// else can take that room. Otherwise the old one keeps its room until the
// new one is placed elsewhere (diff.cpp), so a replacement that fits
// nowhere leaves the old copy running, and the host never over-committed.
void replace(const DesiredJob& desired, const spec::Group& group, const ExistingAllocation& a, const std::string& why,
             bool system, Placer& placer, Work& work) {
  placer.release(a);
  PlacementOutcome same = placer.place_on(*desired.job, group, a.node);
  PendingPlacement pending{ActionKind::kReplace, desired.job, &group, a.index, &a, why, system ? a.node : "", desired.version};
  if (const Placement* placed = std::get_if<Placement>(&same)) {
    work.actions.push_back(placed_action(pending, *placed));
    return;
  }
  placer.reserve(a);
  if (system) {
    work.actions.push_back(
        action_for(ActionKind::kIgnore, a, why + "; stays: the new version does not fit on its host", a.job_version));
    return;
  }
  work.pending.push_back(pending);
}

// A live allocation in a slot it may keep: kept, updated in place, or
// (through `pending`) replaced or moved.
void decide_kept_slot(const DesiredJob& desired, const spec::Group& group, const ExistingAllocation& a,
                      const std::map<std::string, std::string>& task_hashes, Placer& placer, Work& work) {
  auto node_it = work.nodes.find(a.node);
  const Node* node = node_it == work.nodes.end() ? nullptr : node_it->second;
  const std::string state = host_state(node, a.node);
  // A system job's replacement stays on its host; others go where they fit best.
  const bool system = desired.job->type == spec::JobType::kSystem || desired.job->type == spec::JobType::kSysbatch;
  auto move = [&](ActionKind kind, const std::string& reason) {
    placer.release(a);
    work.pending.push_back({kind, desired.job, &group, a.index, &a, reason, system ? a.node : "", desired.version});
  };
  if (!node || node->status == NodeStatus::kDown) return move(ActionKind::kReschedule, "lost: " + state);
  // Not reached, not down yet: kept as last recorded; nothing replaces it.
  if (node->status == NodeStatus::kUnreachable) {
    work.actions.push_back(action_for(ActionKind::kIgnore, a, state, a.job_version));
    return;
  }
  if (node->draining) return move(ActionKind::kMigrate, state);
  if (work.retry.count(a.id)) return replace(desired, group, a, "retry of its failed deployment", system, placer, work);
  if (std::string why = replaced_because(a, task_hashes); !why.empty())
    return replace(desired, group, a, why, system, placer, work);
  // An ineligible host keeps what runs there; it only takes nothing new.
  if (node->eligible && !placer.still_feasible(*desired.job, group, a))
    return move(ActionKind::kMigrate, "host " + a.node + " no longer meets the group's placement rules");
  if (a.job_spec_hash != desired.hash || a.job_version != desired.version) {
    Action action =
        action_for(ActionKind::kUpdateInPlace, a,
                   "job version " + std::to_string(a.job_version) + " -> " + std::to_string(desired.version), desired.version);
    action.to_node = a.node;
    work.actions.push_back(std::move(action));
    return;
  }
  work.actions.push_back(action_for(ActionKind::kIgnore, a, "", desired.version));
}

bool batch_like(const spec::Job& job) { return job.type == spec::JobType::kBatch || job.type == spec::JobType::kSysbatch; }

// Copies the state has not replaced first, then newer, then by id: the
// one a slot keeps when there are several.
bool keep_first(const ExistingAllocation* a, const ExistingAllocation* b) {
  if (a->index != b->index) return a->index < b->index;
  if (a->stale != b->stale) return !a->stale;
  if (a->job_version != b->job_version) return a->job_version > b->job_version;
  return a->id < b->id;
}

// A complete allocation's reason comes from the state and says it all
// ("stopped by user"); a failed or lost one's from its host.
std::string dead_reason(const ExistingAllocation& a) {
  if (a.status == AllocationStatus::kComplete && !a.reason.empty()) return a.reason;
  return to_string(a.status) + " on " + a.node + (a.reason.empty() ? "" : ": " + a.reason);
}

std::string stale_reason(const ExistingAllocation& a) {
  return "stale copy: index " + std::to_string(a.index) + " was replaced while host " + a.node + " was down";
}

// A failed allocation is placed again per the group's reschedule policy;
// until its delay has passed, or once its attempts are used up, it stays.
// Lost ones are replaced at once (Nomad's rule), and so are failed ones of
// another spec: the job changed since (a fix, or auto_revert), so the
// policy's back-off does not hold it. Returns false when kept.
bool reschedule_now(const spec::Group& group, const ExistingAllocation& a, const std::map<std::string, std::string>& task_hashes,
                    Work& work) {
  if (work.retry.count(a.id)) return true;
  if (a.status != AllocationStatus::kFailed || !group.reschedule || a.task_spec_hashes != task_hashes) return true;
  const RescheduleDecision decision = decide_reschedule(*group.reschedule, a.reschedules_unix, a.failed_unix, work.now_unix);
  if (decision.verdict == RescheduleVerdict::kNow) return true;
  work.actions.push_back(action_for(ActionKind::kIgnore, a, dead_reason(a) + "; " + decision.reason, a.job_version));
  return false;
}

}  // namespace

Action action_for(ActionKind kind, const ExistingAllocation& a, const std::string& reason, uint64_t version) {
  Action action;
  action.kind = kind;
  action.job = a.job;
  action.group = a.group;
  action.index = a.index;
  action.alloc_id = a.id;
  action.node = a.node;
  action.job_version = version;
  action.reason = reason;
  return action;
}

Action placed_action(const PendingPlacement& p, const Placement& placement) {
  Action action;
  action.kind = p.kind;
  action.job = p.job->id;
  action.group = p.group->name;
  action.index = p.index;
  if (p.old) {
    action.alloc_id = p.old->id;
    action.node = p.old->node;
  }
  action.to_node = placement.node;
  action.ports = placement.ports;
  action.job_version = p.version;
  action.reason = p.reason;
  action.canary = p.canary;
  return action;
}

void stop_all(const Allocations& existing, const std::string& reason, Placer& placer, Work& work) {
  for (const ExistingAllocation* a : existing)
    if (!is_terminal(a->status)) release_and_act(ActionKind::kStop, *a, reason, a->job_version, placer, work);
}

void decide_counted_group(const DesiredJob& desired, const spec::Group& group, const Allocations& existing, Placer& placer,
                          Work& work) {
  const auto task_hashes = task_spec_hashes(desired.json, group.name);
  Allocations live, dead;
  for (const ExistingAllocation* a : existing) (is_terminal(a->status) ? dead : live).push_back(a);
  std::sort(live.begin(), live.end(), keep_first);
  std::sort(dead.begin(), dead.end(), keep_first);
  std::set<int> filled;
  for (const ExistingAllocation* a : live) {
    if (a->index >= group.count) {
      release_and_act(ActionKind::kStop, *a, "count lowered to " + std::to_string(group.count), a->job_version, placer, work);
    } else if (!filled.insert(a->index).second) {
      release_and_act(ActionKind::kStop, *a, a->stale ? stale_reason(*a) : "a second copy of index " + std::to_string(a->index),
                      a->job_version, placer, work);
    } else {
      decide_kept_slot(desired, group, *a, task_hashes, placer, work);
    }
  }
  for (const ExistingAllocation* a : dead) {
    if (a->index >= group.count || filled.count(a->index)) {
      // What crashed with its host is removed from it once the host is back.
      if (a->stale) work.actions.push_back(action_for(ActionKind::kStop, *a, stale_reason(*a), a->job_version));
      continue;
    }
    filled.insert(a->index);
    // A batch allocation that completed has done its work.
    if (batch_like(*desired.job) && a->status == AllocationStatus::kComplete) continue;
    if (!reschedule_now(group, *a, task_hashes, work)) continue;
    work.pending.push_back({ActionKind::kReschedule, desired.job, &group, a->index, a, dead_reason(*a), "", desired.version});
  }
  const bool fresh = existing.empty();
  for (int index = 0; index < group.count; ++index) {
    if (filled.count(index)) continue;
    const std::string reason = fresh ? "new" : "index " + std::to_string(index) + " has no allocation";
    work.pending.push_back({ActionKind::kPlace, desired.job, &group, index, nullptr, reason, "", desired.version});
  }
}

void decide_system_group(const DesiredJob& desired, const spec::Group& group, const Allocations& existing, Placer& placer,
                         Work& work) {
  const auto task_hashes = task_spec_hashes(desired.json, group.name);
  // The group's own allocations must not keep their hosts from counting
  // (a static port they hold, distinct_hosts): they are set aside meanwhile.
  for (const ExistingAllocation* a : existing) placer.release(*a);
  const std::vector<std::string> candidates = placer.system_candidates(*desired.job, group);
  for (const ExistingAllocation* a : existing) placer.reserve(*a);
  const std::set<std::string> accepting(candidates.begin(), candidates.end());
  Allocations sorted = existing;
  std::sort(sorted.begin(), sorted.end(), keep_first);
  std::set<std::string> filled;
  for (const ExistingAllocation* a : sorted) {
    auto node_it = work.nodes.find(a->node);
    const Node* node = node_it == work.nodes.end() ? nullptr : node_it->second;
    if (is_terminal(a->status)) continue;
    if (!filled.insert(a->node).second) {
      release_and_act(ActionKind::kStop, *a, "a second copy on host " + a->node, a->job_version, placer, work);
    } else if (node && node->status == NodeStatus::kDown) {
      // Nothing to move: a system job runs where hosts are. It is lost.
      work.actions.push_back(action_for(ActionKind::kIgnore, *a, "lost: host " + a->node + " is down", a->job_version));
    } else if (node && node->status == NodeStatus::kUnreachable) {
      work.actions.push_back(action_for(ActionKind::kIgnore, *a, host_state(node, a->node), a->job_version));
    } else if (node && !node->draining && (accepting.count(a->node) || !node->eligible)) {
      decide_kept_slot(desired, group, *a, task_hashes, placer, work);
    } else {
      const std::string state = host_state(node, a->node);
      release_and_act(ActionKind::kStop, *a,
                      state.empty() ? "host " + a->node + " no longer meets the group's placement rules" : state, a->job_version,
                      placer, work);
    }
  }
  for (const ExistingAllocation* a : sorted) {
    if (!is_terminal(a->status) || filled.count(a->node) || !accepting.count(a->node)) continue;
    filled.insert(a->node);
    if (batch_like(*desired.job) && a->status == AllocationStatus::kComplete) continue;
    work.pending.push_back({ActionKind::kReschedule, desired.job, &group, 0, a, dead_reason(*a), a->node, desired.version});
  }
  for (const std::string& node : candidates) {
    if (filled.count(node)) continue;
    work.pending.push_back({ActionKind::kPlace, desired.job, &group, 0, nullptr,
                            existing.empty() ? "new" : "host " + node + " has no allocation", node, desired.version});
  }
}

}  // namespace skiff::reconciler::diff_detail
