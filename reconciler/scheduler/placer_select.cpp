// Checking, scoring and choosing nodes: the hot path. Everything here reads
// precomputed columns and counters by node index; no strings, no allocation
// per node visited.
#include <algorithm>

#include "reconciler/scheduler/placer_impl.hpp"
#include "reconciler/scheduler/ranking.hpp"

namespace skiff::reconciler {

using scheduler::GroupPlan;

namespace {

// Nomad's LimitIterator: up to this many candidates scoring below zero are
// set aside in the hope of better ones, and used only if none turn up.
constexpr int kMaxSkipped = 3;

NodeCheck check_distinct(const GroupPlan& plan, size_t node) {
  if (plan.distinct_hosts && plan.distinct_hosts->on_node(node) > 0) return {Verdict::kDistinctHosts};
  for (size_t i = 0; i < plan.distinct_properties.size(); ++i) {
    const scheduler::DistinctProperty& d = plan.distinct_properties[i];
    int32_t value = d.column->value_of_node[node];
    // Nomad: a node without the property cannot prove it distinct.
    if (value < 0 || d.counts->per_value[value] >= d.limit) return {Verdict::kDistinctProperty, static_cast<int>(i)};
  }
  return {};
}

}  // namespace

NodeCheck Placer::Impl::check_node(const GroupPlan& plan, size_t node, CheckDepth depth) const {
  if (!(*plan.scope)[node]) return {Verdict::kOutside};
  if (!(*plan.schedulable)[node]) return {Verdict::kIneligible};
  for (size_t i = 0; i < plan.checks.size(); ++i) {
    if (!(*plan.checks[i].mask)[node]) return {Verdict::kFiltered, static_cast<int>(i)};
  }
  if (NodeCheck d = check_distinct(plan, node); d.verdict != Verdict::kFits) return d;
  if (depth == CheckDepth::kWithoutResources) return {};
  for (size_t i = 0; i < plan.static_ports.size(); ++i) {
    if (usage.port_used(node, plan.static_ports[i].port)) return {Verdict::kPortCollision, static_cast<int>(i)};
  }
  if (!plan.dynamic_ports.empty() &&
      usage.free_dynamic_ports(node) - plan.static_ports_in_dynamic_range < static_cast<int>(plan.dynamic_ports.size())) {
    return {Verdict::kNoDynamicPorts};
  }
  if (const char* dimension = usage.exhausted(node, plan.need)) return {Verdict::kExhausted, 0, dimension};
  return {};
}

double Placer::Impl::score_node(GroupPlan& plan, size_t node, const std::vector<size_t>& penalties) {
  Resources after = usage.used(node);
  after.cpu_mhz += plan.need.cpu_mhz;
  after.memory_mb += plan.need.memory_mb;
  double sum = scheduler::fit_score(nodes[node].capacity, after, algorithm);
  int components = 1;
  if (int32_t collisions = plan.group_counts->on_node(node); collisions > 0) {
    sum += -static_cast<double>(collisions + 1) / plan.count;
    ++components;
  }
  if (std::find(penalties.begin(), penalties.end(), node) != penalties.end()) {
    sum += -1;
    ++components;
  }
  if (!plan.affinities.empty()) {
    double matched = 0;
    for (const scheduler::AffinityRule& a : plan.affinities) matched += (*a.match)[node] ? a.weight : 0;
    if (double normalised = matched / plan.affinity_total; normalised != 0) {
      sum += normalised;
      ++components;
    }
  }
  if (!plan.spreads.empty()) {
    double total = 0;
    for (const scheduler::SpreadRule& s : plan.spreads) total += scheduler::spread_boost(s, node, plan.lowest_spread_boost);
    if (total != 0) {
      sum += total;
      ++components;
    }
  }
  return sum / components;
}

size_t Placer::Impl::select(GroupPlan& plan, const std::vector<size_t>& penalties, double& best_score) {
  scheduler::prepare_spreads(plan);
  size_t n = order.size(), best = npos, visited = 0;
  int scored = 0, skipped_count = 0;
  size_t skipped[kMaxSkipped];
  double skipped_score[kMaxSkipped];
  auto consider = [&](size_t node, double score) {
    ++scored;
    if (best == npos || score > best_score) {
      best = node;
      best_score = score;
    }
  };
  for (; visited < n && scored < plan.limit; ++visited) {
    size_t node = order[(offset + visited) % n];
    if (check_node(plan, node, CheckDepth::kPlacement).verdict != Verdict::kFits) continue;
    double score = score_node(plan, node, penalties);
    if (score < 0 && skipped_count < kMaxSkipped) {
      skipped[skipped_count] = node;
      skipped_score[skipped_count++] = score;
      continue;
    }
    consider(node, score);
  }
  if (n > 0) offset = (offset + visited) % n;
  for (int i = 0; i < skipped_count && scored < plan.limit; ++i) consider(skipped[i], skipped_score[i]);
  return best;
}

Placement Placer::Impl::commit(GroupPlan& plan, size_t node, double score) {
  Placement placement;
  placement.node = nodes[node].name;
  placement.score = score;
  std::vector<int> taken;
  for (const scheduler::StaticPort& p : plan.static_ports) {
    placement.ports[p.label] = p.port;
    taken.push_back(p.port);
  }
  for (const std::string& label : plan.dynamic_ports) {
    int port = usage.pick_dynamic_port(node, taken, rng);
    placement.ports[label] = port;
    taken.push_back(port);
  }
  for (int port : taken) usage.add_port(node, port, +1);
  usage.add(node, plan.need, +1);
  plan.job_counts->add(node, +1);
  plan.group_counts->add(node, +1);
  return placement;
}

}  // namespace skiff::reconciler
