// HostFacts: what one host is, as its fingerprint (fingerprint.hpp) reports
// it. The scheduler's `${attr.*}` values and `node status` come from here.
// Every field that a host may fail to report is optional; nothing is guessed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace skiff::drivers {

// One task driver on one host. `detected`: its program is there; `healthy`:
// it works (for docker: the daemon answers). `reason` says why not.
struct DriverFact {
  bool detected = false;
  bool healthy = false;
  std::string version;  // empty when the driver has none to report (exec)
  std::string reason;   // set when detected but not healthy
};

struct HostFacts {
  std::string hostname;
  std::string kernel_name;     // "linux", as Nomad's attr.kernel.name
  std::string kernel_version;  // uname -r
  std::string arch;            // Go's names, as Nomad's attr.cpu.arch: amd64, arm64, ...
  std::string os_name;         // /etc/os-release ID: "debian"
  std::string os_version;      // /etc/os-release VERSION_ID: "12"
  std::optional<int> cores;
  std::optional<int> cpu_mhz;  // per core
  std::optional<int64_t> memory_mb;
  std::optional<int64_t> disk_free_mb;  // on the file system holding the data dir
  std::optional<int64_t> disk_total_mb;
  std::string cgroup;                 // "v2", "v1" or "" (none found)
  std::string boot_id;                // changes when the host reboots
  std::optional<int> uid;             // of the login user
  std::optional<int64_t> clock_unix;  // the host's clock when it answered
  // raw_exec, exec, docker, podman, java; a driver absent from the map was
  // not looked for.
  std::map<std::string, DriverFact> drivers;

  // cores * cpu_mhz, Nomad's "CPU" total; nullopt when either is unknown.
  std::optional<int64_t> cpu_total_mhz() const;
};

}  // namespace skiff::drivers

#include "parser/spec/inventory.hpp"

namespace skiff::drivers {

// What a host offers to the scheduler: the inventory's `resources {}` where
// set, else what the fingerprint detected. `*_from_inventory` say which.
struct HostCapacity {
  std::optional<int> cores;
  std::optional<int64_t> cpu_total_mhz;
  std::optional<int64_t> memory_mb;
  std::optional<int64_t> disk_mb;  // free disk under the data dir
  bool cores_from_inventory = false;
  bool cpu_from_inventory = false;
  bool memory_from_inventory = false;
  bool disk_from_inventory = false;
};

HostCapacity host_capacity(const spec::Host& host, const HostFacts& facts);

}  // namespace skiff::drivers
