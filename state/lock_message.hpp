// How a held lock is described to a second writer, the same for every
// backend: who, since when, for what, and the two ways out.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "state/store.hpp"

namespace skiff::state {

// "2026-11-30T09:12:03Z".
std::string format_utc(int64_t unix_seconds);

// `root@laptop (pid 4242) since 2026-11-30T09:12:03Z for "apply" (skiff
// 0.1.0), lock id 5d0f...`.
std::string describe_holder(const LockInfo& holder);

// The kConflict error of a lock() that did not get the lock; `waited` is
// how long it tried (zero: it failed at once).
Error locked_error(const LockInfo& holder, std::chrono::milliseconds waited);

}  // namespace skiff::state
