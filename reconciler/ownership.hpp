// Whose allocations a host holds. Every allocation records the lineage of
// the state that created it (alloc.json); two projects (two state files)
// may share hosts, and each plans, prunes and records only its own. Pure:
// the observation and the state's lineage in, the split out.
//
// - own: the allocation's lineage is the state's.
// - unclaimed: written before lineages were recorded (no lineage): the
//   first state that sees it adopts it, once (apply then writes the
//   state's lineage into its alloc.json), and says so.
// - foreign: another state's. Left alone: never stopped, pruned, adopted
//   or recorded; it only keeps its ports and resources counted as used on
//   its host, so that nothing is double-booked.
#pragma once

#include <string>
#include <vector>

#include "drivers/host/observe.hpp"

namespace skiff::reconciler {

enum class Ownership { kOwn, kUnclaimed, kForeign };

// REQUIRES: nothing; an empty `state_lineage` (a state not written yet)
// owns nothing, so every allocation with a lineage is foreign to it.
Ownership ownership_of(const drivers::Allocation& allocation, const std::string& state_lineage);

// Whether `state rebuild -adopt-foreign` takes another state's allocations.
enum class ForeignAllocations { kLeaveAlone, kAdopt };

// One host's allocations split by owner. `own` holds this state's and the
// ones it adopts (unclaimed, or foreign with kAdopt), in the observation's
// order, each adopted one with its lineage set to `state_lineage`;
// `adopted` the adopted ones as they will be written back; `foreign` the
// ones left alone.
struct OwnedAllocations {
  std::vector<drivers::ObservedAllocation> own;
  std::vector<drivers::Allocation> adopted;
  std::vector<drivers::ObservedAllocation> foreign;
};
OwnedAllocations split_by_owner(const std::vector<drivers::ObservedAllocation>& observed, const std::string& state_lineage,
                                ForeignAllocations foreign);

// The lines a plan shows for one host, one for what it leaves alone and one
// for what it adopts (none when there is nothing of either):
//   "h1: 3 allocations of another state (lineage 5f2c1e8a…), left alone"
//   "h1: 2 allocations from before skiff recorded lineages: this state
//    adopts them on apply"
// (state rebuild -adopt-foreign says what it adopted in its own words).
std::vector<std::string> ownership_drift(const std::string& host, const OwnedAllocations& split);

}  // namespace skiff::reconciler
