#include "state/state.hpp"

#include <utility>

namespace skiff::state {

const JobVersion* State::current(const std::string& job) const {
  auto it = jobs.find(job);
  if (it == jobs.end() || it->second.versions.empty()) return nullptr;
  return &it->second.versions.back();
}

const AllocationRecord* State::allocation(const std::string& id) const {
  for (const AllocationRecord& record : allocations)
    if (record.id == id) return &record;
  return nullptr;
}

AllocationRecord* State::allocation(const std::string& id) {
  return const_cast<AllocationRecord*>(std::as_const(*this).allocation(id));
}

}  // namespace skiff::state
