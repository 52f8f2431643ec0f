// The fleet as the planner sees it: every inventory host observed at once
// (one round trip; a second only for hosts whose facts must be taken
// again), turned into the reconciler's ClusterSnapshot.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/fleet_access.hpp"
#include "drivers/host/observe.hpp"
#include "reconciler/claims.hpp"
#include "reconciler/ownership.hpp"
#include "reconciler/scheduler/cluster.hpp"
#include "state/state.hpp"

namespace skiff::cli {

struct FleetView {
  reconciler::ClusterSnapshot cluster;
  std::map<std::string, drivers::HostFacts> facts;  // per reachable host
  // What apply acts on: each trusted allocation as its own host reported it
  // (reconciler/claims.hpp), by that host and its id.
  drivers::ObservedAllocations observed;
  // Per host, the allocations this state adopts (reconciler/ownership.hpp),
  // their lineage to be written back (adopt_allocations, cli/adoption.hpp).
  std::map<std::string, std::vector<drivers::Allocation>> adopted;
  // How many allocations of other states were left alone, on all hosts.
  size_t foreign = 0;
  // One line per host that could not be observed; its allocations are unknown.
  std::vector<std::string> warnings;
  // skiff.hcl's fleet.down_after: how long an unreachable host waits
  // before it counts as down (planning.hpp judges it against the state).
  spec::Duration down_after{0};
};

// Whose allocations the view hands on (reconciler/ownership.hpp): those of
// the state (its lineage; "" for a state not written yet) and the ones it
// adopts; another state's are only counted (cluster.foreign, one drift line
// per host) unless `foreign` adopts them too. What the hosts claim is then
// weighed against what the state records (reconciler/claims.hpp): what it
// does not bear out is drift, counted like another state's.
// REQUIRES: `state` outlives the Owner (an empty State when there is none).
struct Owner {
  explicit Owner(const state::State& owner_state,
                 reconciler::ForeignAllocations foreign_allocations = reconciler::ForeignAllocations::kLeaveAlone,
                 reconciler::UnrecordedAllocations unrecorded_allocations = reconciler::UnrecordedAllocations::kDrift)
      : state(owner_state), foreign(foreign_allocations), unrecorded(unrecorded_allocations) {}
  const state::State& state;
  reconciler::ForeignAllocations foreign;
  reconciler::UnrecordedAllocations unrecorded;
};

FleetView observe_fleet(FleetAccess& access, const Workspace& workspace, const Owner& owner);

// open_fleet + observe_fleet for a command: the warnings go to
// context.err; nullopt (after saying why) when the fleet cannot be opened.
// The FleetAccess stays open for the command's further work.
struct ObservedFleet {
  FleetAccess access;
  FleetView view;
};
std::optional<ObservedFleet> observe_workspace(const Workspace& workspace, int parallelism, FleetUse use, const Owner& owner,
                                               Context& context);

}  // namespace skiff::cli
