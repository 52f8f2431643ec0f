#include "reconciler/reschedule.hpp"

#include <algorithm>

namespace skiff::reconciler {

namespace {

int64_t whole_seconds(spec::Duration d) { return d.nanoseconds / 1000000000LL; }

// Reschedules at or after `since`.
int count_since(const std::vector<int64_t>& times, int64_t since) {
  return static_cast<int>(std::count_if(times.begin(), times.end(), [&](int64_t t) { return t >= since; }));
}

}  // namespace

int64_t reschedule_delay_seconds(const spec::ReschedulePolicy& policy, int previous) {
  const int64_t base = std::max<int64_t>(0, whole_seconds(policy.delay));
  const int64_t cap = whole_seconds(policy.max_delay) > 0 ? whole_seconds(policy.max_delay) : INT64_MAX / 4;
  int64_t delay = base;
  switch (policy.delay_function) {
    case spec::DelayFunction::kConstant: break;
    case spec::DelayFunction::kExponential:
      for (int i = 0; i < previous && delay < cap; ++i) delay *= 2;
      break;
    case spec::DelayFunction::kFibonacci: {
      int64_t before = 0;  // d, d, 2d, 3d, 5d: each the sum of the two before
      for (int i = 0; i < previous && delay < cap; ++i) {
        const int64_t next = i == 0 ? base : delay + before;
        before = delay;
        delay = next;
      }
      break;
    }
  }
  return std::min(delay, cap);
}

RescheduleDecision decide_reschedule(const spec::ReschedulePolicy& policy, const std::vector<int64_t>& reschedules_unix,
                                     int64_t failed_unix, int64_t now_unix) {
  const bool known = failed_unix > 0;
  const int64_t failed = known ? std::min(failed_unix, now_unix) : now_unix;
  const int64_t interval = whole_seconds(policy.interval);
  RescheduleDecision decision;
  if (!policy.unlimited) {
    const int used = count_since(reschedules_unix, now_unix - interval);
    if (used >= policy.attempts) {
      decision.verdict = RescheduleVerdict::kExhausted;
      decision.reason =
          "reschedule attempts exhausted (" + std::to_string(used) + " in " + spec::format_duration(policy.interval) + ")";
      return decision;
    }
  }
  const int64_t window = policy.unlimited ? whole_seconds(policy.max_delay) : interval;
  const int previous = count_since(reschedules_unix, failed - window);
  decision.at_unix = known ? failed + reschedule_delay_seconds(policy, previous) : now_unix;
  if (decision.at_unix <= now_unix) return decision;
  decision.verdict = RescheduleVerdict::kLater;
  decision.reason = "reschedule in " + spec::format_duration(spec::Duration::seconds(decision.at_unix - now_unix));
  return decision;
}

}  // namespace skiff::reconciler
