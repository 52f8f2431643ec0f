#include "base/utc_time.hpp"

#include <chrono>
#include <cstdio>

namespace skiff::base {

std::string rfc3339_utc(int64_t unix_seconds) {
  using namespace std::chrono;
  // floor, not truncation, so instants before 1970 land on the right day.
  const sys_seconds instant{seconds{unix_seconds}};
  const sys_days day = floor<days>(instant);
  const year_month_day date{day};
  const hh_mm_ss<seconds> time{instant - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(date.year()), unsigned(date.month()),
                unsigned(date.day()), int(time.hours().count()), int(time.minutes().count()), int(time.seconds().count()));
  return text;
}

}  // namespace skiff::base
