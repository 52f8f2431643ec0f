// The inventory: the hosts skiff manages (hosts.hcl), or the built-in
// `local` host when there is no inventory at all.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skiff::spec {

enum class Transport { kSsh, kLocal };

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
  std::string address;  // default: the name, as ssh does
  int port = 22;
  std::string user;
  std::string identity_file;
  std::string data_dir = "/var/lib/skiff";
  std::string datacenter = "dc1";
  std::string node_class;
  std::string node_pool = "default";
  std::map<std::string, std::string> meta;
  HostResources resources;
  std::vector<HostVolume> host_volumes;
};

struct Inventory {
  std::string source_path;  // empty for the built-in inventory
  std::vector<Host> hosts;
};

// One host named `local`, reached without SSH.
Inventory builtin_local_inventory();

}  // namespace skiff::spec
