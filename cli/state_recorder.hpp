// The apply executor's ApplyRecorder on the state file: every allocation
// outcome lands in the State, and each step ends with a save, so that an
// apply that stops midway (a host gone, skiff killed) leaves the truth.
#pragma once

#include <string>

#include "cli/fleet_view.hpp"
#include "reconciler/apply.hpp"
#include "state/store.hpp"

namespace skiff::cli {

class StateRecorder : public reconciler::ApplyRecorder {
 public:
  // REQUIRES: the store's lock is held; state was loaded from it (or is
  // new, serial 0) and outlives this.
  StateRecorder(state::StateStore& store, state::State& state, int64_t (*now_unix)());

  void allocation(const drivers::Allocation& allocation, reconciler::RecordedStatus status, const std::string& reason) override;
  void ended(const std::string& alloc_id, reconciler::RecordedStatus status, const std::string& reason) override;
  Status step_done() override;

 private:
  state::StateStore& store_;
  state::State& state_;
  int64_t (*now_unix_)();
};

// Allocations the hosts report that the state does not list (started by
// hand, or the state was lost), and the status of those it does: the
// observation wins.
void merge_observed(state::State& state, const FleetView& view, int64_t now_unix);

// A record of an allocation as its host describes it.
state::AllocationRecord record_of(const drivers::Allocation& allocation);

}  // namespace skiff::cli
