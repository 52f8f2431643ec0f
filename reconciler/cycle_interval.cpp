#include "reconciler/cycle_interval.hpp"

#include <algorithm>
#include <cmath>

namespace skiff::reconciler {

std::chrono::milliseconds jittered_interval(std::chrono::milliseconds interval, double unit) {
  const double factor = 0.9 + 0.2 * std::clamp(unit, 0.0, 1.0);
  const auto scaled = static_cast<int64_t>(std::llround(static_cast<double>(interval.count()) * factor));
  return std::chrono::milliseconds(std::max<int64_t>(1, scaled));
}

}  // namespace skiff::reconciler
