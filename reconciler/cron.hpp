// Cron expressions as Nomad's periodic block takes them (its cronexpr
// library): five fields (minute hour day-of-month month day-of-week), or
// six with seconds first, or seven with a year last; `*`, lists, ranges,
// steps (`*/15`, `10-50/10`), month and day names (JAN, MON), `?` as `*`,
// and the shorthands @yearly @annually @monthly @weekly @daily @midnight
// @hourly. When both day fields are restricted, either may match, as in
// cron. Pure: time comes in as an argument.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/result.hpp"

namespace skiff::reconciler {

class CronSchedule {
 public:
  // Fails with a message naming the field that is wrong.
  static Result<CronSchedule> parse(const std::string& expression);

  // The first time strictly after `after_unix` that matches, in the zone
  // whose offset from UTC (seconds east) at an instant `utc_offset` gives;
  // nullopt when nothing matches within 5 years (e.g. "0 0 30 2 *").
  std::optional<int64_t> next_after(int64_t after_unix, const std::function<int64_t(int64_t)>& utc_offset = nullptr) const;

 private:
  uint64_t seconds_ = 0;  // bit per allowed value
  uint64_t minutes_ = 0;
  uint32_t hours_ = 0;
  uint32_t days_ = 0;        // 1-31
  uint16_t months_ = 0;      // 1-12
  uint8_t weekdays_ = 0;     // 0-6, Sunday 0
  bool any_day_ = true;      // day-of-month was `*`
  bool any_weekday_ = true;  // day-of-week was `*`
  int year_min_ = 0, year_max_ = 9999;

  bool day_matches(int year, int month, int day) const;
};

}  // namespace skiff::reconciler
