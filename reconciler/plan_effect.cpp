#include "reconciler/plan_effect.hpp"

#include <map>

#include "parser/load.hpp"
#include "reconciler/placer.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::reconciler {

ExistingAllocation new_allocation(const spec::Job& job, const spec::Group& group, const Action& action, std::string id) {
  const nlohmann::json json = parser::job_to_json(job);
  ExistingAllocation a;
  a.id = std::move(id);
  a.job = job.id;
  a.group = group.name;
  a.index = action.index;
  a.node = action.to_node;
  a.job_version = action.job_version;
  a.status = AllocationStatus::kRunning;
  a.resources = group_resources(group);
  a.ports = action.ports;
  a.task_spec_hashes = task_spec_hashes(json, group.name);
  a.job_spec_hash = job_spec_hash(json);
  return a;
}

ClusterSnapshot apply_plan(const ClusterSnapshot& before, const std::vector<spec::Job>& jobs, const Plan& plan,
                           const std::function<std::string()>& new_id) {
  std::map<std::string, const spec::Job*> by_id;
  for (const spec::Job& job : jobs) by_id[job.id] = &job;
  auto group_of = [&](const Action& a) -> std::pair<const spec::Job*, const spec::Group*> {
    auto it = by_id.find(a.job);
    if (it == by_id.end()) return {nullptr, nullptr};
    for (const spec::Group& g : it->second->groups)
      if (g.name == a.group) return {it->second, &g};
    return {it->second, nullptr};
  };
  std::map<std::string, const Action*> by_alloc;
  for (const Action& a : plan.actions)
    if (!a.alloc_id.empty()) by_alloc[a.alloc_id] = &a;

  ClusterSnapshot after;
  after.nodes = before.nodes;
  for (const ExistingAllocation& a : before.allocations) {
    auto it = by_alloc.find(a.id);
    if (it == by_alloc.end() || it->second->kind == ActionKind::kIgnore) {
      after.allocations.push_back(a);
    } else if (it->second->kind == ActionKind::kUpdateInPlace) {
      auto [job, group] = group_of(*it->second);
      ExistingAllocation updated = a;
      updated.job_version = it->second->job_version;
      if (job) updated.job_spec_hash = job_spec_hash(parser::job_to_json(*job));
      after.allocations.push_back(std::move(updated));
    }
    // Stopped, replaced, migrated and rescheduled copies are gone.
  }
  for (const Action& a : plan.actions) {
    if (a.to_node.empty() || a.kind == ActionKind::kUpdateInPlace) continue;
    auto [job, group] = group_of(a);
    if (group) after.allocations.push_back(new_allocation(*job, *group, a, new_id()));
  }
  return after;
}

}  // namespace skiff::reconciler
