// Standard base64 (RFC 4648, with padding), through OpenSSL: for bytes that
// must travel in JSON, which holds only text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace skiff::base {

std::string base64_encode(std::string_view bytes);

// The bytes, or nullopt for text that is not base64 of the form
// base64_encode writes (a length that is not a multiple of 4, a character
// outside the alphabet, padding in the middle).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace skiff::base
