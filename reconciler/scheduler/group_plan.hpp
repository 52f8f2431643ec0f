// A job's group compiled for placement: every question the placer asks of a
// node, turned into pointers at precomputed columns and counters, so that
// checking and scoring a node does no string work. Built once per (job,
// group) and rebuilt only when the group's placement inputs change.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parser/spec/job.hpp"
#include "reconciler/scheduler/alloc_counts.hpp"
#include "reconciler/scheduler/cluster.hpp"
#include "reconciler/scheduler/node_columns.hpp"

namespace skiff::reconciler::scheduler {

enum class CheckKind : uint8_t { kConstraint, kDriver, kVolume };

// A node property that must hold, with the failure key PlacementFailure
// counts it under.
struct StaticCheck {
  const NodeMask* mask;
  CheckKind kind;
  std::string key;
};

struct DistinctProperty {
  const AttributeColumn* column;
  const ValueCounts* counts;  // of the job or of the group, by value
  int32_t limit;
  std::string key;
};

struct AffinityRule {
  const NodeMask* match;
  double weight;
};

struct SpreadRule {
  const AttributeColumn* column;
  const ValueCounts* counts;    // the group's allocations by value
  double weight_fraction = 0;   // this block's weight over all blocks'
  bool even = true;             // no targets: spread evenly
  std::vector<double> desired;  // per value id; < 0 when no target names it
  double implicit = -1;         // the "*" remainder; < 0 when there is none
  // Per placement: the fewest and most allocations of a used value.
  int32_t round_min = 0;
  int32_t round_max = 0;
};

struct StaticPort {
  std::string label;
  int port;
};

// The inputs a GroupPlan was built from, flattened, to notice a changed
// job or group without rebuilding anything.
struct PlanInput {
  char tag;
  std::string a, b, c;
  int64_t n;
};

struct GroupPlan {
  std::vector<PlanInput> inputs;
  const NodeMask* scope = nullptr;
  const NodeMask* schedulable = nullptr;
  std::vector<StaticCheck> checks;
  AllocCounts* job_counts = nullptr;
  AllocCounts* group_counts = nullptr;
  AllocCounts* distinct_hosts = nullptr;  // the job's or the group's; null when off
  std::vector<DistinctProperty> distinct_properties;
  std::vector<AffinityRule> affinities;
  double affinity_total = 0;  // sum of |weight|
  std::vector<SpreadRule> spreads;
  double lowest_spread_boost = -1;  // Nomad's floor for a 0% target
  Resources need;
  std::vector<StaticPort> static_ports;
  std::vector<std::string> dynamic_ports;
  int static_ports_in_dynamic_range = 0;
  int count = 1;
  int limit = 2;  // feasible candidates scored per placement
  size_t nodes_in_scope = 0;
};

// Feasible candidates scored per placement when the group has spread or
// affinity blocks. Nomad scores max(count, 100); a bounded sample keeps a
// placement's cost independent of the group's size. Measured with
// bench/scheduler (50 racks, 1,000 per job on 5,000 nodes): 32 costs 2.9x
// the plain placement and leaves racks within ~3 of each other per job; 50
// costs 4.2x for ~3; 100 costs 7.7x for ~2.8.
inline constexpr int kPreferenceLimit = 32;

bool same_inputs(const std::vector<PlanInput>& inputs, const spec::Job& job, const spec::Group& group);

GroupPlan build_plan(const spec::Job& job, const spec::Group& group, NodeColumns& columns, AllocCounts& job_counts,
                     AllocCounts& group_counts);

// The key PlacementFailure counts a constraint under: "${meta.rack} = r1",
// "${attr.x} is_set", "distinct_hosts".
std::string constraint_key(const spec::Constraint& c);

}  // namespace skiff::reconciler::scheduler
