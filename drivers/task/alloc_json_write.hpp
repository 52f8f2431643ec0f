// Writing alloc.json files back on a host: how a state adopts allocations
// (reconciler/ownership.hpp) so that they carry its lineage from then on,
// and how an apply updates one in place. Never through a symbolic link a
// task put in its allocation's folder (drivers/scripts/symlink_guard.sh):
// the command fails naming the link instead. Pure: the command is text.
#pragma once

#include <vector>

#include "drivers/task/allocation.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

// One command that rewrites the alloc.json of every allocation in
// `allocations` (all on the same host) with allocation_to_json of it,
// atomically each (drivers/scripts/alloc_json_write.sh); a folder that is
// gone is skipped. REQUIRES: every id is one skiff makes (is_allocation_id).
Command write_alloc_json_command(const std::vector<Allocation>& allocations);

// The command that rewrites one allocation's alloc.json, whole; its folder
// must exist. REQUIRES: the id is one skiff makes.
Command update_alloc_json_command(const Allocation& allocation);

}  // namespace skiff::drivers
