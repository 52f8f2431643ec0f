// Placer's state, shared by placer.cpp (the public calls), placer_select.cpp
// (checking, scoring and choosing nodes) and placer_failure.cpp (why a
// placement failed). Not part of the interface.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "reconciler/scheduler/alloc_counts.hpp"
#include "reconciler/scheduler/group_plan.hpp"
#include "reconciler/scheduler/node_columns.hpp"
#include "reconciler/scheduler/node_usage.hpp"
#include "reconciler/scheduler/placer.hpp"
#include "reconciler/scheduler/rng.hpp"

namespace skiff::reconciler {

struct GroupState {
  explicit GroupState(std::string group_name, size_t nodes) : name(std::move(group_name)), counts(nodes) {}
  std::string name;
  scheduler::AllocCounts counts;
  std::unique_ptr<scheduler::GroupPlan> plan;  // built on the first placement
};

struct JobState {
  explicit JobState(size_t nodes) : counts(nodes) {}
  scheduler::AllocCounts counts;
  std::vector<std::unique_ptr<GroupState>> groups;  // few per job: a list is fastest
};

// The outcome of checking one node for one group, in Nomad's order.
enum class Verdict : uint8_t {
  kFits,
  kOutside,     // not in the job's datacenters or pool
  kIneligible,  // down, ineligible or draining
  kFiltered,    // detail: index into plan.checks
  kDistinctHosts,
  kDistinctProperty,  // detail: index into plan.distinct_properties
  kPortCollision,     // detail: index into plan.static_ports
  kNoDynamicPorts,
  kExhausted,  // dimension names what
};

struct NodeCheck {
  Verdict verdict = Verdict::kFits;
  int detail = 0;
  const char* dimension = nullptr;
};

// How far check_node goes: system_candidates and still_feasible stop before
// ports and resources.
enum class CheckDepth { kPlacement, kWithoutResources };

struct Placer::Impl {
  Impl(std::vector<Node> fleet, SchedulerAlgorithm algo, uint64_t seed);

  // Lookups; unknown names give npos / null.
  static constexpr size_t npos = static_cast<size_t>(-1);
  size_t node_named(const std::string& name) const;
  JobState& job_state(const std::string& job);
  GroupState& group_state(JobState& job, const std::string& group);
  GroupState* find_group(const std::string& job, const std::string& group);
  // The group's compiled plan, rebuilt when the job or group changed.
  scheduler::GroupPlan& plan_for(const spec::Job& job, const spec::Group& group);

  // placer_select.cpp
  NodeCheck check_node(const scheduler::GroupPlan& plan, size_t node, CheckDepth depth) const;
  double score_node(scheduler::GroupPlan& plan, size_t node, const std::vector<size_t>& penalties);
  size_t select(scheduler::GroupPlan& plan, const std::vector<size_t>& penalties, double& score);
  Placement commit(scheduler::GroupPlan& plan, size_t node, double score);
  void count(const ExistingAllocation& allocation, int sign);

  // placer_failure.cpp
  PlacementFailure explain(const scheduler::GroupPlan& plan) const;
  PlacementFailure explain_one(const scheduler::GroupPlan& plan, size_t node) const;

  std::vector<Node> nodes;
  SchedulerAlgorithm algorithm;
  scheduler::Rng rng;
  scheduler::NodeColumns columns;
  scheduler::NodeUsage usage;
  std::unordered_map<std::string, size_t> index_of;
  std::vector<uint32_t> order;  // shuffled once; placements walk it round-robin
  size_t offset = 0;
  std::unordered_map<std::string, std::unique_ptr<JobState>> jobs;
};

}  // namespace skiff::reconciler
