// When the reconcile loop runs its next cycle: every --interval, spread by
// ±10% so that loops started together (one per environment, restarted by
// the same deploy) do not fetch and observe in step. Pure: the random draw
// is an argument.
#pragma once

#include <chrono>

namespace skiff::reconciler {

// `interval` times a factor from 0.9 (unit = 0) to 1.1 (unit → 1), never
// below 1 ms. REQUIRES: 0 <= unit < 1.
std::chrono::milliseconds jittered_interval(std::chrono::milliseconds interval, double unit);

}  // namespace skiff::reconciler
