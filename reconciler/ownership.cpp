#include "reconciler/ownership.hpp"

#include <set>

namespace skiff::reconciler {

namespace {

// A lineage is a UUID; its first 8 digits tell states apart in a message.
std::string short_lineage(const std::string& lineage) { return lineage.substr(0, 8) + "…"; }

std::string allocations_word(size_t n) { return std::to_string(n) + (n == 1 ? " allocation" : " allocations"); }

}  // namespace

Ownership ownership_of(const drivers::Allocation& allocation, const std::string& state_lineage) {
  if (allocation.lineage.empty()) return Ownership::kUnclaimed;
  if (!state_lineage.empty() && allocation.lineage == state_lineage) return Ownership::kOwn;
  return Ownership::kForeign;
}

OwnedAllocations split_by_owner(const std::vector<drivers::ObservedAllocation>& observed, const std::string& state_lineage,
                                ForeignAllocations foreign) {
  OwnedAllocations split;
  for (const drivers::ObservedAllocation& o : observed) {
    const Ownership owner = ownership_of(o.allocation, state_lineage);
    if (owner == Ownership::kOwn) {
      split.own.push_back(o);
    } else if (owner == Ownership::kForeign && foreign == ForeignAllocations::kLeaveAlone) {
      split.foreign.push_back(o);
    } else {
      split.own.push_back(o);
      split.own.back().allocation.lineage = state_lineage;
      split.adopted.push_back(split.own.back().allocation);
    }
  }
  return split;
}

std::vector<std::string> ownership_drift(const std::string& host, const OwnedAllocations& split) {
  std::vector<std::string> lines;
  if (!split.foreign.empty()) {
    std::set<std::string> lineages;
    for (const drivers::ObservedAllocation& o : split.foreign) lineages.insert(short_lineage(o.allocation.lineage));
    std::string list;
    for (const std::string& l : lineages) list += (list.empty() ? "" : ", ") + l;
    lines.push_back(host + ": " + allocations_word(split.foreign.size()) +
                    (lineages.size() == 1 ? " of another state (lineage " : " of other states (lineages ") + list +
                    "), left alone");
  }
  if (!split.adopted.empty())
    lines.push_back(host + ": " + allocations_word(split.adopted.size()) +
                    " from before skiff recorded lineages: this state adopts " + (split.adopted.size() == 1 ? "it" : "them") +
                    " on apply");
  return lines;
}

}  // namespace skiff::reconciler
