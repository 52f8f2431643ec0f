#include "reconciler/snapshot.hpp"

#include <algorithm>

#include "drivers/host/host_facts.hpp"

namespace skiff::reconciler {

namespace {

void set_attribute(Node& node, const std::string& key, const std::string& value) {
  if (!value.empty()) node.attributes[key] = value;
}

Node inventory_node(const spec::Host& host) {
  Node node;
  node.name = host.name;
  node.datacenter = host.datacenter;
  node.node_class = host.node_class;
  node.node_pool = host.node_pool;
  node.meta = host.meta;
  for (const spec::HostVolume& volume : host.host_volumes) node.host_volumes.insert(volume.name);
  return node;
}

// Every task's state to one allocation status, and why when it ended badly.
AllocationStatus status_of(const std::map<std::string, drivers::ObservedTask>& tasks, std::string& reason) {
  bool running = false, unknown = false, failed = false;
  for (const auto& [name, task] : tasks) {
    if (task.state == drivers::TaskState::kLost) {
      reason = "task \"" + name + "\": " + task.reason;
      return AllocationStatus::kLost;
    }
    if (drivers::is_active(task.state)) running = true;
    else if (task.state == drivers::TaskState::kDead && task.exit_code.value_or(0) != 0 && task.reason != "stopped") {
      if (!failed) reason = "task \"" + name + "\": " + task.reason;
      failed = true;
    } else if (task.state != drivers::TaskState::kDead) {
      unknown = true;
    }
  }
  if (failed) return AllocationStatus::kFailed;
  if (running) return AllocationStatus::kRunning;
  if (unknown || tasks.empty()) return AllocationStatus::kPending;
  return AllocationStatus::kComplete;
}

}  // namespace

Node node_from(const spec::Host& host, const drivers::HostFacts& facts) {
  Node node = inventory_node(host);
  set_attribute(node, "kernel.name", facts.kernel_name);
  set_attribute(node, "kernel.version", facts.kernel_version);
  set_attribute(node, "cpu.arch", facts.arch);
  set_attribute(node, "os.name", facts.os_name);
  set_attribute(node, "os.version", facts.os_version);
  set_attribute(node, "unique.hostname", facts.hostname);
  if (host.transport == spec::Transport::kSsh) set_attribute(node, "unique.network.ip-address", host.address);
  if (facts.cores) set_attribute(node, "cpu.numcores", std::to_string(*facts.cores));
  if (facts.cpu_mhz) set_attribute(node, "cpu.frequency", std::to_string(*facts.cpu_mhz));
  if (auto total = facts.cpu_total_mhz()) set_attribute(node, "cpu.totalcompute", std::to_string(*total));
  if (facts.memory_mb) set_attribute(node, "memory.totalbytes", std::to_string(*facts.memory_mb * 1024 * 1024));
  for (const auto& [name, driver] : facts.drivers) {
    if (!driver.healthy) continue;
    // The docker driver runs on docker or on podman.
    const std::string as = name == "podman" ? "docker" : name;
    node.drivers.insert(as);
    // insert_or_assign: gcc 12 warns falsely (-Wrestrict, its bug 105329)
    // on `attributes[k] = "1"` here at -O2, and CI's warnings are errors.
    node.attributes.insert_or_assign("driver." + name, std::string("1"));
    if (!driver.version.empty()) node.attributes.insert_or_assign("driver." + name + ".version", driver.version);
  }
  const drivers::HostCapacity capacity = drivers::host_capacity(host, facts);
  node.capacity.cores = capacity.cores.value_or(0);
  node.capacity.cpu_mhz = capacity.cpu_total_mhz.value_or(0);
  node.capacity.memory_mb = capacity.memory_mb.value_or(0);
  node.capacity.disk_mb = capacity.disk_mb.value_or(0);
  return node;
}

Node unreachable_node(const spec::Host& host) {
  Node node = inventory_node(host);
  node.status = NodeStatus::kDown;
  return node;
}

ExistingAllocation existing_from(const drivers::ObservedAllocation& observed, const std::string& host) {
  const drivers::Allocation& a = observed.allocation;
  ExistingAllocation e;
  e.id = a.id;
  e.job = a.job;
  e.group = a.group;
  e.index = a.index;
  e.node = host;
  e.job_version = a.job_version;
  e.status = status_of(observed.tasks, e.reason);
  // When it failed: the last of its tasks' ends (the reschedule delay counts from it).
  if (e.status == AllocationStatus::kFailed)
    for (const auto& [name, task] : observed.tasks)
      if (task.state == drivers::TaskState::kDead && task.since_unix) e.failed_unix = std::max(e.failed_unix, *task.since_unix);
  e.resources = {a.cpu_mhz, a.memory_mb, a.disk_mb, 0};
  for (const drivers::AssignedPort& port : a.ports) e.ports[port.label] = port.host_port;
  e.task_spec_hashes = a.task_spec_hashes;
  e.job_spec_hash = a.job_spec_hash;
  return e;
}

}  // namespace skiff::reconciler
