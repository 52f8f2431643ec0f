#include "reconciler/scheduler/node_usage.hpp"

#include <algorithm>

#include "reconciler/scheduler/rng.hpp"

namespace skiff::reconciler::scheduler {

namespace {

constexpr int kDynamicPorts = kMaxDynamicPort - kMinDynamicPort + 1;

bool in_dynamic_range(int port) { return port >= kMinDynamicPort && port <= kMaxDynamicPort; }

}  // namespace

NodeUsage::NodeUsage(const std::vector<Node>& nodes)
    : nodes_(nodes), used_(nodes.size()), ports_(nodes.size()), dynamic_in_use_(nodes.size(), 0) {}

void NodeUsage::add(size_t node, const Resources& r, int sign) {
  Resources& u = used_[node];
  u.cpu_mhz += sign * r.cpu_mhz;
  u.memory_mb += sign * r.memory_mb;
  u.disk_mb += sign * r.disk_mb;
  u.cores += sign * r.cores;
}

const char* NodeUsage::exhausted(size_t node, const Resources& need) const {
  const Resources& cap = nodes_[node].capacity;
  const Resources& u = used_[node];
  if (u.cpu_mhz + need.cpu_mhz > cap.cpu_mhz) return "cpu";
  if (need.cores > 0 && u.cores + need.cores > cap.cores) return "cores";
  if (u.memory_mb + need.memory_mb > cap.memory_mb) return "memory";
  if (u.disk_mb + need.disk_mb > cap.disk_mb) return "disk";
  return nullptr;
}

bool NodeUsage::port_used(size_t node, int port) const {
  const auto& ports = ports_[node];
  return !ports.empty() && ports.count(port) > 0;
}

void NodeUsage::add_port(size_t node, int port, int sign) {
  auto& ports = ports_[node];
  if (sign > 0) {
    if (++ports[port] == 1 && in_dynamic_range(port)) ++dynamic_in_use_[node];
    return;
  }
  auto it = ports.find(port);
  if (it == ports.end()) return;
  if (--it->second > 0) return;
  ports.erase(it);
  if (in_dynamic_range(port)) --dynamic_in_use_[node];
}

int NodeUsage::free_dynamic_ports(size_t node) const { return kDynamicPorts - dynamic_in_use_[node]; }

int NodeUsage::pick_dynamic_port(size_t node, const std::vector<int>& taken, Rng& rng) const {
  int start = static_cast<int>(rng.below(kDynamicPorts));
  for (int i = 0; i < kDynamicPorts; ++i) {
    int port = kMinDynamicPort + (start + i) % kDynamicPorts;
    if (port_used(node, port)) continue;
    if (std::find(taken.begin(), taken.end(), port) != taken.end()) continue;
    return port;
  }
  return 0;
}

}  // namespace skiff::reconciler::scheduler
