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
#include "reconciler/scheduler/cluster.hpp"

namespace skiff::cli {

struct FleetView {
  reconciler::ClusterSnapshot cluster;
  std::map<std::string, drivers::HostFacts> facts;              // per reachable host
  std::map<std::string, drivers::ObservedAllocation> observed;  // by allocation id, what apply acts on
  // One line per host that could not be observed; its allocations are unknown.
  std::vector<std::string> warnings;
  // skiff.hcl's fleet.down_after: how long an unreachable host waits
  // before it counts as down (planning.hpp judges it against the state).
  spec::Duration down_after{0};
};

FleetView observe_fleet(FleetAccess& access, const Workspace& workspace);

// open_fleet + observe_fleet for a command: the warnings go to
// context.err; nullopt (after saying why) when the fleet cannot be opened.
// The FleetAccess stays open for the command's further work.
struct ObservedFleet {
  FleetAccess access;
  FleetView view;
};
std::optional<ObservedFleet> observe_workspace(const Workspace& workspace, int parallelism, FleetUse use, Context& context);

}  // namespace skiff::cli
