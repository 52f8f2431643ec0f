// Placer: puts allocations of task groups onto nodes the way Nomad's
// scheduler does. Feasibility first (datacenters, node pool, eligibility and
// drain, every constraint operator, the task drivers, host volumes,
// resources left, static ports free), then ranking (bin-packing or spread
// scoring, job anti-affinity, affinities, spread blocks), over a bounded
// number of feasible candidates, never every node per placement.
//
// Pure: no clock, no I/O; the only randomness is a generator seeded by the
// caller, so the same nodes, reservations, calls and seed give the same
// placements, byte for byte.
//
// Thread safety: none; one Placer per plan.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "parser/spec/job.hpp"
#include "reconciler/scheduler/cluster.hpp"

namespace skiff::reconciler {

enum class SchedulerAlgorithm { kBinpack, kSpread };

struct PlacementOptions {
  // Nodes to avoid when any other fits (where a failed or lost copy ran).
  std::set<std::string> penalty_nodes;
};

struct Placement {
  std::string node;
  std::map<std::string, int> ports;  // label -> host port (static or 20000-32000)
  double score = 0;                  // the normalised final score, for -json
};

// Why an allocation could not be placed, counted per reason as Nomad's
// AllocMetric does.
struct PlacementFailure {
  int nodes_evaluated = 0;
  int nodes_available = 0;  // nodes in the job's datacenters and pool
  // Keys are the reason's subject; values count nodes.
  std::map<std::string, int> constraint_filtered;  // "${meta.disk-type} = ssd"
  std::map<std::string, int> driver_missing;       // "docker"
  std::map<std::string, int> dimension_exhausted;  // "memory", "cpu", "disk", "network: reserved port collision http=8080"
  std::map<std::string, int> volume_missing;       // "data"
  int nodes_ineligible = 0;                        // ineligible or draining
  int nodes_unreachable = 0;                       // not observed, still in their grace
  int nodes_down = 0;                              // not observed past fleet.down_after

  // Nomad-style lines, sorted: `Constraint "${meta.disk-type} = ssd" filtered 4 hosts`,
  // `Dimension "memory" exhausted on 3 hosts`, `Driver "docker" missing on 2 hosts`,
  // `Host volume "data" missing on 1 host`, `2 hosts ineligible or draining`,
  // `3 hosts unreachable`, `1 host down`.
  std::vector<std::string> messages() const;
};

using PlacementOutcome = std::variant<Placement, PlacementFailure>;

// What one allocation of `group` reserves: its tasks' cpu, cores and memory
// summed, and the group's ephemeral disk.
Resources group_resources(const spec::Group& group);

class Placer {
 public:
  // REQUIRES: node names unique.
  Placer(std::vector<Node> nodes, SchedulerAlgorithm algorithm, uint64_t seed);
  ~Placer();
  Placer(Placer&&) noexcept;
  Placer& operator=(Placer&&) noexcept;

  // Counts an allocation that stays where it is: its resources and ports on
  // its node, and its job/group for anti-affinity, spread and distinct_*.
  // Terminal allocations and unknown nodes are ignored.
  void reserve(const ExistingAllocation& allocation);
  // Undoes reserve() for an allocation being stopped or replaced.
  // One whose job and group have nothing counted on its node is ignored, so
  // releasing twice cannot drive the counts below zero.
  void release(const ExistingAllocation& allocation);
  // Counts another state's allocation (ownership.hpp): its resources and
  // ports on its node, so they are not double-booked, but not its job or
  // group (another project's job of the same name is not this one). It is
  // never released. Terminal allocations and unknown nodes are ignored.
  void reserve_foreign(const ExistingAllocation& allocation);

  // For stickiness: whether `node` still accepts an allocation of this group
  // apart from resources, which reserve() already counted: it is ready,
  // eligible and not draining, in the job's datacenters and pool, and every
  // constraint (distinct_* counting the others, not itself), driver and host
  // volume still holds. A non-terminal `allocation` is taken to be counted
  // already (reserved), so distinct_* leave one allocation out on its node.
  bool still_feasible(const spec::Job& job, const spec::Group& group, const ExistingAllocation& allocation) const;

  // Places one allocation and reserves it on success. Nodes are visited in
  // an order shuffled once from the seed, each placement going on from where
  // the last one stopped; the first feasible candidates are scored and the
  // best wins (ties: the first visited). How many are scored: 2 for batch
  // jobs, max(2, ceil(log2(nodes in the job's datacenters and pool))) for
  // services, at least scheduler::kPreferenceLimit (32) when the group has
  // spread or affinity blocks. As in Nomad, up to 3 candidates scoring below
  // zero are set aside and used only when nothing better turns up. Dynamic
  // ports: a random start in 20000-32000 from the seeded generator, then
  // the next port free on the node.
  PlacementOutcome place(const spec::Job& job, const spec::Group& group, const PlacementOptions& options = {});

  // System and sysbatch jobs: one allocation on this node, and reserves it.
  PlacementOutcome place_on(const spec::Job& job, const spec::Group& group, const std::string& node);
  // System and sysbatch jobs: the nodes that pass every check but resources
  // (those are counted by place_on, which reports exhaustion), in node order.
  std::vector<std::string> system_candidates(const spec::Job& job, const spec::Group& group) const;

  const std::vector<Node>& nodes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace skiff::reconciler
