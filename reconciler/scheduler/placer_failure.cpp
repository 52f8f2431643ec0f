// Why a placement failed: every node in the job's datacenters and pool is
// checked once more, off the hot path, and its first failing check counted
// as Nomad's AllocMetric does.
#include <algorithm>

#include "reconciler/scheduler/placer_impl.hpp"

namespace skiff::reconciler {

namespace {

std::string hosts(int n) { return std::to_string(n) + (n == 1 ? " host" : " hosts"); }

// A host that could not be observed is named so, not taken for one a user
// marked ineligible.
void count_verdict(const scheduler::GroupPlan& plan, const NodeCheck& check, const Node& node, PlacementFailure& out) {
  switch (check.verdict) {
    case Verdict::kFits:
    case Verdict::kOutside: return;
    case Verdict::kIneligible:
      if (node.status == NodeStatus::kUnreachable) ++out.nodes_unreachable;
      else if (node.status == NodeStatus::kDown) ++out.nodes_down;
      else ++out.nodes_ineligible;
      return;
    case Verdict::kFiltered: {
      const scheduler::StaticCheck& c = plan.checks[check.detail];
      auto& into = c.kind == scheduler::CheckKind::kConstraint ? out.constraint_filtered
          : c.kind == scheduler::CheckKind::kDriver            ? out.driver_missing
                                                               : out.volume_missing;
      ++into[c.key];
      return;
    }
    case Verdict::kDistinctHosts: ++out.constraint_filtered["distinct_hosts"]; return;
    case Verdict::kDistinctProperty: ++out.constraint_filtered[plan.distinct_properties[check.detail].key]; return;
    case Verdict::kPortCollision: {
      const scheduler::StaticPort& p = plan.static_ports[check.detail];
      ++out.dimension_exhausted["network: reserved port collision " + p.label + "=" + std::to_string(p.port)];
      return;
    }
    case Verdict::kNoDynamicPorts: ++out.dimension_exhausted["network: dynamic port selection failed"]; return;
    case Verdict::kExhausted: ++out.dimension_exhausted[check.dimension]; return;
  }
}

}  // namespace

PlacementFailure Placer::Impl::explain(const scheduler::GroupPlan& plan) const {
  PlacementFailure out;
  for (size_t node = 0; node < nodes.size(); ++node) {
    NodeCheck check = check_node(plan, node, CheckDepth::kPlacement);
    if (check.verdict == Verdict::kOutside) continue;
    ++out.nodes_available;
    ++out.nodes_evaluated;
    count_verdict(plan, check, nodes[node], out);
  }
  return out;
}

PlacementFailure Placer::Impl::explain_one(const scheduler::GroupPlan& plan, size_t node) const {
  PlacementFailure out;
  NodeCheck check = check_node(plan, node, CheckDepth::kPlacement);
  out.nodes_evaluated = 1;
  out.nodes_available = check.verdict == Verdict::kOutside ? 0 : 1;
  count_verdict(plan, check, nodes[node], out);
  return out;
}

std::vector<std::string> PlacementFailure::messages() const {
  std::vector<std::string> lines;
  for (const auto& [key, n] : constraint_filtered) lines.push_back("Constraint \"" + key + "\" filtered " + hosts(n));
  for (const auto& [key, n] : dimension_exhausted) lines.push_back("Dimension \"" + key + "\" exhausted on " + hosts(n));
  for (const auto& [key, n] : driver_missing) lines.push_back("Driver \"" + key + "\" missing on " + hosts(n));
  for (const auto& [key, n] : volume_missing) lines.push_back("Host volume \"" + key + "\" missing on " + hosts(n));
  if (nodes_ineligible > 0) lines.push_back(hosts(nodes_ineligible) + " ineligible or draining");
  if (nodes_unreachable > 0) lines.push_back(hosts(nodes_unreachable) + " unreachable");
  if (nodes_down > 0) lines.push_back(hosts(nodes_down) + " down");
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace skiff::reconciler
