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

std::string printf_literal(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    // A leading '-' would read as an option to some printf(1)s.
    if (ch == '%') out += "%%";
    else if (ch == '-' && out.empty()) out += "\\055";
    else if (ch == '\\') out += "\\\\";
    else if (b >= 0x20 && b < 0x7f) out += ch;
    else
      out += {'\\', static_cast<char>('0' + (b >> 6)), static_cast<char>('0' + ((b >> 3) & 7)), static_cast<char>('0' + (b & 7))};
  }
  return out;
}

}  // namespace skiff::drivers
