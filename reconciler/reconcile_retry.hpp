// When reconcile tries a commit that failed again: not in a hot loop. A
// failed commit waits 1 minute, then 2, 4, ... up to 30 minutes between
// tries; a new commit goes at once. Pure: the record and the clock are
// arguments.
#pragma once

#include <cstdint>
#include <string>

#include "state/state.hpp"

namespace skiff::reconciler {

// The wait after `failures` (1 or more) failed tries in a row: 60 s
// doubling, at most 1800 s.
int64_t retry_backoff_seconds(int failures);

// When commit `head` may be tried: now (0 when it is not the last
// attempted commit, or that one did not fail), else the last try plus its
// backoff, as Unix seconds.
int64_t next_try_unix(const std::string& head, const state::ReconcileRecord& record);

}  // namespace skiff::reconciler
