#include "base/text.hpp"

#include <algorithm>
#include <cctype>

namespace skiff::base {

std::string without_trailing_space(std::string text) {
  const size_t end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  return text;
}

std::string trimmed(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  return std::string(text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1));
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

namespace {

const char kHex[] = "0123456789abcdef";

std::string escaped_controls(std::string_view text, bool keep_lines) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (keep_lines && (c == '\n' || c == '\t')) {
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {  // U+0080..U+009F, the C1 controls
      const unsigned char low = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out += kHex[low >> 4];
      out += kHex[low & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string printable(std::string_view text) { return escaped_controls(text, /*keep_lines=*/false); }

bool is_env_name(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; });
}

std::string terminal_safe(std::string_view text) { return escaped_controls(text, /*keep_lines=*/true); }

}  // namespace skiff::base
