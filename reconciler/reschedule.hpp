// Nomad's reschedule policy for failed allocations, as pure arithmetic: how
// long to wait before placing a failed allocation again (delay,
// delay_function, max_delay) and whether its chain has used up its
// attempts in the sliding interval. Lost allocations (their host is down)
// are not judged here: as in Nomad they are replaced at once and do not
// count against the attempts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parser/spec/policies.hpp"

namespace skiff::reconciler {

// Seconds to wait after a failure when the chain has been rescheduled
// `previous` times already: constant d; exponential d, 2d, 4d, ...;
// fibonacci d, d, 2d, 3d, 5d, ...; never more than max_delay (when set).
int64_t reschedule_delay_seconds(const spec::ReschedulePolicy& policy, int previous);

enum class RescheduleVerdict { kNow, kLater, kExhausted };

struct RescheduleDecision {
  RescheduleVerdict verdict = RescheduleVerdict::kNow;
  int64_t at_unix = 0;  // kNow, kLater: when it may be placed again
  std::string reason;   // kLater: "reschedule in 25s"; kExhausted: "reschedule attempts exhausted (2 in 1h0m0s)"
};

// A failed allocation: failed at `failed_unix` (0: unknown, so long ago
// that the delay has passed; the hosts and the state normally tell),
// its chain rescheduled at `reschedules_unix` before (any order).
// Limited policies allow `attempts` reschedules within the last `interval`;
// the delay grows with the reschedules in that interval (unlimited ones:
// in the last max_delay), so a chain that has run well for a while starts
// again from `delay`.
RescheduleDecision decide_reschedule(const spec::ReschedulePolicy& policy, const std::vector<int64_t>& reschedules_unix,
                                     int64_t failed_unix, int64_t now_unix);

}  // namespace skiff::reconciler
