// Short content digests: names and hashes that change with their input.
#pragma once

#include <string>
#include <string_view>

namespace skiff::base {

// The first `hex_digits` (at most 64) lower-case hex digits of SHA-256
// over `bytes`.
std::string sha256_hex_prefix(std::string_view bytes, size_t hex_digits);

}  // namespace skiff::base
