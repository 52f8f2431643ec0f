// Durations as Nomad writes them: Go duration strings ("10s", "1m30s",
// "250ms", "1h"), held as nanoseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::spec {

struct Duration {
  int64_t nanoseconds = 0;

  static constexpr Duration seconds(int64_t s) { return Duration{s * 1000000000LL}; }
  static constexpr Duration minutes(int64_t m) { return seconds(m * 60); }
  static constexpr Duration hours(int64_t h) { return minutes(h * 60); }
  bool operator==(const Duration&) const = default;
  auto operator<=>(const Duration&) const = default;
};

// Parses Go's duration syntax: a sequence of decimal numbers with units ns,
// us (µs), ms, s, m, h, optionally signed; "0" alone is allowed.
std::optional<Duration> parse_duration(std::string_view text);

// Formats as Go's time.Duration.String(): "1h0m0s", "1m30s", "250ms", "0s".
std::string format_duration(Duration duration);

}  // namespace skiff::spec
