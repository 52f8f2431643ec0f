// One constraint (or affinity) operator applied to two resolved values, with
// Nomad's semantics (scheduler/feasible.go checkConstraint):
//
// - "=": both present and equal. "!=": not equal, where a missing value
//   differs from every present one, so a missing attribute passes "!="
//   exactly as in Nomad (lVal nil is not DeepEqual to the target).
// - "<" "<=" ">" ">=": both present; compared as integers when both parse as
//   integers, else as floats when both parse as numbers, else byte-wise.
// - "regexp": RE2, unanchored (Go's MatchString), so "^...$" to anchor.
// - "set_contains" (= "set_contains_all"): every comma-separated item of the
//   target is among the attribute's comma-separated items (spaces trimmed);
//   "set_contains_any": at least one is.
// - "version" / "semver": see version.hpp.
// - "is_set" / "is_not_set": only whether the attribute is present.
// - "distinct_hosts" / "distinct_property" are not node properties and
//   always pass here; the placer counts allocations for them.
// - Any other operator fails.
// Every operator but "!=" and "is_not_set" fails when a value is missing.
#pragma once

#include <memory>
#include <string>

#include "reconciler/scheduler/cluster.hpp"

namespace re2 {
class RE2;
}

namespace skiff::reconciler::scheduler {

// Whether `target` is a `${...}` reference rather than a literal.
bool is_reference(const std::string& target);

// The value `target` names on `node`: ${attr.X} (node.attributes), ${meta.X}
// (node.meta), ${node.unique.name} and ${node.unique.id} (the name),
// ${node.datacenter}, ${node.class}, ${node.pool}; a literal is itself.
// nullptr when the node has no such value or the reference is unknown.
const std::string* resolve_target(const Node& node, const std::string& target);

// One operator with its target compiled once (the regular expression), for
// evaluating the same constraint against many values.
class ConstraintCheck {
 public:
  // `target` is used as given; a `${...}` target must be resolved per node
  // and passed to matches() instead.
  ConstraintCheck(std::string op, const std::string* target);
  ~ConstraintCheck();
  ConstraintCheck(ConstraintCheck&&) noexcept;
  ConstraintCheck& operator=(ConstraintCheck&&) noexcept;

  // nullptr for a missing value; `right` overrides the compiled target.
  bool matches(const std::string* left) const;
  bool matches(const std::string* left, const std::string* right) const;

 private:
  std::string op_;
  std::string target_;
  bool has_target_ = false;
  std::unique_ptr<re2::RE2> regexp_;
};

// The operator without the compiled target, for one-off checks and tests.
bool check_constraint(const std::string& op, const std::string* left, const std::string* right);

}  // namespace skiff::reconciler::scheduler
