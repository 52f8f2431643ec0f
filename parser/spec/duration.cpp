#include "parser/spec/duration.hpp"

#include <cmath>
#include <cstdlib>

namespace skiff::spec {

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return Duration{0};
  if (text.empty()) return std::nullopt;
  long double total = 0;
  while (!text.empty()) {
    size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) ++digits;
    if (digits == 0) return std::nullopt;
    std::string number(text.substr(0, digits));
    if (number == ".") return std::nullopt;
    text.remove_prefix(digits);
    size_t unit_length = 0;
    while (unit_length < text.size() && !std::isdigit(static_cast<unsigned char>(text[unit_length])) && text[unit_length] != '.')
      ++unit_length;
    std::string_view unit = text.substr(0, unit_length);
    text.remove_prefix(unit_length);
    long double scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else return std::nullopt;
    total += std::strtold(number.c_str(), nullptr) * scale;
  }
  if (total > 9.2e18L) return std::nullopt;
  return Duration{static_cast<int64_t>(std::llround(static_cast<double>(negative ? -total : total)))};
}

namespace {

// Go prints fractions without trailing zeros: 1.5s, 2.25ms.
std::string fraction(int64_t whole, int64_t part, int64_t unit) {
  std::string out = std::to_string(whole);
  if (part == 0) return out;
  std::string digits = std::to_string(part + unit).substr(1);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

}  // namespace

std::string format_duration(Duration duration) {
  int64_t ns = duration.nanoseconds;
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + fraction(u / 1000, u % 1000, 1000) + "us";
  if (u < 1000000000) return sign + fraction(u / 1000000, u % 1000000, 1000000) + "ms";
  uint64_t seconds = u / 1000000000, rest = u % 1000000000;
  std::string out = fraction(seconds % 60, rest, 1000000000) + "s";
  uint64_t minutes = seconds / 60;
  if (minutes == 0) return sign + out;
  out = std::to_string(minutes % 60) + "m" + out;
  uint64_t hours = minutes / 60;
  if (hours == 0) return sign + out;
  return sign + std::to_string(hours) + "h" + out;
}

}  // namespace skiff::spec
