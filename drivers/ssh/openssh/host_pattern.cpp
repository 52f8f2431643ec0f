#include "drivers/ssh/openssh/host_pattern.hpp"

#include <cctype>

namespace skiff::drivers {

namespace {

bool same_char(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

}  // namespace

// Iterative glob with single-star backtracking: linear in practice and never
// recursive, so a hostile pattern cannot blow the stack.
bool match_pattern(std::string_view text, std::string_view pattern) {
  size_t t = 0, p = 0;
  size_t star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && same_char(pattern[p], text[t])))) {
      ++t;
      ++p;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

PatternMatch match_pattern_list(std::string_view text, const std::vector<std::string_view>& patterns) {
  bool matched = false;
  for (std::string_view pattern : patterns) {
    bool negated = !pattern.empty() && pattern[0] == '!';
    if (negated) pattern.remove_prefix(1);
    if (!match_pattern(text, pattern)) continue;
    if (negated) return PatternMatch::kNegated;
    matched = true;
  }
  return matched ? PatternMatch::kMatch : PatternMatch::kNoMatch;
}

std::vector<std::string_view> split_commas(std::string_view list) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace skiff::drivers
