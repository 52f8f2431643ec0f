#include "reconciler/scheduler/group_plan.hpp"

#include <cmath>
#include <cstdlib>

#include "reconciler/scheduler/node_usage.hpp"
#include "reconciler/scheduler/placer.hpp"

namespace skiff::reconciler::scheduler {

namespace {

// Calls f(tag, a, b, c, n) for every input placement depends on, in a fixed
// order; building and comparing both walk it, so they cannot disagree.
template <typename F>
void visit_inputs(const spec::Job& job, const spec::Group& group, F&& f) {
  static const std::string kNone;
  for (const std::string& dc : job.datacenters) f('D', dc, kNone, kNone, 0);
  f('P', job.node_pool, job.id, group.name, static_cast<int64_t>(job.type));
  auto constraints = [&](char tag, const std::vector<spec::Constraint>& cs) {
    for (const spec::Constraint& c : cs) f(tag, c.attribute, c.op, c.value, 0);
  };
  auto affinities = [&](const std::vector<spec::Affinity>& as) {
    for (const spec::Affinity& a : as) f('a', a.attribute, a.op, a.value, a.weight);
  };
  auto spreads = [&](const std::vector<spec::Spread>& ss) {
    for (const spec::Spread& s : ss) {
      f('s', s.attribute, kNone, kNone, s.weight);
      for (const spec::SpreadTarget& t : s.targets) f('x', t.value, kNone, kNone, t.percent);
    }
  };
  constraints('j', job.constraints);
  constraints('g', group.constraints);
  affinities(job.affinities);
  affinities(group.affinities);
  spreads(job.spreads);
  spreads(group.spreads);
  for (const spec::Task& task : group.tasks) {
    f('t', task.name, task.driver, kNone, 0);
    f('r', kNone, kNone, kNone, task.resources.cpu);
    f('m', kNone, kNone, kNone, task.resources.memory_mb);
    f('o', kNone, kNone, kNone, task.resources.cores);
    constraints('k', task.constraints);
    affinities(task.affinities);
  }
  for (const spec::Volume& v : group.volumes) f('v', v.name, v.type, v.source, 0);
  if (group.network) {
    for (const spec::Port& p : group.network->ports) f('p', p.label, kNone, kNone, p.static_port);
  }
  f('c', kNone, kNone, kNone, group.count);
  f('e', kNone, kNone, kNone, group.ephemeral_disk.size_mb);
}

bool is_distinct(const std::string& op) { return op == "distinct_hosts" || op == "distinct_property"; }

void add_constraints(GroupPlan& plan, NodeColumns& columns, const std::vector<spec::Constraint>& cs) {
  for (const spec::Constraint& c : cs) {
    if (is_distinct(c.op)) continue;
    plan.checks.push_back({&columns.constraint(c.attribute, c.op, c.value), CheckKind::kConstraint, constraint_key(c)});
  }
}

// Nomad: distinct_hosts = "false" turns it off; anything unparsable is on.
bool distinct_hosts_enabled(const std::string& value) { return value != "false" && value != "0"; }

void add_distinct(GroupPlan& plan, NodeColumns& columns, const std::vector<spec::Constraint>& cs, AllocCounts& counts) {
  for (const spec::Constraint& c : cs) {
    if (c.op == "distinct_hosts" && distinct_hosts_enabled(c.value)) {
      // Job level wins: it is the stricter of the two.
      if (plan.distinct_hosts != plan.job_counts) plan.distinct_hosts = &counts;
    } else if (c.op == "distinct_property") {
      const AttributeColumn& column = columns.attribute(c.attribute);
      int limit = c.value.empty() ? 1 : std::atoi(c.value.c_str());
      plan.distinct_properties.push_back({&column, &counts.by_value(column), limit < 1 ? 1 : limit, constraint_key(c)});
    }
  }
}

void add_affinities(GroupPlan& plan, NodeColumns& columns, const std::vector<spec::Affinity>& as) {
  for (const spec::Affinity& a : as) {
    plan.affinities.push_back({&columns.constraint(a.attribute, a.op, a.value), static_cast<double>(a.weight)});
    plan.affinity_total += std::abs(a.weight);
  }
}

SpreadRule spread_rule(const spec::Spread& s, const spec::Group& group, NodeColumns& columns, AllocCounts& counts) {
  SpreadRule rule;
  rule.column = &columns.attribute(s.attribute);
  rule.counts = &counts.by_value(*rule.column);
  rule.even = s.targets.empty();
  rule.desired.assign(rule.column->values.size(), -1);
  double sum = 0;
  for (const spec::SpreadTarget& t : s.targets) {
    double desired = t.percent / 100.0 * group.count;
    sum += desired;
    for (size_t v = 0; v < rule.column->values.size(); ++v) {
      if (rule.column->values[v] == t.value) rule.desired[v] = desired;
    }
  }
  if (sum > 0 && sum < group.count) rule.implicit = group.count - sum;
  return rule;
}

void add_spreads(GroupPlan& plan, const spec::Job& job, const spec::Group& group, NodeColumns& columns) {
  int weights = 0;
  for (const auto* list : {&group.spreads, &job.spreads}) {
    for (const spec::Spread& s : *list) {
      plan.spreads.push_back(spread_rule(s, group, columns, *plan.group_counts));
      weights += s.weight;
    }
  }
  // Unweighted blocks (weight 0, the parser's default) share equally rather
  // than dividing by zero.
  size_t i = 0;
  for (const auto* list : {&group.spreads, &job.spreads}) {
    for (const spec::Spread& s : *list) {
      plan.spreads[i++].weight_fraction = weights > 0 ? static_cast<double>(s.weight) / weights : 1.0 / plan.spreads.size();
    }
  }
}

void add_ports(GroupPlan& plan, const spec::Group& group) {
  if (!group.network) return;
  for (const spec::Port& p : group.network->ports) {
    if (p.static_port > 0) {
      plan.static_ports.push_back({p.label, p.static_port});
      if (p.static_port >= kMinDynamicPort && p.static_port <= kMaxDynamicPort) ++plan.static_ports_in_dynamic_range;
    } else {
      plan.dynamic_ports.push_back(p.label);
    }
  }
}

int scoring_limit(const spec::Job& job, const GroupPlan& plan) {
  // Nomad: two choices for batch work, log2(nodes) for services.
  int limit = 2;
  if (job.type == spec::JobType::kService && plan.nodes_in_scope > 0) {
    limit = std::max(limit, static_cast<int>(std::ceil(std::log2(static_cast<double>(plan.nodes_in_scope)))));
  }
  if (!plan.affinities.empty() || !plan.spreads.empty()) limit = std::max(limit, kPreferenceLimit);
  return limit;
}

}  // namespace

std::string constraint_key(const spec::Constraint& c) {
  if (c.op == "distinct_hosts") return "distinct_hosts";
  std::string key = c.attribute;
  for (const std::string* part : {&c.op, &c.value}) {
    if (part->empty()) continue;
    if (!key.empty()) key += ' ';
    key += *part;
  }
  return key;
}

bool same_inputs(const std::vector<PlanInput>& inputs, const spec::Job& job, const spec::Group& group) {
  size_t i = 0;
  bool same = true;
  visit_inputs(job, group, [&](char tag, const std::string& a, const std::string& b, const std::string& c, int64_t n) {
    if (!same) return;
    if (i >= inputs.size()) {
      same = false;
      return;
    }
    const PlanInput& in = inputs[i++];
    same = in.tag == tag && in.n == n && in.a == a && in.b == b && in.c == c;
  });
  return same && i == inputs.size();
}

GroupPlan build_plan(const spec::Job& job, const spec::Group& group, NodeColumns& columns, AllocCounts& job_counts,
                     AllocCounts& group_counts) {
  GroupPlan plan;
  visit_inputs(job, group, [&](char tag, const std::string& a, const std::string& b, const std::string& c, int64_t n) {
    plan.inputs.push_back({tag, a, b, c, n});
  });
  plan.scope = &columns.scope(job.datacenters, job.node_pool);
  plan.schedulable = &columns.schedulable();
  for (int8_t in : *plan.scope) plan.nodes_in_scope += in;
  plan.job_counts = &job_counts;
  plan.group_counts = &group_counts;
  add_constraints(plan, columns, job.constraints);
  add_constraints(plan, columns, group.constraints);
  for (const spec::Task& task : group.tasks) add_constraints(plan, columns, task.constraints);
  for (const spec::Task& task : group.tasks)
    plan.checks.push_back({&columns.driver(task.driver), CheckKind::kDriver, task.driver});
  for (const spec::Volume& v : group.volumes) {
    if (v.type == "host") plan.checks.push_back({&columns.host_volume(v.source), CheckKind::kVolume, v.source});
  }
  add_distinct(plan, columns, job.constraints, job_counts);
  add_distinct(plan, columns, group.constraints, group_counts);
  for (const spec::Task& task : group.tasks) add_distinct(plan, columns, task.constraints, group_counts);
  add_affinities(plan, columns, job.affinities);
  add_affinities(plan, columns, group.affinities);
  for (const spec::Task& task : group.tasks) add_affinities(plan, columns, task.affinities);
  add_spreads(plan, job, group, columns);
  add_ports(plan, group);
  plan.need = group_resources(group);
  plan.count = group.count > 0 ? group.count : 1;
  plan.limit = scoring_limit(job, plan);
  return plan;
}

}  // namespace skiff::reconciler::scheduler
