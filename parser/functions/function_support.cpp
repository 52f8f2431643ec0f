#include "parser/functions/function_support.hpp"

#include <algorithm>
#include <cmath>

namespace skiff::parser {

void fail_argument(size_t index, std::string_view parameter, std::string_view reason) {
  std::string message = "Invalid value for \"";
  message += parameter;
  message += "\" parameter: ";
  message += reason;
  message += ".";
  throw FunctionError{static_cast<int>(index), std::move(message)};
}

void fail_argument_raw(size_t index, std::string message) { throw FunctionError{static_cast<int>(index), std::move(message)}; }

void fail_call(std::string reason) { throw FunctionError{-1, std::move(reason)}; }

const Value& non_null_arg(Args args, size_t index, std::string_view parameter) {
  const Value& value = args[index];
  if (value.is_null()) fail_argument(index, parameter, "argument must not be null");
  return value;
}

std::string string_arg(Args args, size_t index, std::string_view parameter) {
  const Value& value = non_null_arg(args, index, parameter);
  std::optional<std::string> text = to_string_value(value);
  if (!text) fail_argument(index, parameter, "string required");
  return *text;
}

std::optional<double> convert_to_number(const Value& value) {
  std::optional<double> n = to_number_value(value);
  // cty parses numeric strings as decimal numbers only; "inf" or "nan" are
  // not numbers to it.
  if (n && value.is_string() && !std::isfinite(*n)) return std::nullopt;
  return n;
}

std::optional<int64_t> whole_number(double n) {
  if (!std::isfinite(n) || n != std::trunc(n)) return std::nullopt;
  if (n < -9223372036854775808.0 || n >= 9223372036854775808.0) return std::nullopt;
  return static_cast<int64_t>(n);
}

double number_arg(Args args, size_t index, std::string_view parameter) {
  const Value& value = non_null_arg(args, index, parameter);
  std::optional<double> n = convert_to_number(value);
  if (!n) fail_argument(index, parameter, value.is_string() ? "a number is required" : "number required");
  return *n;
}

int64_t integer_arg(Args args, size_t index, std::string_view parameter) {
  double n = number_arg(args, index, parameter);
  std::optional<int64_t> whole = whole_number(n);
  if (!whole) {
    fail_argument(index, parameter, "value must be a whole number, between -9223372036854775808 and 9223372036854775807");
  }
  return *whole;
}

bool bool_arg(Args args, size_t index, std::string_view parameter) {
  const Value& value = non_null_arg(args, index, parameter);
  std::optional<bool> b = to_bool_value(value);
  if (!b) fail_argument(index, parameter, value.is_string() ? "a bool is required" : "bool required");
  return *b;
}

const ValueList& sequence_arg(Args args, size_t index, std::string_view parameter) {
  const Value& value = non_null_arg(args, index, parameter);
  if (!value.is_list()) fail_argument(index, parameter, "list of any single type required");
  return value.as_list();
}

std::vector<std::optional<std::string>> string_list_arg(Args args, size_t index, std::string_view parameter) {
  const Value& value = non_null_arg(args, index, parameter);
  if (!value.is_list()) fail_argument(index, parameter, "list of string required");
  std::vector<std::optional<std::string>> out;
  out.reserve(value.as_list().size());
  for (size_t i = 0; i < value.as_list().size(); ++i) {
    const Value& item = value.as_list()[i];
    if (item.is_null()) {
      out.emplace_back(std::nullopt);
      continue;
    }
    std::optional<std::string> text = to_string_value(item);
    if (!text) fail_argument(index, parameter, "element " + std::to_string(i) + ": string required");
    out.emplace_back(std::move(text));
  }
  return out;
}

std::string friendly_type(const Value& value) { return type_name(value); }

std::optional<ValueList> unify_elements(const ValueList& items) {
  bool has_string = false, has_number = false, has_bool = false, has_collection = false;
  for (const Value& item : items) {
    switch (item.kind()) {
      case ValueKind::kString: has_string = true; break;
      case ValueKind::kNumber: has_number = true; break;
      case ValueKind::kBool: has_bool = true; break;
      case ValueKind::kList:
      case ValueKind::kObject: has_collection = true; break;
      default: break;
    }
  }
  bool has_primitive = has_string || has_number || has_bool;
  if (has_collection && has_primitive) return std::nullopt;
  if (!has_string) {
    if (has_number && has_bool) return std::nullopt;
    return items;
  }
  if (!has_number && !has_bool) return items;
  // Strings win: cty converts numbers and bools to strings to unify them.
  ValueList out;
  out.reserve(items.size());
  for (const Value& item : items) out.push_back(item.is_null() ? item : Value::string(*to_string_value(item)));
  return out;
}

static int kind_rank(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kBool: return 0;
    case ValueKind::kNumber: return 1;
    case ValueKind::kString: return 2;
    case ValueKind::kList: return 3;
    case ValueKind::kObject: return 4;
    case ValueKind::kUnknown: return 5;
    case ValueKind::kNull: return 6;
  }
  return 7;
}

bool set_order_less(const Value& a, const Value& b) {
  int ra = kind_rank(a), rb = kind_rank(b);
  if (ra != rb) return ra < rb;
  switch (a.kind()) {
    case ValueKind::kBool: return !a.as_bool() && b.as_bool();
    case ValueKind::kNumber: return a.as_number() < b.as_number();
    case ValueKind::kString: return a.as_string() < b.as_string();
    default: return a.debug_string() < b.debug_string();
  }
}

Value make_set(ValueList items) {
  std::stable_sort(items.begin(), items.end(), set_order_less);
  ValueList unique;
  for (Value& item : items) {
    if (!unique.empty() && unique.back() == item) continue;
    unique.push_back(std::move(item));
  }
  return Value::list(std::move(unique), ListFlavour::kSet);
}

}  // namespace skiff::parser
