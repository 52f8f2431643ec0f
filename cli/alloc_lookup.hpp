// Finding allocations on the fleet by id or id prefix, the way `nomad alloc`
// commands take them: every host is observed at once (one command each).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cli/fleet_access.hpp"
#include "drivers/host/observe.hpp"
#include "state/state.hpp"

namespace skiff::cli {

struct FoundAllocation {
  spec::Host host;
  drivers::ObservedAllocation observed;
  // Each task's kill_timeout as the job version it runs gave it, when the
  // state has that version (commands that take the lock fill it in).
  std::map<std::string, std::chrono::milliseconds> kill_timeouts;
};

// The one allocation of the workspace's state whose id starts with
// `prefix` (reconciler/ownership.hpp: another state's is never acted on).
// Fails naming the candidates when the prefix is ambiguous, naming another
// state's allocations that matched, and naming the hosts that could not be
// observed when nothing matched.
Result<FoundAllocation> find_allocation(FleetAccess& access, const Workspace& workspace, const std::string& prefix);

// Each task's kill_timeout in the job version allocation `a` runs, read
// from the state; empty when the state does not have that version.
std::map<std::string, std::chrono::milliseconds> recorded_kill_timeouts(const state::State& state, const drivers::Allocation& a);

// Observes every host; per host its observation or why not.
std::vector<Result<drivers::Observation>> observe_all(FleetAccess& access, const std::vector<spec::Host>& hosts);

}  // namespace skiff::cli
