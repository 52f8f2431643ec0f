// Cron schedules of periodic jobs: next launch times, in UTC and in a zone.
#include <catch2/catch.hpp>

#include "reconciler/cron.hpp"

using skiff::reconciler::CronSchedule;

namespace {

// 2026-11-30T08:07:30Z, a Monday.
constexpr int64_t kNow = 1796026050;

int64_t next(const std::string& cron, int64_t after = kNow) {
  auto schedule = CronSchedule::parse(cron);
  INFO(cron << ": " << (schedule.ok() ? "" : schedule.error().message));
  REQUIRE(schedule.ok());
  auto t = schedule->next_after(after);
  REQUIRE(t);
  return *t;
}

}  // namespace

TEST_CASE("the next launch of common cron expressions", "[cron]") {
  CHECK(next("*/15 * * * *") == kNow - 450 + 900);        // 08:15:00
  CHECK(next("0 * * * *") == kNow - 7 * 60 - 30 + 3600);  // 09:00:00
  CHECK(next("@daily") == 1796083200);                    // 2026-12-01T00:00:00Z
  CHECK(next("30 2 * * SUN") == 1796524200);              // Sunday 2026-12-06T02:30:00Z
  CHECK(next("0 0 1 JAN *") == 1798761600);               // 2027-01-01
  CHECK(next("0 9 * * 1-5", 1796083200) == 1796115600);   // Tuesday 09:00
  CHECK(next("0 0 29 2 *") == 1835395200);                // 2028-02-29, the next leap day
  const int64_t midnight = kNow - (8 * 3600 + 7 * 60 + 30);
  CHECK(next("30 15 10 * * *") == midnight + 10 * 3600 + 15 * 60 + 30);  // six fields: seconds first
}

TEST_CASE("restricted day-of-month and day-of-week match either, as cron does", "[cron]") {
  CHECK(next("0 0 1 * FRI") == 1796083200);               // Tuesday the 1st comes before Friday the 4th
  CHECK(next("0 0 13 * FRI", 1796083200) == 1796342400);  // Friday the 4th comes before the 13th
}

TEST_CASE("a zone's offset moves the launch", "[cron]") {
  auto schedule = CronSchedule::parse("0 9 * * *");
  REQUIRE(schedule.ok());
  // UTC+1: 09:00 local is 08:00Z, already past today: tomorrow 08:00Z.
  auto t = schedule->next_after(kNow, [](int64_t) { return int64_t{3600}; });
  REQUIRE(t);
  CHECK(*t == 1796083200 + 8 * 3600);
}

TEST_CASE("bad cron expressions are refused with the field named", "[cron]") {
  auto bad = CronSchedule::parse("61 * * * *");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "cron \"61 * * * *\": minute field \"61\" is not valid");
  CHECK_FALSE(CronSchedule::parse("* * *").ok());
  CHECK_FALSE(CronSchedule::parse("0 0 * FOO *").ok());
  auto never = CronSchedule::parse("0 0 30 2 *");
  REQUIRE(never.ok());
  CHECK_FALSE(never->next_after(kNow));
}
