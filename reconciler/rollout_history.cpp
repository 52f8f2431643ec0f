#include "reconciler/rollout_history.hpp"

#include <algorithm>

namespace skiff::reconciler {

void add_rollout_history(const state::State& state, std::map<std::string, JobHistory>& history) {
  std::map<std::string, std::string> health;
  for (const state::AllocationRecord& a : state.allocations) health[a.id] = a.health;
  for (const auto& [id, record] : state.jobs) {
    auto it = history.find(id);
    if (record.versions.empty() || it == history.end()) continue;
    it->second.stopped = record.versions.back().stopped;
    it->second.periodic_since_unix = std::max(record.last_periodic_launch_unix, record.versions.front().applied_unix);
  }
  for (const state::Deployment& d : state.deployments) {
    auto it = history.find(d.job);
    if (it == history.end()) continue;
    JobHistory& job = it->second;
    const bool ended_badly = d.status == "failed" || d.status == "cancelled";
    for (const auto& [name, group] : d.groups) {
      if (group.canaries.empty()) continue;
      if (ended_badly) {
        if (!group.promoted) job.failed_canaries.insert(group.canaries.begin(), group.canaries.end());
        continue;
      }
      if (d.status != "running") continue;
      reconciler::GroupCanaries& canaries = job.canaries[name];
      canaries.promoted = group.promoted;
      for (const std::string& canary : group.canaries) {
        canaries.ids.insert(canary);
        if (health[canary] == "healthy") canaries.healthy.insert(canary);
      }
    }
  }
}

}  // namespace skiff::reconciler
