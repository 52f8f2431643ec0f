#include "base/text.hpp"

#include <algorithm>

namespace skiff::base {

std::string without_trailing_space(std::string text) {
  const size_t end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  return text;
}

bool is_file_path_below(std::string_view relative) {
  if (relative.empty() || relative.front() == '/') return false;
  for (size_t at = 0; at <= relative.size();) {
    const size_t slash = std::min(relative.find('/', at), relative.size());
    const std::string_view part = relative.substr(at, slash - at);
    if (part == ".." || (slash == relative.size() && (part.empty() || part == "."))) return false;
    at = slash + 1;
  }
  return true;
}

bool stays_inside(std::string_view relative, int levels_up) {
  if (relative.empty() || relative.front() == '/') return false;
  int depth = 0;
  for (size_t at = 0; at <= relative.size();) {
    const size_t slash = std::min(relative.find('/', at), relative.size());
    const std::string_view part = relative.substr(at, slash - at);
    if (part == "..") {
      if (--depth < -levels_up) return false;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    at = slash + 1;
  }
  return true;
}

std::string printable(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
      continue;
    }
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace skiff::base
