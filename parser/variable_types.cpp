#include "parser/variable_types.hpp"

#include <algorithm>

namespace skiff::parser {

namespace {

using Kind = TypeConstraint::Kind;

const std::map<std::string, Kind>& primitive_names() {
  static const std::map<std::string, Kind> names = {
      {"any", Kind::kAny}, {"string", Kind::kString}, {"number", Kind::kNumber}, {"bool", Kind::kBool}};
  return names;
}

const std::map<std::string, Kind>& collection_names() {
  static const std::map<std::string, Kind> names = {
      {"list", Kind::kList}, {"set", Kind::kSet}, {"map", Kind::kMap}, {"tuple", Kind::kTuple}, {"object", Kind::kObject}};
  return names;
}

bool fail(std::string& error, SourceRange& error_range, const Expr& at, std::string message) {
  error = std::move(message);
  error_range = at.range;
  return false;
}

bool parse_into(const Expr& expr, TypeConstraint& out, std::string& error, SourceRange& range) {
  const Expr* e = &expr;
  while (e->kind == ExprKind::kParens) e = e->operand.get();
  if (e->kind == ExprKind::kVariable) {
    auto it = primitive_names().find(e->name);
    if (it == primitive_names().end()) {
      return fail(error, range, *e,
                  "invalid type \"" + e->name +
                      "\": expected string, number, bool, any, list(...), "
                      "set(...), map(...), tuple([...]) or object({...})");
    }
    out.kind = it->second;
    return true;
  }
  if (e->kind != ExprKind::kFunctionCall || !collection_names().count(e->name)) {
    return fail(error, range, *e,
                "invalid type expression: expected string, number, bool, any, list(...), set(...), "
                "map(...), tuple([...]) or object({...})");
  }
  out.kind = collection_names().at(e->name);
  if (e->items.size() != 1) return fail(error, range, *e, "the type constructor \"" + e->name + "\" takes one argument");
  const Expr& arg = *e->items[0];
  if (out.kind == Kind::kTuple) {
    if (arg.kind != ExprKind::kTuple)
      return fail(error, range, arg, "tuple(...) takes a list of types, e.g. tuple([string, number])");
    for (const ExprPtr& item : arg.items) {
      out.elements.emplace_back();
      if (!parse_into(*item, out.elements.back(), error, range)) return false;
    }
    return true;
  }
  if (out.kind == Kind::kObject) {
    if (arg.kind != ExprKind::kObject)
      return fail(error, range, arg, "object(...) takes an object of types, e.g. object({name = string})");
    for (const ObjectItem& item : arg.object_items) {
      std::string key = item.key_is_identifier                                    ? item.key->name
          : item.key->kind == ExprKind::kLiteral && item.key->literal.is_string() ? item.key->literal.as_string()
                                                                                  : "";
      if (key.empty()) return fail(error, range, *item.key, "object type attribute names must be identifiers or strings");
      if (!parse_into(*item.value, out.attributes[key], error, range)) return false;
    }
    return true;
  }
  out.elements.emplace_back();
  return parse_into(arg, out.elements.back(), error, range);
}

std::optional<Value> convert_list(const Value& value, const TypeConstraint& type, std::string& error) {
  if (!value.is_list()) {
    error = "a " + type.describe() + " is required";
    return std::nullopt;
  }
  ValueList items;
  for (const Value& item : value.as_list()) {
    std::optional<Value> converted = convert_to_type(item, type.elements.at(0), error);
    if (!converted) return std::nullopt;
    items.push_back(*converted);
  }
  if (type.kind == Kind::kSet) {
    std::vector<Value> unique;
    for (const Value& item : items)
      if (std::find(unique.begin(), unique.end(), item) == unique.end()) unique.push_back(item);
    std::sort(unique.begin(), unique.end(), [](const Value& a, const Value& b) { return a.debug_string() < b.debug_string(); });
    return Value::list(std::move(unique), ListFlavour::kSet);
  }
  return Value::list(std::move(items), ListFlavour::kList);
}

std::optional<Value> convert_structural(const Value& value, const TypeConstraint& type, std::string& error) {
  if (type.kind == Kind::kMap) {
    if (!value.is_object()) {
      error = "a " + type.describe() + " is required";
      return std::nullopt;
    }
    ValueMap items;
    for (const auto& [key, item] : value.as_object()) {
      std::optional<Value> converted = convert_to_type(item, type.elements.at(0), error);
      if (!converted) return std::nullopt;
      items[key] = *converted;
    }
    return Value::object(std::move(items), ObjectFlavour::kMap);
  }
  if (type.kind == Kind::kTuple) {
    if (!value.is_list() || value.as_list().size() != type.elements.size()) {
      error = "a " + type.describe() + " is required";
      return std::nullopt;
    }
    ValueList items;
    for (size_t i = 0; i < type.elements.size(); ++i) {
      std::optional<Value> converted = convert_to_type(value.as_list()[i], type.elements[i], error);
      if (!converted) return std::nullopt;
      items.push_back(*converted);
    }
    return Value::list(std::move(items), ListFlavour::kTuple);
  }
  if (!value.is_object()) {
    error = "an object is required";
    return std::nullopt;
  }
  ValueMap items;
  for (const auto& [key, attribute_type] : type.attributes) {
    auto it = value.as_object().find(key);
    if (it == value.as_object().end()) {
      error = "attribute \"" + key + "\" is required";
      return std::nullopt;
    }
    std::optional<Value> converted = convert_to_type(it->second, attribute_type, error);
    if (!converted) return std::nullopt;
    items[key] = *converted;
  }
  return Value::object(std::move(items), ObjectFlavour::kObject);
}

}  // namespace

std::string TypeConstraint::describe() const {
  switch (kind) {
    case Kind::kAny: return "any";
    case Kind::kString: return "string";
    case Kind::kNumber: return "number";
    case Kind::kBool: return "bool";
    case Kind::kList: return "list(" + elements.at(0).describe() + ")";
    case Kind::kSet: return "set(" + elements.at(0).describe() + ")";
    case Kind::kMap: return "map(" + elements.at(0).describe() + ")";
    case Kind::kTuple: {
      std::string out = "tuple([";
      for (size_t i = 0; i < elements.size(); ++i) out += (i ? ", " : "") + elements[i].describe();
      return out + "])";
    }
    case Kind::kObject: {
      std::string out = "object({";
      bool first = true;
      for (const auto& [key, type] : attributes) {
        out += (first ? "" : ", ") + key + " = " + type.describe();
        first = false;
      }
      return out + "})";
    }
  }
  return "any";
}

std::optional<TypeConstraint> parse_type_constraint(const Expr& expr, std::string& error, SourceRange& error_range) {
  TypeConstraint out;
  if (!parse_into(expr, out, error, error_range)) return std::nullopt;
  return out;
}

namespace {

std::optional<Value> convert_unmarked(const Value& value, const TypeConstraint& type, std::string& error) {
  if (value.is_null() || value.is_unknown() || type.kind == Kind::kAny) return value;
  switch (type.kind) {
    case Kind::kString:
      if (auto s = to_string_value(value)) return Value::string(*s);
      error = "a string is required";
      return std::nullopt;
    case Kind::kNumber:
      if (auto n = to_number_value(value)) return Value::number(*n);
      error = "a number is required";
      return std::nullopt;
    case Kind::kBool:
      if (auto b = to_bool_value(value)) return Value::boolean(*b);
      error = "a bool is required";
      return std::nullopt;
    case Kind::kList:
    case Kind::kSet: return convert_list(value, type, error);
    default: return convert_structural(value, type, error);
  }
}

}  // namespace

// The converted value keeps the mark of the value converted; its elements
// keep theirs as they are converted one by one.
std::optional<Value> convert_to_type(const Value& value, const TypeConstraint& type, std::string& error) {
  std::optional<Value> converted = convert_unmarked(value, type, error);
  if (converted) return converted->marked(value.is_sensitive());
  return converted;
}

}  // namespace skiff::parser
