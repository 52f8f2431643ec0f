#include "parser/functions/path_glob.hpp"

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

std::vector<std::string> split_components(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace

bool is_absolute(std::string_view path) { return !path.empty() && path[0] == '/'; }

std::string clean_path(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = is_absolute(path);
  std::vector<std::string> parts;
  for (std::string& part : split_components(path)) {
    if (part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!rooted) parts.push_back(part);
      continue;
    }
    parts.push_back(std::move(part));
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

std::string join_path(std::string_view a, std::string_view b) {
  if (a.empty()) return b.empty() ? "" : clean_path(b);
  if (b.empty()) return clean_path(a);
  return clean_path(std::string(a) + "/" + std::string(b));
}

std::string base_name(std::string_view path) {
  if (path.empty()) return ".";
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/") return "/";
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string dir_name(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  return clean_path(path.substr(0, slash + 1));
}

bool path_within(std::string_view path, std::string_view root) {
  if (root == "/") return true;
  return path == root || (path.size() > root.size() && path.substr(0, root.size()) == root && path[root.size()] == '/');
}

std::string relative_path(std::string_view from, std::string_view to) {
  std::vector<std::string> a = split_components(from), b = split_components(to);
  size_t common = 0;
  while (common < a.size() && common < b.size() && a[common] == b[common]) ++common;
  std::string out;
  for (size_t i = common; i < a.size(); ++i) out += out.empty() ? ".." : "/..";
  for (size_t i = common; i < b.size(); ++i) out += (out.empty() ? "" : "/") + b[i];
  return out.empty() ? "." : out;
}

std::vector<std::string> expand_braces(std::string_view pattern) {
  // Find the first top-level '{' with its matching '}'.
  size_t open = std::string_view::npos, close = std::string_view::npos;
  int depth = 0;
  std::vector<size_t> commas;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '{') {
      if (depth++ == 0) open = i;
    } else if (c == '}' && depth > 0) {
      if (--depth == 0) {
        close = i;
        break;
      }
    } else if (c == ',' && depth == 1) {
      commas.push_back(i);
    }
  }
  if (open == std::string_view::npos || close == std::string_view::npos) return {std::string(pattern)};
  std::string head(pattern.substr(0, open));
  std::string tail(pattern.substr(close + 1));
  std::vector<std::string> out;
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t comma : commas) {
    std::string alternative = head + std::string(pattern.substr(start, comma - start)) + tail;
    for (std::string& expanded : expand_braces(alternative)) out.push_back(std::move(expanded));
    start = comma + 1;
  }
  return out;
}

std::string literal_prefix(std::string_view pattern) {
  std::vector<std::string> parts = split_components(pattern);
  std::string out = is_absolute(pattern) ? "/" : "";
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].find_first_of("*?[\\") != std::string::npos) break;
    out = join_path(out, parts[i]);
  }
  return out.empty() ? "." : out;
}

namespace {

// Matches one character class starting after '['; advances `p` past ']'.
std::optional<bool> match_class(std::string_view pattern, size_t& p, char32_t c) {
  bool negate = p < pattern.size() && (pattern[p] == '^' || pattern[p] == '!');
  if (negate) ++p;
  bool matched = false;
  bool first = true;
  for (;;) {
    if (p >= pattern.size()) return std::nullopt;
    if (pattern[p] == ']' && !first) {
      ++p;
      break;
    }
    first = false;
    if (pattern[p] == '\\') ++p;
    if (p >= pattern.size()) return std::nullopt;
    char32_t lo = decode_utf8(pattern, p);
    char32_t hi = lo;
    if (p + 1 < pattern.size() && pattern[p] == '-' && pattern[p + 1] != ']') {
      ++p;
      if (pattern[p] == '\\') ++p;
      if (p >= pattern.size()) return std::nullopt;
      hi = decode_utf8(pattern, p);
    }
    if (lo <= c && c <= hi) matched = true;
  }
  return matched != negate;
}

std::optional<bool> match_component(std::string_view pattern, size_t p, std::string_view name, size_t n) {
  while (p < pattern.size()) {
    char pc = pattern[p];
    if (pc == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      for (size_t k = n;;) {
        std::optional<bool> rest = match_component(pattern, p, name, k);
        if (!rest || *rest) return rest;
        if (k >= name.size()) return false;
        decode_utf8(name, k);
      }
    }
    if (n >= name.size()) {
      // The rest of the pattern must still be well formed to report errors.
      return false;
    }
    char32_t c = decode_utf8(name, n);
    if (pc == '?') {
      ++p;
    } else if (pc == '[') {
      ++p;
      std::optional<bool> in_class = match_class(pattern, p, c);
      if (!in_class || !*in_class) return in_class;
    } else {
      if (pc == '\\') {
        ++p;
        if (p >= pattern.size()) return std::nullopt;
      }
      char32_t want = decode_utf8(pattern, p);
      if (want != c) return false;
    }
  }
  return n == name.size();
}

std::optional<bool> match_parts(const std::vector<std::string>& pattern, size_t pi, const std::vector<std::string>& path,
                                size_t si) {
  if (pi == pattern.size()) return si == path.size();
  if (pattern[pi] == "**") {
    for (size_t k = si; k <= path.size(); ++k) {
      std::optional<bool> rest = match_parts(pattern, pi + 1, path, k);
      if (!rest || *rest) return rest;
    }
    return false;
  }
  if (si == path.size()) return false;
  std::optional<bool> here = match_component(pattern[pi], 0, path[si], 0);
  if (!here || !*here) return here;
  return match_parts(pattern, pi + 1, path, si + 1);
}

}  // namespace

std::optional<bool> glob_match(std::string_view pattern, std::string_view path) {
  return match_parts(split_components(pattern), 0, split_components(path), 0);
}

}  // namespace skiff::parser
