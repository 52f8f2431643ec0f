#include "reconciler/scheduler/constraint.hpp"

#include <re2/re2.h>

#include <charconv>
#include <string_view>
#include <vector>

#include "reconciler/scheduler/version.hpp"

namespace skiff::reconciler::scheduler {

namespace {

const std::string* find_in(const std::map<std::string, std::string>& map, std::string_view key) {
  auto it = map.find(std::string(key));
  return it == map.end() ? nullptr : &it->second;
}

template <typename T>
bool parse_whole(const std::string& s, T& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

template <typename T>
bool ordered(const std::string& op, const T& l, const T& r) {
  if (op == "<") return l < r;
  if (op == "<=") return l <= r;
  if (op == ">") return l > r;
  return l >= r;
}

bool check_order(const std::string& op, const std::string& l, const std::string& r) {
  int64_t li = 0, ri = 0;
  if (parse_whole(l, li) && parse_whole(r, ri)) return ordered(op, li, ri);
  double lf = 0, rf = 0;
  if (parse_whole(l, lf) && parse_whole(r, rf)) return ordered(op, lf, rf);
  return ordered(op, l, r);
}

std::vector<std::string_view> set_items(std::string_view s) {
  std::vector<std::string_view> items;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i != s.size() && s[i] != ',') continue;
    std::string_view item = s.substr(start, i - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    items.push_back(item);
    start = i + 1;
  }
  return items;
}

bool set_contains(const std::string& attribute, const std::string& wanted, bool any) {
  std::vector<std::string_view> have = set_items(attribute);
  for (std::string_view item : set_items(wanted)) {
    bool found = false;
    for (std::string_view h : have) found = found || h == item;
    if (any && found) return true;
    if (!any && !found) return false;
  }
  return !any;
}

bool check_present(const std::string& op, const std::string& l, const std::string& r, const re2::RE2* regexp) {
  if (op == "=") return l == r;
  if (op == "<" || op == "<=" || op == ">" || op == ">=") return check_order(op, l, r);
  if (op == "regexp") {
    if (regexp) return regexp->ok() && re2::RE2::PartialMatch(l, *regexp);
    re2::RE2 compiled(r, re2::RE2::Quiet);
    return compiled.ok() && re2::RE2::PartialMatch(l, compiled);
  }
  if (op == "set_contains" || op == "set_contains_all") return set_contains(l, r, false);
  if (op == "set_contains_any") return set_contains(l, r, true);
  if (op == "version") return version_matches(l, r, VersionFlavor::kVersion);
  if (op == "semver") return version_matches(l, r, VersionFlavor::kSemver);
  return false;
}

bool check(const std::string& op, const std::string* l, const std::string* r, const re2::RE2* regexp) {
  if (op == "distinct_hosts" || op == "distinct_property") return true;
  if (op == "is_set") return l != nullptr;
  if (op == "is_not_set") return l == nullptr;
  if (op == "!=") return l == nullptr || r == nullptr ? l != r : *l != *r;
  if (!l || !r) return false;
  return check_present(op, *l, *r, regexp);
}

}  // namespace

bool is_reference(const std::string& target) {
  return target.size() >= 3 && target.compare(0, 2, "${") == 0 && target.back() == '}';
}

const std::string* resolve_target(const Node& node, const std::string& target) {
  if (!is_reference(target)) return &target;
  std::string_view name(target.data() + 2, target.size() - 3);
  if (name.substr(0, 5) == "attr.") return find_in(node.attributes, name.substr(5));
  if (name.substr(0, 5) == "meta.") return find_in(node.meta, name.substr(5));
  if (name == "node.unique.name" || name == "node.unique.id") return &node.name;
  if (name == "node.datacenter") return &node.datacenter;
  if (name == "node.class") return &node.node_class;
  if (name == "node.pool") return &node.node_pool;
  return nullptr;
}

ConstraintCheck::ConstraintCheck(std::string op, const std::string* target) : op_(std::move(op)) {
  if (!target) return;
  target_ = *target;
  has_target_ = true;
  if (op_ == "regexp") regexp_ = std::make_unique<re2::RE2>(target_, re2::RE2::Quiet);
}

ConstraintCheck::~ConstraintCheck() = default;
ConstraintCheck::ConstraintCheck(ConstraintCheck&&) noexcept = default;
ConstraintCheck& ConstraintCheck::operator=(ConstraintCheck&&) noexcept = default;

bool ConstraintCheck::matches(const std::string* left) const {
  return check(op_, left, has_target_ ? &target_ : nullptr, regexp_.get());
}

bool ConstraintCheck::matches(const std::string* left, const std::string* right) const {
  return check(op_, left, right, nullptr);
}

bool check_constraint(const std::string& op, const std::string* left, const std::string* right) {
  return check(op, left, right, nullptr);
}

}  // namespace skiff::reconciler::scheduler
