// Random UUIDs (version 4) for the state's lineage and lock ids, from
// base::random_bytes (base, not drivers: the state depends on no transport
// or driver code).
#pragma once

#include <string>

#include "base/result.hpp"

namespace skiff::state {

// "5d0f2c1e-8a3b-4c7d-9e2f-0123456789ab"; fails only when there are no
// random bytes to be had.
Result<std::string> new_uuid();

}  // namespace skiff::state
