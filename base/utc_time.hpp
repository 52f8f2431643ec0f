// UTC timestamps for plans, computed with civil-date arithmetic only: no
// time zone database, no clock, the same text on every machine.
#pragma once

#include <cstdint>
#include <string>

namespace skiff::base {

// "2026-12-01T00:00:00Z" for 1796083200. Seconds only, always UTC.
std::string rfc3339_utc(int64_t unix_seconds);

}  // namespace skiff::base
