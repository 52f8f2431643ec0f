// Sizes in bytes as people write them in skiff.hcl ("64MiB", "512KiB")
// and as messages print them ("64 MiB").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace skiff::base {

// "<whole number><unit>", the unit one of B, KiB, MiB, GiB (powers of
// 1024; a space before it is allowed). Nullopt for anything else, a
// missing unit included, and for a size past 2^62 bytes.
std::optional<uint64_t> parse_byte_size(std::string_view text);

// The largest unit that divides `bytes` exactly: "64 MiB", "1536 KiB",
// "1000 bytes".
std::string byte_size_text(uint64_t bytes);

}  // namespace skiff::base
