// The reconcile loop's interval: spread ±10% by the random draw, never
// zero.
#include "reconciler/cycle_interval.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using skiff::reconciler::jittered_interval;

TEST_CASE("the loop's interval is spread from 90% to 110% by the draw", "[cycle_interval]") {
  CHECK(jittered_interval(60s, 0.0) == 54s);
  CHECK(jittered_interval(60s, 0.5) == 60s);
  CHECK(jittered_interval(60s, 0.75) == 63s);
  CHECK(jittered_interval(60s, 0.99) == 65880ms);
  CHECK(jittered_interval(10ms, 0.0) == 9ms);
  CHECK(jittered_interval(0ms, 0.3) == 1ms);  // never a busy loop
  // A draw outside [0, 1) is held to it.
  CHECK(jittered_interval(60s, -3.0) == 54s);
  CHECK(jittered_interval(60s, 7.0) == 66s);
}
