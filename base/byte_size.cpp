#include "base/byte_size.hpp"

#include <array>
#include <charconv>

namespace skiff::base {

namespace {

struct Unit {
  std::string_view name;
  uint64_t bytes;
};

constexpr std::array<Unit, 4> kUnits = {
    {{"GiB", uint64_t{1} << 30}, {"MiB", uint64_t{1} << 20}, {"KiB", uint64_t{1} << 10}, {"B", 1}}};
constexpr uint64_t kLargest = uint64_t{1} << 62;

}  // namespace

std::optional<uint64_t> parse_byte_size(std::string_view text) {
  uint64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit = text.substr(static_cast<size_t>(end - text.data()));
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    if (number > kLargest / u.bytes) return std::nullopt;
    return number * u.bytes;
  }
  return std::nullopt;
}

std::string byte_size_text(uint64_t bytes) {
  for (const Unit& u : kUnits) {
    if (u.bytes > 1 && bytes >= u.bytes && bytes % u.bytes == 0)
      return std::to_string(bytes / u.bytes) + " " + std::string(u.name);
  }
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

}  // namespace skiff::base
