// HCL type constraints, as in `variable "x" { type = list(string) }` and
// `convert(value, map(number))`: parsing the type expression and converting
// a value to the type with cty's rules.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parser/syntax.hpp"
#include "parser/value.hpp"

namespace skiff::parser {

struct TypeConstraint {
  enum class Kind { kAny, kString, kNumber, kBool, kList, kSet, kMap, kTuple, kObject };
  Kind kind = Kind::kAny;
  std::vector<TypeConstraint> elements;              // kList/kSet/kMap: one; kTuple: each
  std::map<std::string, TypeConstraint> attributes;  // kObject

  std::string describe() const;  // "list(string)", "object({a=number})", ...
};

// Reads a type expression; on error returns nullopt and sets `error` and
// `error_range`.
std::optional<TypeConstraint> parse_type_constraint(const Expr& expr, std::string& error, SourceRange& error_range);

// Converts `value` to `type`; on failure returns nullopt and sets `error` to
// a reason such as "a number is required".
std::optional<Value> convert_to_type(const Value& value, const TypeConstraint& type, std::string& error);

}  // namespace skiff::parser
