// Writing alloc.json files back on a host: how a state adopts allocations
// (reconciler/ownership.hpp) so that they carry its lineage from then on.
// Pure: the command is text.
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

}  // namespace skiff::drivers
