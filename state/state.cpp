#include "state/state.hpp"

namespace skiff::state {

const JobVersion* State::current(const std::string& job) const {
  auto it = jobs.find(job);
  if (it == jobs.end() || it->second.versions.empty()) return nullptr;
  return &it->second.versions.back();
}

AllocationRecord* State::allocation(const std::string& id) {
  for (AllocationRecord& record : allocations)
    if (record.id == id) return &record;
  return nullptr;
}

}  // namespace skiff::state
