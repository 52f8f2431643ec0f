// The reschedule policy's arithmetic (reschedule.hpp) and the grace before
// an unreachable host counts as down (host_grace.hpp).
#include <catch2/catch.hpp>

#include "reconciler/host_grace.hpp"
#include "reconciler/reschedule.hpp"

using namespace skiff;
using namespace skiff::reconciler;

namespace {

spec::ReschedulePolicy policy(spec::DelayFunction f, int64_t delay_s, int64_t max_delay_s) {
  spec::ReschedulePolicy p;
  p.delay_function = f;
  p.delay = spec::Duration::seconds(delay_s);
  p.max_delay = spec::Duration::seconds(max_delay_s);
  return p;
}

std::vector<int64_t> delays(const spec::ReschedulePolicy& p, int n) {
  std::vector<int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(reschedule_delay_seconds(p, i));
  return out;
}

}  // namespace

TEST_CASE("reschedule delays follow delay_function and stop at max_delay", "[reschedule]") {
  CHECK(delays(policy(spec::DelayFunction::kConstant, 5, 3600), 4) == std::vector<int64_t>{5, 5, 5, 5});
  CHECK(delays(policy(spec::DelayFunction::kExponential, 30, 200), 5) == std::vector<int64_t>{30, 60, 120, 200, 200});
  CHECK(delays(policy(spec::DelayFunction::kFibonacci, 10, 75), 7) == std::vector<int64_t>{10, 10, 20, 30, 50, 75, 75});
  // Far along the chain the doubling does not overflow.
  CHECK(reschedule_delay_seconds(policy(spec::DelayFunction::kExponential, 30, 3600), 500) == 3600);
  // No max_delay: no cap.
  CHECK(reschedule_delay_seconds(policy(spec::DelayFunction::kExponential, 1, 0), 10) == 1024);
}

TEST_CASE("a failed allocation waits out its delay, counted from when it failed", "[reschedule]") {
  spec::ReschedulePolicy p = policy(spec::DelayFunction::kExponential, 30, 3600);  // unlimited, the service default
  RescheduleDecision first = decide_reschedule(p, {}, 1000, 1005);
  CHECK(first.verdict == RescheduleVerdict::kLater);
  CHECK(first.at_unix == 1030);
  CHECK(first.reason == "reschedule in 25s");
  CHECK(decide_reschedule(p, {}, 1000, 1030).verdict == RescheduleVerdict::kNow);
  // Unknown failure time: long ago, the delay has passed.
  CHECK(decide_reschedule(p, {4990}, 0, 5000).verdict == RescheduleVerdict::kNow);
  // Rescheduled twice in the last max_delay: 30s * 2^2.
  CHECK(decide_reschedule(p, {900, 950}, 1000, 1000).at_unix == 1120);
  // A chain that has run well for longer than max_delay starts again from delay.
  CHECK(decide_reschedule(p, {100, 200}, 10000, 10000).at_unix == 10030);
}

TEST_CASE("a limited policy allows attempts reschedules per sliding interval", "[reschedule]") {
  spec::ReschedulePolicy p = policy(spec::DelayFunction::kConstant, 5, 3600);
  p.unlimited = false;
  p.attempts = 2;
  p.interval = spec::Duration::hours(1);
  CHECK(decide_reschedule(p, {9000}, 10000, 10010).verdict == RescheduleVerdict::kNow);
  RescheduleDecision used = decide_reschedule(p, {8000, 9000}, 10000, 10010);
  CHECK(used.verdict == RescheduleVerdict::kExhausted);
  CHECK(used.reason == "reschedule attempts exhausted (2 in 1h0m0s)");
  // The older attempt has left the window.
  CHECK(decide_reschedule(p, {6000, 9000}, 10000, 10010).verdict == RescheduleVerdict::kNow);
  // Batch's default: once in 24h.
  spec::ReschedulePolicy batch = p;
  batch.attempts = 1;
  batch.interval = spec::Duration::hours(24);
  CHECK(decide_reschedule(batch, {}, 10000, 10010).verdict == RescheduleVerdict::kNow);
  CHECK(decide_reschedule(batch, {10000 - 23 * 3600}, 10000, 10010).reason == "reschedule attempts exhausted (1 in 24h0m0s)");
  // attempts = 0 and not unlimited: never.
  batch.attempts = 0;
  CHECK(decide_reschedule(batch, {}, 10000, 10010).verdict == RescheduleVerdict::kExhausted);
}

TEST_CASE("an unreachable host is down once down_after has passed since it was first unreachable", "[reschedule][down]") {
  Node node;
  node.name = "h3";
  judge_unreachable(node, std::nullopt, 1000, 0);
  CHECK(node.status == NodeStatus::kDown);
  CHECK(node.status_reason == "unreachable");

  judge_unreachable(node, std::nullopt, 1000, 30);
  CHECK(node.status == NodeStatus::kUnreachable);
  CHECK(node.status_reason == "unreachable; down after 30s");
  judge_unreachable(node, 996, 1000, 30);
  CHECK(node.status == NodeStatus::kUnreachable);
  CHECK(node.status_reason == "unreachable for 4s; down after 30s");
  judge_unreachable(node, 970, 1000, 30);
  CHECK(node.status == NodeStatus::kDown);
  CHECK(node.status_reason == "unreachable for 30s");
}
