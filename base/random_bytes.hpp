// Random bytes from the kernel (/dev/urandom), for allocation ids and the
// markers that frame commands on a long-lived shell.
#pragma once

#include <array>
#include <cstdint>

namespace skiff::base {

std::array<uint8_t, 16> random_16_bytes();

}  // namespace skiff::base
