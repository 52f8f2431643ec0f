#include "reconciler/plan/plan_effect.hpp"

#include <map>

#include "parser/load.hpp"
#include "reconciler/scheduler/placer.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::reconciler {

namespace {

// A job's hashes, worked out once per job rather than once per allocation.
struct JobHashes {
  std::string job;
  std::map<std::string, std::map<std::string, std::string>> tasks;  // group -> task -> hash
};

JobHashes hashes_of(const spec::Job& job) {
  const nlohmann::json json = parser::job_to_json(job);
  JobHashes h{job_spec_hash(json), {}};
  for (const spec::Group& group : job.groups) h.tasks[group.name] = task_spec_hashes(json, group.name);
  return h;
}

ExistingAllocation allocation_with(const spec::Group& group, const Action& action, std::string id, const JobHashes& hashes) {
  ExistingAllocation a;
  a.id = std::move(id);
  a.job = action.job;
  a.group = group.name;
  a.index = action.index;
  a.node = action.to_node;
  a.job_version = action.job_version;
  a.status = AllocationStatus::kRunning;
  a.resources = group_resources(group);
  a.ports = action.ports;
  a.task_spec_hashes = hashes.tasks.at(group.name);
  a.job_spec_hash = hashes.job;
  return a;
}

}  // namespace

ExistingAllocation new_allocation(const spec::Job& job, const spec::Group& group, const Action& action, std::string id) {
  return allocation_with(group, action, std::move(id), hashes_of(job));
}

ClusterSnapshot apply_plan(const ClusterSnapshot& before, const std::vector<spec::Job>& jobs, const Plan& plan,
                           const std::function<std::string()>& new_id) {
  std::map<std::string, const spec::Job*> by_id;
  for (const spec::Job& job : jobs) by_id[job.id] = &job;
  std::map<std::string, JobHashes> hashes;
  auto hashes_for = [&](const spec::Job& job) -> const JobHashes& {
    auto it = hashes.find(job.id);
    return it != hashes.end() ? it->second : hashes.emplace(job.id, hashes_of(job)).first->second;
  };
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
      if (job) updated.job_spec_hash = hashes_for(*job).job;
      after.allocations.push_back(std::move(updated));
    }
    // Stopped, replaced, migrated and rescheduled copies are gone.
  }
  for (const Action& a : plan.actions) {
    if (a.to_node.empty() || a.kind == ActionKind::kUpdateInPlace) continue;
    auto [job, group] = group_of(a);
    if (group) after.allocations.push_back(allocation_with(*group, a, new_id(), hashes_for(*job)));
  }
  return after;
}

}  // namespace skiff::reconciler
