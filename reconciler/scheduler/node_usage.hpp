// What the allocations counted so far use on each node: cpu, memory, disk,
// cores, and host ports (counted, so two existing allocations that already
// collide in the state stay consistent when one of them is released).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "reconciler/scheduler/cluster.hpp"

namespace skiff::reconciler::scheduler {

class Rng;

// Nomad's default dynamic port range, inclusive.
inline constexpr int kMinDynamicPort = 20000;
inline constexpr int kMaxDynamicPort = 32000;

class NodeUsage {
 public:
  explicit NodeUsage(const std::vector<Node>& nodes);

  const Resources& used(size_t node) const { return used_[node]; }
  // sign: +1 to add, -1 to take away.
  void add(size_t node, const Resources& resources, int sign);
  // The first dimension (Nomad's order: cpu, cores, memory, disk) that
  // `need` would take over the node's capacity, or nullptr when it fits.
  const char* exhausted(size_t node, const Resources& need) const;

  bool port_used(size_t node, int port) const;
  void add_port(size_t node, int port, int sign);
  // Ports of the dynamic range not in use on the node.
  int free_dynamic_ports(size_t node) const;
  // A dynamic port free on the node and not in `taken`: a random start from
  // `rng`, then the next free one upwards (wrapping). 0 when none is left.
  int pick_dynamic_port(size_t node, const std::vector<int>& taken, Rng& rng) const;

 private:
  const std::vector<Node>& nodes_;
  std::vector<Resources> used_;
  std::vector<std::unordered_map<int, int>> ports_;  // port -> allocations using it
  std::vector<int> dynamic_in_use_;                  // distinct ports in the range
};

}  // namespace skiff::reconciler::scheduler
