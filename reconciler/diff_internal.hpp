// Shared by diff.cpp (orchestration, placement, waves) and diff_slots.cpp
// (what happens to each allocation slot). Not part of the module's API.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "reconciler/diff.hpp"

namespace skiff::reconciler::diff_detail {

// One job as the diff sees it: its spec, hashes and the version it applies.
struct DesiredJob {
  const spec::Job* job = nullptr;
  nlohmann::json json;
  std::string hash;
  uint64_t version = 0;
};

// An allocation to place once every decision is made.
struct PendingPlacement {
  ActionKind kind = ActionKind::kPlace;
  const spec::Job* job = nullptr;
  const spec::Group* group = nullptr;
  int index = 0;
  // Replaced, migrated or rescheduled. A replaced one is still reserved on
  // its host (released once its replacement is placed); the others not.
  const ExistingAllocation* old = nullptr;
  std::string reason;
  std::string only_node;  // system jobs: this host or nowhere
  uint64_t version = 0;
  bool canary = false;  // placed beside the old copies (diff_canary.cpp)
};

// The diff's working set, filled by the slot decisions.
struct Work {
  std::map<std::string, const Node*> nodes;
  std::vector<Action> actions;            // decided without placing
  std::vector<PendingPlacement> pending;  // placed later, in order
  int64_t now_unix = 0;                   // PlanOptions::now_unix (reschedule delays)
  std::set<std::string> retry;            // PlanOptions::retry
};

using Allocations = std::vector<const ExistingAllocation*>;

// An action on an existing allocation that places nothing.
Action action_for(ActionKind kind, const ExistingAllocation& allocation, const std::string& reason, uint64_t version);
// The action for a pending allocation once placed.
Action placed_action(const PendingPlacement& pending, const Placement& placement);

// Counted jobs (service, batch): slots are indexes 0..count-1.
void decide_counted_group(const DesiredJob& desired, const spec::Group& group, const Allocations& existing, Placer& placer,
                          Work& work);
// System jobs (system, sysbatch): one slot per host that accepts the group.
void decide_system_group(const DesiredJob& desired, const spec::Group& group, const Allocations& existing, Placer& placer,
                         Work& work);
// A group with update.canary whose tasks change (diff_canary.cpp): the
// canaries placed beside the old copies, or waiting for promotion. Stops
// canaries the job no longer asks for and takes them out of `existing`.
// kNone: no canary step; decide the group as usual.
enum class CanaryStep { kNone, kPlacing, kAwaitingPromotion };
CanaryStep decide_canary_group(const DesiredJob& desired, const spec::Group& group, Allocations& existing,
                               const GroupCanaries* canaries, Placer& placer, Work& work);

// Stops every live allocation in `existing` for `reason`.
void stop_all(const Allocations& existing, const std::string& reason, Placer& placer, Work& work);

}  // namespace skiff::reconciler::diff_detail
