// Down after a grace: a host skiff could not reach is "unreachable" until
// it has been so for skiff.hcl's fleet.down_after, then "down". Pure: the
// time it was first found unreachable and the clock are arguments.
#pragma once

#include <cstdint>
#include <optional>

#include "reconciler/scheduler/cluster.hpp"

namespace skiff::reconciler {

// For a node that could not be observed now: kUnreachable with "unreachable
// for 4s; down after 30s", or kDown with "unreachable for 1m0s" (or
// "unreachable" alone when that is all that is known). `since`: the
// state's down_since_unix; none: it is the first time (now).
void judge_unreachable(Node& node, std::optional<int64_t> since_unix, int64_t now_unix, int64_t down_after_seconds);

}  // namespace skiff::reconciler
