// formatdate and timeadd: cty's stdlib datetime.go. Timestamps are RFC 3339
// strings; a timestamp keeps its UTC offset through both functions, as Go's
// time.Time does.
#include <cstdio>
#include <variant>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

struct Timestamp {
  int64_t seconds = 0;  // since the Unix epoch, UTC
  int64_t nanos = 0;
  int offset = 0;  // seconds east of UTC
};

struct Civil {
  int64_t year;
  int month, day, hour, minute, second, weekday;  // weekday: 0 = Sunday
};

// Howard Hinnant's days-from-civil and civil-from-days algorithms.
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil civil_from_seconds(int64_t seconds) {
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t rem = seconds - days * 86400;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  Civil c;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2);
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem / 60 % 60);
  c.second = static_cast<int>(rem % 60);
  c.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  return c;
}

int days_in_month(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Go's time.Parse(time.RFC3339, ...) with cty's friendlier error messages.
class Rfc3339Parser {
 public:
  explicit Rfc3339Parser(std::string_view text) : text_(text) {}

  // Returns the timestamp or an error message.
  std::variant<Timestamp, std::string> parse() {
    try {
      int64_t year = number(4, 4, "year");
      literal("-");
      int month = static_cast<int>(number(2, 2, "month"));
      literal("-");
      int day = static_cast<int>(number(2, 2, "day of month"));
      if (pos_ >= text_.size() || text_[pos_] != 'T') throw std::string("missing required time introducer 'T'");
      ++pos_;
      int hour = static_cast<int>(number(1, 2, "hour"));
      literal(":");
      int minute = static_cast<int>(number(2, 2, "minute"));
      literal(":");
      int second = static_cast<int>(number(2, 2, "second"));
      int64_t nanos = fraction();
      int offset = zone();
      if (pos_ != text_.size()) throw std::string("extra text: \"" + std::string(text_.substr(pos_)) + "\"");
      if (month < 1 || month > 12) throw std::string("month out of range");
      if (day < 1 || day > days_in_month(year, month)) throw std::string("day out of range");
      if (hour > 23) throw std::string("hour out of range");
      if (minute > 59) throw std::string("minute out of range");
      if (second > 59) throw std::string("second out of range");
      Timestamp t;
      t.seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
      t.nanos = nanos;
      t.offset = offset;
      return t;
    } catch (const std::string& message) {
      return "not a valid RFC3339 timestamp: " + message;
    }
  }

 private:
  std::string rest() const { return std::string(text_.substr(pos_)); }

  int64_t number(size_t min_digits, size_t max_digits, const char* what) {
    size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && pos_ - start < max_digits && text_[pos_] >= '0' && text_[pos_] <= '9') {
      value = value * 10 + (text_[pos_++] - '0');
    }
    if (pos_ - start < min_digits) {
      pos_ = start;
      if (pos_ >= text_.size()) throw std::string("end of string before ") + what;
      throw "cannot use \"" + rest() + "\" as " + what;
    }
    return value;
  }

  void literal(const char* expected) {
    if (pos_ >= text_.size()) throw "end of string where \"" + std::string(expected) + "\" is expected";
    if (text_[pos_] != expected[0]) throw "found \"" + rest() + "\" where \"" + expected + "\" is expected";
    ++pos_;
  }

  int64_t fraction() {
    if (pos_ >= text_.size() || (text_[pos_] != '.' && text_[pos_] != ',')) return 0;
    size_t start = ++pos_;
    int64_t nanos = 0;
    size_t digits = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (digits++ < 9) nanos = nanos * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (pos_ == start) throw "cannot use \"" + rest() + "\" as second";
    for (; digits < 9; ++digits) nanos *= 10;
    return nanos;
  }

  int zone() {
    if (pos_ >= text_.size()) throw std::string("end of string before UTC offset");
    if (text_[pos_] == 'Z') {
      ++pos_;
      return 0;
    }
    std::string_view z = text_.substr(pos_);
    bool shaped = z.size() >= 6 && (z[0] == '+' || z[0] == '-') && z[3] == ':';
    for (size_t i : {1, 2, 4, 5}) shaped = shaped && i < z.size() && z[i] >= '0' && z[i] <= '9';
    if (!shaped) throw "cannot use \"" + rest() + "\" as UTC offset";
    int hours = (z[1] - '0') * 10 + (z[2] - '0');
    int minutes = (z[4] - '0') * 10 + (z[5] - '0');
    if (hours > 24 || minutes > 60) throw std::string("UTC offset out of range");
    pos_ += 6;
    int offset = hours * 3600 + minutes * 60;
    return z[0] == '-' ? -offset : offset;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Timestamp timestamp_arg(Args args, size_t index, std::string_view parameter) {
  std::string text = string_arg(args, index, parameter);
  auto parsed = Rfc3339Parser(text).parse();
  if (auto* error = std::get_if<std::string>(&parsed)) fail_argument(index, parameter, *error);
  return std::get<Timestamp>(parsed);
}

std::string year4(int64_t year) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(year));
  return buf;
}

