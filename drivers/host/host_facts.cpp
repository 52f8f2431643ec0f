#include "drivers/host/host_facts.hpp"

namespace skiff::drivers {

std::optional<int64_t> HostFacts::cpu_total_mhz() const {
  if (!cores || !cpu_mhz) return std::nullopt;
  return static_cast<int64_t>(*cores) * *cpu_mhz;
}

HostCapacity host_capacity(const spec::Host& host, const HostFacts& facts) {
  const spec::HostResources& declared = host.resources;
  HostCapacity capacity;
  capacity.cores_from_inventory = declared.cores.has_value();
  capacity.cores = declared.cores ? declared.cores : facts.cores;
  capacity.cpu_from_inventory = declared.cpu_mhz.has_value();
  capacity.cpu_total_mhz = declared.cpu_mhz ? std::optional<int64_t>(*declared.cpu_mhz) : facts.cpu_total_mhz();
  capacity.memory_from_inventory = declared.memory_mb.has_value();
  capacity.memory_mb = declared.memory_mb ? std::optional<int64_t>(*declared.memory_mb) : facts.memory_mb;
  capacity.disk_from_inventory = declared.disk_mb.has_value();
  capacity.disk_mb = declared.disk_mb ? std::optional<int64_t>(*declared.disk_mb) : facts.disk_free_mb;
  return capacity;
}

}  // namespace skiff::drivers
