#include "reconciler/scheduler/placer.hpp"

#include "reconciler/scheduler/placer_impl.hpp"
#include "reconciler/scheduler/ranking.hpp"

namespace skiff::reconciler {

using scheduler::GroupPlan;

Resources group_resources(const spec::Group& group) {
  Resources r;
  for (const spec::Task& task : group.tasks) {
    r.cpu_mhz += task.resources.cpu;
    r.memory_mb += task.resources.memory_mb;
    r.cores += task.resources.cores;
  }
  r.disk_mb = group.ephemeral_disk.size_mb;
  return r;
}

Placer::Impl::Impl(std::vector<Node> fleet, SchedulerAlgorithm algo, uint64_t seed)
    : nodes(std::move(fleet)), algorithm(algo), rng(seed), columns(nodes), usage(nodes) {
  order.resize(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    index_of.emplace(nodes[i].name, i);
    order[i] = static_cast<uint32_t>(i);
  }
  rng.shuffle(order);
}

size_t Placer::Impl::node_named(const std::string& name) const {
  auto it = index_of.find(name);
  return it == index_of.end() ? npos : it->second;
}

JobState& Placer::Impl::job_state(const std::string& job) {
  auto [it, inserted] = jobs.try_emplace(job);
  if (inserted) it->second = std::make_unique<JobState>(nodes.size());
  return *it->second;
}

GroupState& Placer::Impl::group_state(JobState& job, const std::string& group) {
  for (auto& g : job.groups) {
    if (g->name == group) return *g;
  }
  return *job.groups.emplace_back(std::make_unique<GroupState>(group, nodes.size()));
}

GroupState* Placer::Impl::find_group(const std::string& job, const std::string& group) {
  auto it = jobs.find(job);
  if (it == jobs.end()) return nullptr;
  for (auto& g : it->second->groups) {
    if (g->name == group) return g.get();
  }
  return nullptr;
}

GroupPlan& Placer::Impl::plan_for(const spec::Job& job, const spec::Group& group) {
  JobState& js = job_state(job.id);
  GroupState& gs = group_state(js, group.name);
  if (!gs.plan || !scheduler::same_inputs(gs.plan->inputs, job, group)) {
    gs.plan = std::make_unique<GroupPlan>(scheduler::build_plan(job, group, columns, js.counts, gs.counts));
  }
  return *gs.plan;
}

void Placer::Impl::count(const ExistingAllocation& allocation, int sign) {
  if (is_terminal(allocation.status)) return;
  size_t node = node_named(allocation.node);
  if (node == npos) return;
  JobState& js = job_state(allocation.job);
  GroupState& gs = group_state(js, allocation.group);
  // A release without a matching reserve would drive counts negative.
  if (sign < 0 && gs.counts.on_node(node) == 0) return;
  usage.add(node, allocation.resources, sign);
  for (const auto& [label, port] : allocation.ports) usage.add_port(node, port, sign);
  js.counts.add(node, sign);
  gs.counts.add(node, sign);
}

Placer::Placer(std::vector<Node> nodes, SchedulerAlgorithm algorithm, uint64_t seed)
    : impl_(std::make_unique<Impl>(std::move(nodes), algorithm, seed)) {}
Placer::~Placer() = default;
Placer::Placer(Placer&&) noexcept = default;
Placer& Placer::operator=(Placer&&) noexcept = default;

void Placer::reserve(const ExistingAllocation& allocation) { impl_->count(allocation, +1); }

void Placer::release(const ExistingAllocation& allocation) { impl_->count(allocation, -1); }

void Placer::reserve_foreign(const ExistingAllocation& allocation) {
  if (is_terminal(allocation.status)) return;
  const size_t node = impl_->node_named(allocation.node);
  if (node == Impl::npos) return;
  impl_->usage.add(node, allocation.resources, +1);
  for (const auto& [label, port] : allocation.ports) impl_->usage.add_port(node, port, +1);
}

const std::vector<Node>& Placer::nodes() const { return impl_->nodes; }

bool Placer::still_feasible(const spec::Job& job, const spec::Group& group, const ExistingAllocation& allocation) const {
  size_t node = impl_->node_named(allocation.node);
  if (node == Impl::npos) return false;
  const GroupPlan& plan = impl_->plan_for(job, group);
  // Leave the allocation itself out of distinct_* while checking.
  bool counted = !is_terminal(allocation.status) && plan.group_counts->on_node(node) > 0;
  if (counted) {
    plan.job_counts->add(node, -1);
    plan.group_counts->add(node, -1);
  }
  bool feasible = impl_->check_node(plan, node, CheckDepth::kWithoutResources).verdict == Verdict::kFits;
  if (counted) {
    plan.job_counts->add(node, +1);
    plan.group_counts->add(node, +1);
  }
  return feasible;
}

PlacementOutcome Placer::place(const spec::Job& job, const spec::Group& group, const PlacementOptions& options) {
  GroupPlan& plan = impl_->plan_for(job, group);
  std::vector<size_t> penalties;
  for (const std::string& name : options.penalty_nodes) {
    if (size_t node = impl_->node_named(name); node != Impl::npos) penalties.push_back(node);
  }
  double score = 0;
  size_t node = impl_->select(plan, penalties, score);
  if (node == Impl::npos) return impl_->explain(plan);
  return impl_->commit(plan, node, score);
}

PlacementOutcome Placer::place_on(const spec::Job& job, const spec::Group& group, const std::string& node_name) {
  GroupPlan& plan = impl_->plan_for(job, group);
  size_t node = impl_->node_named(node_name);
  if (node == Impl::npos) return PlacementFailure{};
  if (impl_->check_node(plan, node, CheckDepth::kPlacement).verdict != Verdict::kFits) return impl_->explain_one(plan, node);
  scheduler::prepare_spreads(plan);
  double score = impl_->score_node(plan, node, {});
  return impl_->commit(plan, node, score);
}

std::vector<std::string> Placer::system_candidates(const spec::Job& job, const spec::Group& group) const {
  const GroupPlan& plan = impl_->plan_for(job, group);
  std::vector<std::string> out;
  for (size_t node = 0; node < impl_->nodes.size(); ++node) {
    if (impl_->check_node(plan, node, CheckDepth::kWithoutResources).verdict == Verdict::kFits)
      out.push_back(impl_->nodes[node].name);
  }
  return out;
}

}  // namespace skiff::reconciler
