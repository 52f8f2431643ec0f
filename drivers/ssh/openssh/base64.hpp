// Standard base64 (RFC 4648, `+/` alphabet), as used in known_hosts lines,
// public key files and OpenSSH fingerprints.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace skiff::drivers {

enum class Padding { kPad, kNoPad };

std::string base64_encode(std::string_view bytes, Padding padding = Padding::kPad);

// Returns nullopt for characters outside the alphabet or a bad length.
// Trailing '=' padding is optional.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace skiff::drivers
