// The inventory: the hosts skiff manages (hosts.hcl), or the built-in
// `local` host when there is no inventory at all.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skiff::spec {

// How skiff reaches a host: over SSH, or on the machine skiff itself runs on
// through /bin/sh (the built-in `local` host, or `transport = "local"`).
enum class Transport { kSsh, kLocal };

// "ssh" | "local", as written in hosts.hcl.
std::string to_string(Transport transport);

struct HostVolume {
  std::string name;
  std::string path;
  bool read_only = false;
};

// Resources declared in the inventory override what fingerprinting detects.
struct HostResources {
  std::optional<int> cpu_mhz;
  std::optional<int> memory_mb;
  std::optional<int> disk_mb;
  std::optional<int> cores;
};

struct Host {
  std::string name;
  Transport transport = Transport::kSsh;
  std::string address;  // default: the name, as ssh does; unused by local hosts
  // Unset: skiff.hcl's ssh { port }, then ~/.ssh/config's Port, then 22.
  std::optional<int> port;
  std::string user;
  std::string identity_file;
  std::string data_dir = "/var/lib/skiff";
  std::string datacenter = "dc1";
  std::string node_class;
  std::string node_pool = "default";
  std::map<std::string, std::string> meta;
  HostResources resources;
  std::vector<HostVolume> host_volumes;
  // docker { volumes_enabled = true }: a container task's config may bind
  // absolute host paths (Nomad's docker.volumes.enabled); off, only paths
  // inside the allocation's folder and the host_volumes above.
  bool docker_volumes_enabled = false;
};

struct Inventory {
  std::string source_path;  // empty for the built-in inventory
  std::vector<Host> hosts;  // in file order, names unique

  // REQUIRES: nothing. Null when no host has that name.
  const Host* find(const std::string& name) const;
};

// One host named `local`, reached without SSH.
Inventory builtin_local_inventory();

}  // namespace skiff::spec
