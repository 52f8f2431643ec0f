#include "reconciler/scheduler/version.hpp"

#include <algorithm>
#include <charconv>

namespace skiff::reconciler::scheduler {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<int64_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == separator) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool valid_identifier(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  });
}

int compare_identifiers(const std::string& a, const std::string& b) {
  std::optional<int64_t> na = parse_number(a), nb = parse_number(b);
  if (na && nb) return *na < *nb ? -1 : (*na > *nb ? 1 : 0);
  if (na) return -1;  // numbers sort before words
  if (nb) return 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

int compare_prerelease(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : (a.empty() ? 1 : -1);
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (int c = compare_identifiers(a[i], b[i])) return c;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

int64_t segment(const Version& v, size_t i) { return i < v.segments.size() ? v.segments[i] : 0; }

bool same_segments(const Version& a, const Version& b) {
  size_t n = std::max(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i) {
    if (segment(a, i) != segment(b, i)) return false;
  }
  return true;
}

// go-version's rule: a prerelease only satisfies parts about a prerelease of
// the same release.
bool prerelease_allowed(const Version& v, const Version& part) {
  if (v.prerelease.empty()) return true;
  return !part.prerelease.empty() && same_segments(v, part);
}

bool pessimistic(const Version& v, const Version& part) {
  if (compare_versions(v, part) < 0) return false;
  for (size_t i = 0; i + 1 < part.segments.size(); ++i) {
    if (segment(v, i) != part.segments[i]) return false;
  }
  return true;
}

bool part_holds(const Version& v, std::string_view op, const Version& part, VersionFlavor flavor) {
  if (flavor == VersionFlavor::kVersion && !prerelease_allowed(v, part)) return false;
  int c = compare_versions(v, part);
  if (op == "=") return c == 0;
  if (op == "!=") return c != 0;
  if (op == ">") return c > 0;
  if (op == ">=") return c >= 0;
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  return pessimistic(v, part);  // "~>"
}

}  // namespace

std::optional<Version> parse_version(std::string_view text, VersionFlavor flavor) {
  text = trim(text);
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  if (size_t plus = text.find('+'); plus != std::string_view::npos) text = text.substr(0, plus);
  Version v;
  size_t dash = text.find('-');
  if (dash != std::string_view::npos) {
    for (std::string_view id : split(text.substr(dash + 1), '.')) {
      if (!valid_identifier(id)) return std::nullopt;
      v.prerelease.emplace_back(id);
    }
    text = text.substr(0, dash);
  }
  for (std::string_view part : split(text, '.')) {
    std::optional<int64_t> n = parse_number(part);
    if (!n) return std::nullopt;
    v.segments.push_back(*n);
  }
  if (flavor == VersionFlavor::kSemver && v.segments.size() > 3) return std::nullopt;
  return v;
}

int compare_versions(const Version& a, const Version& b) {
  size_t n = std::max(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i) {
    int64_t x = segment(a, i), y = segment(b, i);
    if (x != y) return x < y ? -1 : 1;
  }
  return compare_prerelease(a.prerelease, b.prerelease);
}

bool version_matches(std::string_view version, std::string_view constraint, VersionFlavor flavor) {
  std::optional<Version> v = parse_version(version, flavor);
  if (!v || trim(constraint).empty()) return false;
  static constexpr std::string_view kOperators[] = {">=", "<=", "!=", "~>", ">", "<", "="};
  for (std::string_view part : split(constraint, ',')) {
    part = trim(part);
    std::string_view op = "=";
    for (std::string_view candidate : kOperators) {
      if (part.substr(0, candidate.size()) == candidate) {
        op = candidate;
        part.remove_prefix(candidate.size());
        break;
      }
    }
    std::optional<Version> bound = parse_version(part, flavor);
    if (!bound || !part_holds(*v, op, *bound, flavor)) return false;
  }
  return true;
}

}  // namespace skiff::reconciler::scheduler
