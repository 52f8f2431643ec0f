#include "state/uuid.hpp"

#include <cstdint>
#include <vector>

#include "base/random_bytes.hpp"

namespace skiff::state {

Result<std::string> new_uuid() {
  Result<std::vector<uint8_t>> random = base::random_bytes(16);
  if (!random.ok()) return random.error();
  std::vector<uint8_t>& bytes = *random;
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0F];
  }
  return text;
}

}  // namespace skiff::state
