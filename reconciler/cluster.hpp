// The scheduler's view of the fleet, as plain values: the hosts (nodes) with
// what they are and offer, and the allocations that already exist on them.
// The CLI builds a ClusterSnapshot from the inventory, the hosts' facts, the
// state file and an observation; the reconciler only reads it.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace skiff::reconciler {

// What a host offers, or what an allocation uses.
struct Resources {
  int64_t cpu_mhz = 0;
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
  int cores = 0;
};

enum class NodeStatus { kReady, kDown };  // down: could not be reached

struct Node {
  std::string name;  // ${node.unique.name}, the inventory name
  std::string datacenter = "dc1";
  std::string node_class;
  std::string node_pool = "default";
  NodeStatus status = NodeStatus::kReady;
  bool eligible = true;   // `skiff node eligibility`
  bool draining = false;  // `skiff node drain`
  // ${attr.*} without the "attr." prefix: "kernel.name" = "linux",
  // "cpu.arch", "os.name", "unique.hostname", "driver.docker" = "1", ...
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> meta;  // ${meta.*}
  std::set<std::string> drivers;            // healthy task drivers
  std::set<std::string> host_volumes;       // names from the inventory
  Resources capacity;
};

enum class AllocationStatus { kPending, kRunning, kComplete, kFailed, kLost };

// An allocation that exists already (from state and observation).
struct ExistingAllocation {
  std::string id;
  std::string job;
  std::string group;
  int index = 0;
  std::string node;
  uint64_t job_version = 0;
  AllocationStatus status = AllocationStatus::kRunning;
  Resources resources;                            // what it reserves on its node
  std::map<std::string, int> ports;               // label -> host port
  std::map<std::string, std::string> task_spec_hashes;  // task -> hash (spec_hash.hpp)
  std::string job_spec_hash;                            // of the job version it runs
  std::string reason;  // why it is failed or lost, in words ("exited with status 3")
};

struct ClusterSnapshot {
  std::vector<Node> nodes;  // in inventory order
  std::vector<ExistingAllocation> allocations;
  // What the hosts hold that is not an allocation the plan can act on, one
  // sentence each naming the host: a skiff-labelled container without an
  // allocation folder, an alloc.json that cannot be read.
  std::vector<std::string> drift;
};

// Terminal allocations (complete, failed, lost) reserve nothing.
bool is_terminal(AllocationStatus status);
std::string to_string(AllocationStatus status);

}  // namespace skiff::reconciler
