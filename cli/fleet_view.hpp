// The fleet as the planner sees it: every inventory host observed at once
// (one round trip; a second only for hosts whose facts must be taken
// again), turned into the reconciler's ClusterSnapshot.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/fleet_access.hpp"
#include "drivers/observe.hpp"
#include "reconciler/cluster.hpp"

namespace skiff::cli {

struct FleetView {
  reconciler::ClusterSnapshot cluster;
  std::map<std::string, drivers::HostFacts> facts;  // per reachable host
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

// Pure parts, exposed for tests.
// ${attr.*}, drivers and capacity from the facts; the inventory's place,
// class, pool, meta and host volumes.
reconciler::Node node_from(const spec::Host& host, const drivers::HostFacts& facts);
// A host that could not be reached: down (until planning weighs the
// grace), nothing known of it.
reconciler::Node unreachable_node(const spec::Host& host);
// An allocation from what its host reported: running while any task runs,
// lost when a supervisor is gone, failed when a task died with an error,
// complete when every task ended well.
reconciler::ExistingAllocation existing_from(const drivers::ObservedAllocation& observed, const std::string& host);

}  // namespace skiff::cli
