// Adopting allocations (reconciler/ownership.hpp): the ones a FleetView
// marked as adopted get this state's lineage written into their alloc.json
// on their hosts, one command per host, so that adoption happens once and
// no other state adopts them afterwards. apply and state rebuild call it
// after the state was saved (a new state's lineage exists only then).
#pragma once

#include <string>
#include <vector>

#include "cli/fleet_access.hpp"
#include "cli/fleet_view.hpp"

namespace skiff::cli {

// Writes `lineage` into every adopted allocation of `view` (view.adopted),
// and into the allocations apply acts on (view.observed), so that a later
// in-place update keeps it. Returns one line per host that could not be
// written ("h1: adopt 2 allocations: ..."); those are adopted again next
// time. REQUIRES: lineage not empty.
std::vector<std::string> adopt_allocations(FleetAccess& access, const Workspace& workspace, FleetView& view,
                                           const std::string& lineage);

}  // namespace skiff::cli