std::string two(int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", n);
  return buf;
}

// Go's "-0700" / "-07:00" zone layouts.
std::string zone_text(int offset, bool colon) {
  int magnitude = offset < 0 ? -offset : offset;
  return std::string(offset < 0 ? "-" : "+") + two(magnitude / 3600) + (colon ? ":" : "") + two(magnitude / 60 % 60);
}

std::string format_rfc3339(const Timestamp& t) {
  Civil c = civil_from_seconds(t.seconds + t.offset);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d", static_cast<long long>(c.year), c.month, c.day, c.hour,
                c.minute, c.second);
  return buf + (t.offset == 0 ? std::string("Z") : zone_text(t.offset, true));
}

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kWeekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

[[noreturn]] void bad_verb(const std::string& token, const std::string& rule) {
  std::string reason = "invalid date format verb \"" + token + "\"";
  if (!rule.empty()) reason += ": " + rule;
  fail_argument(0, "format", reason);
}

void append_verb(std::string& out, const std::string& tok, const Timestamp& t) {
  Civil c = civil_from_seconds(t.seconds + t.offset);
  size_t n = tok.size();
  int hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
  auto number = [&](int value, const char* rule) {
    if (n == 1) out += std::to_string(value);
    else if (n == 2) out += two(value);
    else bad_verb(tok, rule);
  };
  switch (tok[0]) {
    case 'Y':
      if (n == 2) out += two(static_cast<int>(((c.year % 100) + 100) % 100));
      else if (n == 4) out += year4(c.year);
      else bad_verb(tok, "year must either be \"YY\" or \"YYYY\"");
      return;
    case 'M':
      if (n <= 2) number(c.month, "");
      else if (n == 3) out += std::string(kMonths[c.month - 1]).substr(0, 3);
      else if (n == 4) out += kMonths[c.month - 1];
      else bad_verb(tok, "month must be \"M\", \"MM\", \"MMM\", or \"MMMM\"");
      return;
    case 'D': number(c.day, "day of month must either be \"D\" or \"DD\""); return;
    case 'E':
      if (n == 3) out += std::string(kWeekdays[c.weekday]).substr(0, 3);
      else if (n == 4) out += kWeekdays[c.weekday];
      else bad_verb(tok, "day of week must either be \"EEE\" or \"EEEE\"");
      return;
    case 'h': number(c.hour, "24-hour must either be \"h\" or \"hh\""); return;
    case 'H': number(hour12, "12-hour must either be \"H\" or \"HH\""); return;
    case 'A':
    case 'a':
      if (n != 2) bad_verb(tok, "must be \"" + std::string(2, tok[0]) + "\"");
      out += c.hour < 12 ? (tok[0] == 'A' ? "AM" : "am") : (tok[0] == 'A' ? "PM" : "pm");
      return;
    case 'm': number(c.minute, "minute must either be \"m\" or \"mm\""); return;
    case 's': number(c.second, "second must either be \"s\" or \"ss\""); return;
    case 'Z':
      if (n == 1) out += t.offset == 0 ? "Z" : zone_text(t.offset, true);
      else if (n == 3) out += t.offset == 0 ? "UTC" : zone_text(t.offset, false);
      else if (n == 4) out += zone_text(t.offset, false);
      else if (n == 5) out += zone_text(t.offset, true);
      else bad_verb(tok, "timezone must be Z, ZZZZ, or ZZZZZ");
      return;
    default: bad_verb(tok, "");
  }
}

