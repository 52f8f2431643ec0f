#include "reconciler/cron.hpp"

#include <array>
#include <cctype>
#include <sstream>
#include <vector>

namespace skiff::reconciler {

namespace {

struct FieldSpec {
  const char* name;
  int min, max;
  const char* const* names;  // value names from `min`, or null
};

constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", nullptr};
constexpr const char* kWeekdays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", nullptr};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::optional<int> value_of(const std::string& text, const FieldSpec& field) {
  if (field.names)
    for (int i = 0; field.names[i]; ++i)
      if (upper(text) == field.names[i]) return field.min + i;
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(text);
}

std::vector<std::string> split(const std::string& text, char at) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, at)) parts.push_back(part);
  if (!text.empty() && text.back() == at) parts.push_back("");
  return parts;
}

// One field as a set of allowed values (bits from 0); `star` says it was * or ?.
Result<uint64_t> parse_field(const std::string& text, const FieldSpec& field, bool& star) {
  star = text == "*" || text == "?";
  uint64_t bits = 0;
  for (const std::string& item : split(text, ',')) {
    auto bad = [&] {
      return make_error(ErrorCode::kInvalidArgument, std::string(field.name) + " field \"" + text + "\" is not valid");
    };
    std::vector<std::string> stepped = split(item, '/');
    if (stepped.empty() || stepped.size() > 2) return bad();
    int step = 1;
    if (stepped.size() == 2) {
      auto s = value_of(stepped[1], FieldSpec{field.name, 1, 1000, nullptr});
      if (!s || *s < 1) return bad();
      step = *s;
    }
    int low = field.min, high = field.max;
    if (stepped[0] != "*" && stepped[0] != "?") {
      std::vector<std::string> range = split(stepped[0], '-');
      if (range.empty() || range.size() > 2) return bad();
      auto a = value_of(range[0], field);
      auto b = range.size() == 2 ? value_of(range[1], field) : a;
      if (!a || !b) return bad();
      low = *a;
      high = range.size() == 2 || stepped.size() == 1 ? *b : field.max;
      if (field.max == 6 && high == 7) high = 6, bits |= 1;  // 7 is Sunday too
      if (low < field.min || high > field.max || low > high) return bad();
    }
    for (int v = low; v <= high; v += step) bits |= uint64_t{1} << v;
  }
  return bits;
}

std::string expand_shorthand(const std::string& expression) {
  if (expression == "@yearly" || expression == "@annually") return "0 0 0 1 1 * *";
  if (expression == "@monthly") return "0 0 0 1 * * *";
  if (expression == "@weekly") return "0 0 0 * * 0 *";
  if (expression == "@daily" || expression == "@midnight") return "0 0 0 * * * *";
  if (expression == "@hourly") return "0 0 * * * * *";
  return expression;
}

// Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int year;
  int month, day, hour, minute, second;
};

Civil civil_from_seconds(int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  return {y,
          static_cast<int>(m),
          static_cast<int>(d),
          static_cast<int>(secs / 3600),
          static_cast<int>(secs / 60 % 60),
          static_cast<int>(secs % 60)};
}

}  // namespace

Result<CronSchedule> CronSchedule::parse(const std::string& expression) {
  std::istringstream in(expand_shorthand(expression));
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() == 5) fields.insert(fields.begin(), "0");
  if (fields.size() == 6) fields.push_back("*");
  if (fields.size() != 7)
    return make_error(ErrorCode::kInvalidArgument, "cron \"" + expression + "\" needs 5 fields (minute hour day month weekday)");
  const std::array<FieldSpec, 6> specs = {FieldSpec{"second", 0, 59, nullptr}, FieldSpec{"minute", 0, 59, nullptr},
                                          FieldSpec{"hour", 0, 23, nullptr},   FieldSpec{"day-of-month", 1, 31, nullptr},
                                          FieldSpec{"month", 1, 12, kMonths},  FieldSpec{"day-of-week", 0, 6, kWeekdays}};
  CronSchedule s;
  std::array<uint64_t, 6> bits{};
  std::array<bool, 6> star{};
  for (size_t i = 0; i < specs.size(); ++i) {
    Result<uint64_t> b = parse_field(fields[i], specs[i], star[i]);
    if (!b.ok()) return b.error().wrap("cron \"" + expression + "\"");
    bits[i] = *b;
  }
  s.seconds_ = bits[0];
  s.minutes_ = bits[1];
  s.hours_ = static_cast<uint32_t>(bits[2]);
  s.days_ = static_cast<uint32_t>(bits[3]);
  s.months_ = static_cast<uint16_t>(bits[4]);
  s.weekdays_ = static_cast<uint8_t>(bits[5]);
  s.any_day_ = star[3];
  s.any_weekday_ = star[5];
  if (fields[6] != "*") {
    std::vector<std::string> range = split(fields[6], '-');
    auto a = value_of(range[0], FieldSpec{"year", 1970, 2099, nullptr});
    auto b = range.size() == 2 ? value_of(range[1], FieldSpec{"year", 1970, 2099, nullptr}) : a;
    if (!a || !b || range.size() > 2)
      return make_error(ErrorCode::kInvalidArgument,
                        "cron \"" + expression + "\": year field \"" + fields[6] + "\" is not valid");
    s.year_min_ = *a;
    s.year_max_ = *b;
  }
  return s;
}

bool CronSchedule::day_matches(int year, int month, int day) const {
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  const bool by_day = (days_ >> day) & 1u;
  const bool by_weekday = (weekdays_ >> weekday) & 1u;
  if (any_day_) return by_weekday;
  if (any_weekday_) return by_day;
  return by_day || by_weekday;
}

std::optional<int64_t> CronSchedule::next_after(int64_t after_unix, const std::function<int64_t(int64_t)>& utc_offset) const {
  auto offset = [&](int64_t t) { return utc_offset ? utc_offset(t) : 0; };
  // Search in local time, day by day, then within the day second by second
  // through the allowed hours and minutes only.
  const int64_t local_start = after_unix + offset(after_unix) + 1;
  Civil c = civil_from_seconds(local_start);
  int64_t day = days_from_civil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day));
  int64_t first_second = c.hour * 3600 + c.minute * 60 + c.second;
  for (int i = 0; i < 5 * 366; ++i, ++day, first_second = 0) {
    Civil d = civil_from_seconds(day * 86400);
    if (d.year < year_min_ || d.year > year_max_ || !((months_ >> d.month) & 1u) || !day_matches(d.year, d.month, d.day))
      continue;
    for (int h = static_cast<int>(first_second / 3600); h < 24; ++h) {
      if (!((hours_ >> h) & 1u)) continue;
      for (int m = 0; m < 60; ++m) {
        if (!((minutes_ >> m) & 1u)) continue;
        for (int s = 0; s < 60; ++s) {
          const int64_t in_day = h * 3600 + m * 60 + s;
          if (in_day < first_second || !((seconds_ >> s) & 1u)) continue;
          const int64_t local = day * 86400 + in_day;
          return local - offset(local - offset(local));
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace skiff::reconciler
