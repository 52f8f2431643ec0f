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

// down: could not be reached for longer than skiff.hcl's fleet.down_after
// (its allocations are lost); unreachable: not reached, but not down yet
// (its allocations are kept as last recorded and nothing new goes there).
enum class NodeStatus { kReady, kUnreachable, kDown };

struct Node {
  std::string name;  // ${node.unique.name}, the inventory name
  std::string datacenter = "dc1";
  std::string node_class;
  std::string node_pool = "default";
  NodeStatus status = NodeStatus::kReady;
  std::string status_reason;  // unreachable or down: "unreachable for 4s; down after 30s"
  bool eligible = true;       // `skiff node eligibility`
  bool draining = false;      // `skiff node drain`
  // Its drain's -deadline has passed: what is left migrates at once,
  // regardless of migrate.max_parallel (Nomad's forced drain).
  bool drain_deadline_passed = false;
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
  Resources resources;                                  // what it reserves on its node
  std::map<std::string, int> ports;                     // label -> host port
  std::map<std::string, std::string> task_spec_hashes;  // task -> hash (spec_hash.hpp)
  std::string job_spec_hash;                            // of the job version it runs
  std::string reason;                                   // why it failed or was lost; why it completed if the state knows
  // The state replaced it while its host was down (or recorded it lost):
  // found again, it gives way to the copy that replaced it.
  bool stale = false;
  // Failed ones: when (0: unknown), and when its chain of allocations was
  // rescheduled after failures before (the state's record), oldest first.
  int64_t failed_unix = 0;
  std::vector<int64_t> reschedules_unix;
};

struct ClusterSnapshot {
  std::vector<Node> nodes;  // in inventory order
  std::vector<ExistingAllocation> allocations;
  // Other states' allocations on these nodes (reconciler/ownership.hpp):
  // the plan never acts on them; they only keep their ports and resources
  // counted as used.
  std::vector<ExistingAllocation> foreign;
  // What the hosts hold that is not an allocation the plan can act on, one
  // sentence each naming the host: a skiff-labelled container without an
  // allocation folder, an alloc.json that cannot be read.
  std::vector<std::string> drift;
};

// Terminal allocations (complete, failed, lost) reserve nothing.
bool is_terminal(AllocationStatus status);
std::string to_string(AllocationStatus status);

}  // namespace skiff::reconciler