// formatdate(format, time): letters repeated form verbs ("YYYY", "MMM"), text
// in single quotes is literal ('' is a quote), anything else is copied.
Value formatdate(Args args, const FunctionContext&) {
  std::string format = string_arg(args, 0, "format");
  Timestamp t = timestamp_arg(args, 1, "time");
  std::string out;
  for (size_t pos = 0; pos < format.size();) {
    char c = format[pos];
    if (c == '\'') {
      if (pos + 1 < format.size() && format[pos + 1] == '\'') {
        out += '\'';
        pos += 2;
        continue;
      }
      size_t i = pos + 1;
      std::string literal;
      for (;; ++i) {
        if (i >= format.size()) fail_argument(0, "format", "unterminated literal '");
        if (format[i] == '\'') {
          if (i + 1 < format.size() && format[i + 1] == '\'') {
            literal += '\'';
            ++i;
            continue;
          }
          break;
        }
        literal += format[i];
      }
      out += literal;
      pos = i + 1;
    } else if (is_ascii_letter(c)) {
      size_t end = pos;
      while (end < format.size() && format[end] == c) ++end;
      append_verb(out, format.substr(pos, end - pos), t);
      pos = end;
    } else {
      out += c;
      ++pos;
    }
  }
  return Value::string(std::move(out));
}

// Go's time.ParseDuration, in nanoseconds.
int64_t parse_duration(const std::string& original) {
  auto invalid = [&]() -> int64_t { fail_argument(1, "duration", "time: invalid duration \"" + original + "\""); };
  std::string_view s = original;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return invalid();
  static const std::vector<std::pair<std::string, double>> kUnits = {
      {"ns", 1}, {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"\xCE\xBCs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  long double total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    size_t i = 0;
    long double value = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) value = value * 10 + (s[i] - '0');
    bool digits_before = i > 0, digits_after = false;
    if (i < s.size() && s[i] == '.') {
      long double scale = 1;
      for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        scale /= 10;
        value += (s[i] - '0') * scale;
        digits_after = true;
      }
    }
    if (!digits_before && !digits_after) return invalid();
    s.remove_prefix(i);
    size_t unit_end = 0;
    while (unit_end < s.size() && s[unit_end] != '.' && !(s[unit_end] >= '0' && s[unit_end] <= '9')) ++unit_end;
    if (unit_end == 0) fail_argument(1, "duration", "time: missing unit in duration \"" + original + "\"");
    std::string unit(s.substr(0, unit_end));
    s.remove_prefix(unit_end);
    double scale = 0;
    for (const auto& [name, nanos] : kUnits) scale = name == unit ? nanos : scale;
    if (scale == 0) fail_argument(1, "duration", "time: unknown unit \"" + unit + "\" in duration \"" + original + "\"");
    total += value * scale;
    if (total > 9.223372036854775807e18L) return invalid();
  }
  int64_t nanos = static_cast<int64_t>(total);
  return negative ? -nanos : nanos;
}

Value timeadd(Args args, const FunctionContext&) {
  Timestamp t = timestamp_arg(args, 0, "timestamp");
  int64_t duration = parse_duration(string_arg(args, 1, "duration"));
  int64_t nanos = t.nanos + duration % 1000000000;
  t.seconds += duration / 1000000000 + (nanos >= 1000000000 ? 1 : nanos < 0 ? -1 : 0);
  t.nanos = (nanos % 1000000000 + 1000000000) % 1000000000;
  return Value::string(format_rfc3339(t));
}

}  // namespace

std::vector<FunctionSpec> time_function_specs() {
  return {
      {"formatdate", 2, 2, false, formatdate},
      {"timeadd", 2, 2, false, timeadd},
  };
}

}  // namespace skiff::parser
