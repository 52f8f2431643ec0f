// Value: an evaluated HCL value, modelled on go-cty's types as Nomad uses them.
//
// Kinds: null, bool, number, string, list-like (tuple | list | set), map-like
// (object | map), and unknown. An unknown value stands for a runtime
// interpolation (`${NOMAD_ALLOC_ID}`, `${attr.kernel.name}`, ...): it carries
// the source text of the expression so that it can be written back verbatim as
// "${<text>}", exactly as Nomad's own parser keeps such references.
//
// Values are immutable and cheap to copy: collections share their elements.
// Map-like values keep their keys sorted, as cty does.
//
// A value can carry a sensitive mark, as Terraform's cty marks do: a
// variable declared `sensitive = true` is marked, and the evaluator marks
// whatever is derived from a marked value (a template, an operator's or a
// function's result, an element taken from a marked collection, a
// conditional on a marked condition). A mark on a collection covers
// everything inside it. Marks do not change what a value is: `==` and
// every conversion ignore them.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::parser {

// How a sensitive value is shown wherever skiff prints or quotes it.
inline constexpr std::string_view kSensitiveText = "(sensitive)";

enum class ValueKind { kNull, kBool, kNumber, kString, kList, kObject, kUnknown };

// Which cty collection a list-like or map-like value is; functions and type
// conversion care (e.g. `tolist` vs a tuple, `toset` dedups and sorts).
enum class ListFlavour { kTuple, kList, kSet };
enum class ObjectFlavour { kObject, kMap };

class Value;
using ValueList = std::vector<Value>;
using ValueMap = std::map<std::string, Value>;

class Value {
 public:
  Value() = default;  // null
  static Value null() { return Value(); }
  static Value boolean(bool b);
  static Value number(double n);
  static Value string(std::string s);
  static Value list(ValueList items, ListFlavour flavour = ListFlavour::kTuple);
  static Value object(ValueMap items, ObjectFlavour flavour = ObjectFlavour::kObject);
  // An unknown value whose source text (without the `${` `}`) is `expression_text`.
  static Value unknown(std::string expression_text);

  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }
  bool is_bool() const { return kind_ == ValueKind::kBool; }
  bool is_number() const { return kind_ == ValueKind::kNumber; }
  bool is_string() const { return kind_ == ValueKind::kString; }
  bool is_list() const { return kind_ == ValueKind::kList; }
  bool is_object() const { return kind_ == ValueKind::kObject; }
  bool is_unknown() const { return kind_ == ValueKind::kUnknown; }
  bool is_collection() const { return is_list() || is_object(); }

  // REQUIRES: the matching kind.
  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }  // also the text of an unknown
  const ValueList& as_list() const;
  const ValueMap& as_object() const;
  ListFlavour list_flavour() const { return list_flavour_; }
  ObjectFlavour object_flavour() const { return object_flavour_; }

  // True when this value or anything inside it is unknown.
  bool contains_unknown() const;

  // The sensitive mark on this value itself (and so on all it holds).
  bool is_sensitive() const { return sensitive_; }
  // True when this value or anything inside it is marked.
  bool contains_sensitive() const;
  // This value with the mark set (when `mark`), or as it is.
  Value marked(bool mark = true) const;
  // This value with every mark removed, its elements' too (`nonsensitive()`).
  Value without_marks() const;

  // Structural equality as HCL's `==` sees it (numbers by value, flavour ignored).
  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

  // The value as text for diagnostics and `format("%#v")`: HCL-ish syntax.
  std::string debug_string() const;

 private:
  ValueKind kind_ = ValueKind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::shared_ptr<const ValueList> list_;
  std::shared_ptr<const ValueMap> object_;
  ListFlavour list_flavour_ = ListFlavour::kTuple;
  ObjectFlavour object_flavour_ = ObjectFlavour::kObject;
  bool sensitive_ = false;
};

// cty's type names for messages: "string", "number", "bool", "tuple", "list",
// "set", "object", "map", "null", "unknown".
std::string type_name(const Value& value);

// Numbers print as cty prints them: integers without a decimal point, others
// with the shortest representation that round-trips ("1.5", "1e+21").
std::string format_number(double n);

// HCL's automatic conversions to a primitive, used by operators, templates and
// functions: a number or bool becomes a string; "true"/"false" become bools;
// a numeric string becomes a number. Null or an impossible conversion gives nullopt.
std::optional<std::string> to_string_value(const Value& value);
std::optional<double> to_number_value(const Value& value);
std::optional<bool> to_bool_value(const Value& value);

}  // namespace skiff::parser
