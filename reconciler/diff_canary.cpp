// Canary deployments (update.canary = N), as Nomad runs them. When a
// destructive change reaches a group, N allocations of the new version are
// placed beside the old copies, which keep running; the deployment then
// waits for `skiff deployment promote` (or auto_promote, once every canary
// is healthy). After promotion the group is decided as usual: each canary
// keeps its index's slot (the old copy there is a second copy and stops)
// and the other old copies are replaced max_parallel at a time.
//
// While the canaries wait, missing or failed slots wait with them.
#include <algorithm>

#include "reconciler/diff_internal.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::reconciler::diff_detail {

CanaryStep decide_canary_group(const DesiredJob& desired, const spec::Group& group, Allocations& existing,
                               const GroupCanaries* canaries, Placer& placer, Work& work) {
  const int wanted = group.update ? group.update->canary : 0;
  if (wanted <= 0 || (canaries && canaries->promoted)) return CanaryStep::kNone;
  const auto task_hashes = task_spec_hashes(desired.json, group.name);

  // Canaries of another spec (the job changed again, or went back) stop.
  Allocations current_canaries, old;
  Allocations kept_existing;
  for (const ExistingAllocation* a : existing) {
    const bool canary = canaries && canaries->ids.count(a->id);
    if (canary && !is_terminal(a->status) && a->task_spec_hashes != task_hashes) {
      placer.release(*a);
      work.actions.push_back(action_for(
          ActionKind::kStop, *a, "canary of job version " + std::to_string(a->job_version) + ", which the job no longer asks for",
          a->job_version));
      continue;
    }
    kept_existing.push_back(a);
    if (is_terminal(a->status)) continue;
    (canary ? current_canaries : old).push_back(a);
  }
  existing = std::move(kept_existing);

  Allocations destructive;
  for (const ExistingAllocation* a : old)
    if (a->index < group.count && a->task_spec_hashes != task_hashes) destructive.push_back(a);
  if (destructive.empty()) return CanaryStep::kNone;
  const bool all_healthy = static_cast<int>(current_canaries.size()) >= wanted &&
      std::all_of(current_canaries.begin(), current_canaries.end(),
                  [&](const ExistingAllocation* c) { return canaries->healthy.count(c->id) > 0; });
  if (all_healthy && group.update->auto_promote) return CanaryStep::kNone;

  std::set<int> canary_indexes;
  for (const ExistingAllocation* c : current_canaries) {
    canary_indexes.insert(c->index);
    work.actions.push_back(action_for(ActionKind::kIgnore, *c, "canary: waits for promotion", c->job_version));
  }
  for (const ExistingAllocation* a : old)
    work.actions.push_back(action_for(ActionKind::kIgnore, *a, "runs until the canaries are promoted", a->job_version));
  std::sort(destructive.begin(), destructive.end(), [](const ExistingAllocation* a, const ExistingAllocation* b) {
    return std::tie(a->index, a->id) < std::tie(b->index, b->id);
  });
  int missing = wanted - static_cast<int>(current_canaries.size());
  for (const ExistingAllocation* a : destructive) {
    if (missing <= 0) break;
    if (!canary_indexes.insert(a->index).second) continue;
    --missing;
    PendingPlacement pending{ActionKind::kPlace,
                             desired.job,
                             &group,
                             a->index,
                             nullptr,
                             "canary of job version " + std::to_string(desired.version),
                             "",
                             desired.version};
    pending.canary = true;
    work.pending.push_back(pending);
  }
  return canary_indexes.size() > current_canaries.size() ? CanaryStep::kPlacing : CanaryStep::kAwaitingPromotion;
}

}  // namespace skiff::reconciler::diff_detail
