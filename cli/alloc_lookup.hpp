// Finding allocations on the fleet by id or id prefix, the way `nomad alloc`
// commands take them: every host is observed at once (one command each).
#pragma once

#include <string>
#include <vector>

#include "cli/fleet_access.hpp"
#include "drivers/host/observe.hpp"

namespace skiff::cli {

struct FoundAllocation {
  spec::Host host;
  drivers::ObservedAllocation observed;
};

// The one allocation of the workspace's state whose id starts with
// `prefix` (reconciler/ownership.hpp: another state's is never acted on).
// Fails naming the candidates when the prefix is ambiguous, naming another
// state's allocations that matched, and naming the hosts that could not be
// observed when nothing matched.
Result<FoundAllocation> find_allocation(FleetAccess& access, const Workspace& workspace, const std::string& prefix);

// Observes every host; per host its observation or why not.
std::vector<Result<drivers::Observation>> observe_all(FleetAccess& access, const std::vector<spec::Host>& hosts);

}  // namespace skiff::cli
