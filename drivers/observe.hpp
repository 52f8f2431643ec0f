// Observing what runs on a host: one remote command that prints every
// allocation skiff left under the data dir (its alloc.json and, per task,
// the supervisor's status and whether the supervisor is still alive), as
// one JSON line. Pure: the command and the parser are text.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "drivers/allocation.hpp"
#include "drivers/transport.hpp"
#include "parser/result.hpp"

namespace skiff::drivers {

struct ObservedTask {
  // running | restarting | dead as the supervisor last wrote it, or "lost"
  // when it says running/restarting but the supervisor is gone (the host
  // crashed or someone killed it), or "unknown" without a status file.
  std::string state;
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

struct Observation {
  std::vector<ObservedAllocation> allocations;
  // Folders under allocs/ whose alloc.json could not be read: reported,
  // never hidden.
  std::vector<std::string> unreadable;
  // Containers labelled skiff.alloc that no allocation folder claims.
  std::vector<std::string> orphan_containers;
};

Command observe_command(const std::string& data_dir);
Result<Observation> parse_observation(const std::string& output);

}  // namespace skiff::drivers
