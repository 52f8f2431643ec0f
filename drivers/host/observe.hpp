// Observing what runs on a host: one remote command that prints every
// allocation skiff left under the data dir (its alloc.json and, per task,
// the supervisor's status and whether the supervisor is still alive), as
// one JSON line. Pure: the command and the parser are text.
#pragma once

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "drivers/host/host_facts.hpp"
#include "drivers/task/allocation.hpp"
#include "drivers/task/task_state.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

struct ObservedTask {
  // Running, restarting or dead as the supervisor last wrote it, or lost
  // when it says running/restarting but the supervisor is gone (the host
  // crashed or someone killed it), or unknown without a status file.
  TaskState state = TaskState::kUnknown;
  int restarts = 0;
  std::optional<int> exit_code;
  std::string reason;
  std::optional<int64_t> since_unix;
  // For raw_exec: the supervisor runs; for docker: the container exists.
  bool supervisor_alive = false;
  std::string driver;     // "raw_exec" | "docker"
  std::string container;  // docker: the container's name
  std::string cli;        // docker: "docker" or "podman"
  // exec: the limits really enforced ("memory=300MB cpu_shares=100"), or
  // "none: <why>"; empty for other drivers.
  std::string limits;
};

struct ObservedAllocation {
  Allocation allocation;
  std::map<std::string, ObservedTask> tasks;
};

// Observed allocations are known by the inventory host whose observation
// holds them and their id, never by id alone: any host can print any id.
struct HostAllocationId {
  std::string host;  // the inventory name
  std::string id;
  auto operator<=>(const HostAllocationId&) const = default;
};
using ObservedAllocations = std::map<HostAllocationId, ObservedAllocation>;

struct Observation {
  std::vector<ObservedAllocation> allocations;
  // Folders under allocs/ whose alloc.json could not be read: reported,
  // never hidden.
  std::vector<std::string> unreadable;
  // Folders whose alloc.json reads well but speaks for another: another
  // folder's id, another host, another data dir (what a compromised host
  // would print to make skiff act elsewhere). Reported with why, never
  // trusted.
  struct Rejected {
    std::string folder;
    std::string why;  // "names host \"web-1\", not web-2"
  };
  std::vector<Rejected> rejected;
  // Containers labelled skiff.alloc that no allocation folder claims.
  std::vector<std::string> orphan_containers;
  // Process groups of removed allocations that still have processes: a
  // task's leftovers outlived even SIGKILL when its allocation was stopped
  // (drivers/scripts/task_leftovers.sh keeps D/lingering/ID.TASK).
  struct LingeringGroup {
    std::string allocation_id;
    std::string task;
    std::string process_group;
  };
  std::vector<LingeringGroup> lingering_groups;
  // The facts the host's last fingerprint kept (D/facts.json), when they are
  // from its current boot; nullopt: fingerprint it (again).
  std::optional<HostFacts> facts;
};

// The host an observation comes from, as the inventory names it.
struct HostToObserve {
  std::string host;
  std::string data_dir;
};

// The whole observe program, sent along with the command (about 5 KB).
Command observe_command(const std::string& data_dir);
// The observe program's output. Never throws, whatever the bytes: a
// document that is not one is an error for that host. Each allocation
// folder's alloc.json must name that folder's id, and, with `from`, the
// host and data dir the inventory gives that host; one that does not is
// Observation::rejected. Without `from` (tests, tools that read one
// known host) only the folder is checked.
Result<Observation> parse_observation(const std::string& output, const HostToObserve* from = nullptr);

// The steady state: the awk program installed on the host as
// D/bin/observe-<hash of its text>.awk runs, started by a launcher of about
// 1 KB that the host's long-lived shell runs without a process of its own
// (ssh_shell.hpp): awk is the only program started per observation.
// When that file is not there (the first observation, or a new version of
// skiff), the result says so: is_observe_script_missing.
Command observe_installed_command(const std::string& data_dir);
bool is_observe_script_missing(const CommandResult& result, const std::string& data_dir);
// Installs the script (written whole, then renamed) and runs it.
Command observe_install_command(const std::string& data_dir);

// Observes many hosts at once through `fleet`: the installed script first,
// and where it is missing, installing and running it, one more round trip
// for those hosts only. Results in the order of `hosts`, each parsed
// against its host (parse_observation's `from`).
std::vector<Result<Observation>> observe_hosts(Fleet& fleet, const std::vector<HostToObserve>& hosts);

}  // namespace skiff::drivers
