// An allocation as the drivers see it: which task group of which job version
// runs where, with what ports, and where its files live on the host.
//
// Host layout (everything under the host's data dir D, default
// /var/lib/skiff; nothing else on the host is touched):
//
//   D/allocs/<id>/alloc.json               this struct as JSON (observation reads it back)
//   D/allocs/<id>/alloc/{data,tmp,logs}/   shared by the group's tasks (NOMAD_ALLOC_DIR)
//   D/allocs/<id>/alloc/logs/<task>.stdout.0, <task>.stderr.0
//   D/allocs/<id>/<task>/local/            NOMAD_TASK_DIR
//   D/allocs/<id>/<task>/secrets/          NOMAD_SECRETS_DIR, mode 0700
//   D/allocs/<id>/<task>/.skiff/           run (the command), policy, status, supervisor.pid
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "drivers/task/task_hook.hpp"

namespace skiff::drivers {

struct AssignedPort {
  std::string label;
  int host_port = 0;
  int to = 0;  // the port inside a container (bridge mode); 0: the host port
};

struct Allocation {
  std::string id;  // a UUID
  std::string job;
  std::string group;
  int index = 0;  // NOMAD_ALLOC_INDEX
  uint64_t job_version = 0;
  std::string job_type = "service";
  std::string datacenter = "dc1";
  std::string host;          // the inventory name (node.unique.name)
  std::string host_address;  // NOMAD_IP_*
  std::string data_dir = "/var/lib/skiff";
  std::vector<AssignedPort> ports;
  std::map<std::string, std::string> task_spec_hashes;  // task -> hash of its destructive spec
  std::string job_spec_hash;                            // of the whole job version it runs (empty in older alloc.json files)
  // What the group reserves on the host (cpu MHz, memory, disk MB), so that
  // a plan counts it even when its job file is gone.
  int64_t cpu_mhz = 0;
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
  int64_t created_unix = 0;
  // Placed as a canary of a rolling update (it stays one after promotion,
  // as in Nomad; whether it is promoted is the deployment's business).
  bool canary = false;
  // The lineage of the state that created it (state/state.hpp): a plan
  // acts only on its own state's allocations and leaves other states' alone.
  // Empty in alloc.json files written before lineages were recorded.
  std::string lineage;
  // The group's hook tasks (task_hook.hpp); main tasks are not listed.
  std::map<std::string, TaskHook> task_hooks;

  // "<job>.<group>[<index>]", Nomad's NOMAD_ALLOC_NAME.
  std::string name() const { return job + "." + group + "[" + std::to_string(index) + "]"; }
  std::string dir() const { return data_dir + "/allocs/" + id; }
  std::string alloc_dir() const { return dir() + "/alloc"; }
  std::string task_dir(const std::string& task) const { return dir() + "/" + task; }
  std::string control_dir(const std::string& task) const { return task_dir(task) + "/.skiff"; }
  std::string log_path(const std::string& task, const std::string& stream) const {
    return alloc_dir() + "/logs/" + task + "." + stream + ".0";
  }
};

// drivers/scripts/allocation_folders.sh makes the layout above for one
// task on the host: every driver's start program runs it.

nlohmann::json allocation_to_json(const Allocation& allocation);
// Fails when a required field is missing, a field is of the wrong type or
// the id is not one skiff makes, naming the field ("alloc.json: index:
// expected an integer, got string"). Unknown fields are ignored.
Result<Allocation> allocation_from_json(const nlohmann::json& j);

// "sha256:" + the first 16 hex digits of SHA-256 over the task's effective
// spec as JSON (compact, keys sorted): what alloc.json records per task, so
// that a later plan can tell whether the spec a task runs has changed.
std::string task_spec_hash(const nlohmann::json& task_spec);

// A version 4 UUID from 16 random bytes, lowercase.
std::string format_uuid_v4(std::array<uint8_t, 16> bytes);
// A new allocation's id: format_uuid_v4 of random bytes. Fails when there
// are no random bytes to be had (base::random_bytes), rather than giving
// every allocation the same id.
Result<std::string> new_allocation_id();

// True for ids skiff makes (lowercase UUIDs): the only ones it puts in paths.
bool is_allocation_id(const std::string& id);

}  // namespace skiff::drivers
