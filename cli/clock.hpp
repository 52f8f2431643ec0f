// The wall clock, read in one place. The core (schedule, diff, apply) takes
// the time as an argument; the CLI reads it here and hands it on, so a test
// of the core never depends on when it runs.
#pragma once

#include <cstdint>

namespace skiff::cli {

// Seconds since the Unix epoch, UTC (system_clock, so it may jump with NTP).
int64_t now_unix();

}  // namespace skiff::cli
