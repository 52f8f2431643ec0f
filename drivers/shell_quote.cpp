#include "drivers/shell_quote.hpp"

namespace skiff::drivers {

namespace {

// Words made only of these bytes mean the same quoted or not; leaving them
// bare keeps logged commands readable ("sh -c ..." rather than "'sh' '-c'").
bool is_plain(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
        c == '/' || c == ',' || c == ':' || c == '+' || c == '@' || c == '%';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string shell_quote(std::string_view s) {
  if (is_plain(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('\'');
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& piece : argv) {
    if (!out.empty()) out.push_back(' ');
    out += shell_quote(piece);
  }
  return out;
}

}  // namespace skiff::drivers
