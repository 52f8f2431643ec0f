#include "parser/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace skiff::parser {

namespace {
const ValueList kEmptyList;
const ValueMap kEmptyMap;
}  // namespace

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = ValueKind::kBool;
  v.bool_ = b;
  return v;
}

Value Value::number(double n) {
  Value v;
  v.kind_ = ValueKind::kNumber;
  v.number_ = n;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = ValueKind::kString;
  v.string_ = std::move(s);
  return v;
}

Value Value::list(ValueList items, ListFlavour flavour) {
  Value v;
  v.kind_ = ValueKind::kList;
  v.list_ = std::make_shared<const ValueList>(std::move(items));
  v.list_flavour_ = flavour;
  return v;
}

Value Value::object(ValueMap items, ObjectFlavour flavour) {
  Value v;
  v.kind_ = ValueKind::kObject;
  v.object_ = std::make_shared<const ValueMap>(std::move(items));
  v.object_flavour_ = flavour;
  return v;
}

Value Value::unknown(std::string expression_text) {
  Value v;
  v.kind_ = ValueKind::kUnknown;
  v.string_ = std::move(expression_text);
  return v;
}

const ValueList& Value::as_list() const { return list_ ? *list_ : kEmptyList; }
const ValueMap& Value::as_object() const { return object_ ? *object_ : kEmptyMap; }

bool Value::contains_unknown() const {
  switch (kind_) {
    case ValueKind::kUnknown: return true;
    case ValueKind::kList:
      for (const auto& item : as_list())
        if (item.contains_unknown()) return true;
      return false;
    case ValueKind::kObject:
      for (const auto& [key, item] : as_object())
        if (item.contains_unknown()) return true;
      return false;
    default: return false;
  }
}

bool Value::contains_sensitive() const {
  if (sensitive_) return true;
  if (is_list())
    for (const auto& item : as_list())
      if (item.contains_sensitive()) return true;
  if (is_object())
    for (const auto& [key, item] : as_object())
      if (item.contains_sensitive()) return true;
  return false;
}

Value Value::marked(bool mark) const {
  Value v = *this;
  v.sensitive_ = sensitive_ || mark;
  return v;
}

Value Value::without_marks() const {
  if (!contains_sensitive()) return *this;
  Value v = *this;
  v.sensitive_ = false;
  if (is_list()) {
    ValueList items;
    for (const Value& item : as_list()) items.push_back(item.without_marks());
    v.list_ = std::make_shared<const ValueList>(std::move(items));
  } else if (is_object()) {
    ValueMap items;
    for (const auto& [key, item] : as_object()) items[key] = item.without_marks();
    v.object_ = std::make_shared<const ValueMap>(std::move(items));
  }
  return v;
}

bool Value::operator==(const Value& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case ValueKind::kNull: return true;
    case ValueKind::kBool: return bool_ == other.bool_;
    case ValueKind::kNumber: return number_ == other.number_;
    case ValueKind::kString:
    case ValueKind::kUnknown: return string_ == other.string_;
    case ValueKind::kList: return as_list() == other.as_list();
    case ValueKind::kObject: return as_object() == other.as_object();
  }
  return false;
}

static std::string quote_for_debug(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string Value::debug_string() const {
  switch (kind_) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return bool_ ? "true" : "false";
    case ValueKind::kNumber: return format_number(number_);
    case ValueKind::kString: return quote_for_debug(string_);
    case ValueKind::kUnknown: return "${" + string_ + "}";
    case ValueKind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < as_list().size(); ++i) out += (i ? ", " : "") + as_list()[i].debug_string();
      return out + "]";
    }
    case ValueKind::kObject: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, item] : as_object()) {
        out += (first ? "" : ", ") + quote_for_debug(key) + " = " + item.debug_string();
        first = false;
      }
      return out + "}";
    }
  }
  return "";
}

std::string type_name(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return "bool";
    case ValueKind::kNumber: return "number";
    case ValueKind::kString: return "string";
    case ValueKind::kUnknown: return "unknown";
    case ValueKind::kList:
      switch (value.list_flavour()) {
        case ListFlavour::kTuple: return "tuple";
        case ListFlavour::kList: return "list";
        case ListFlavour::kSet: return "set";
      }
      break;
    case ValueKind::kObject: return value.object_flavour() == ObjectFlavour::kMap ? "map" : "object";
  }
  return "unknown";
}

std::string format_number(double n) {
  if (std::isnan(n)) return "NaN";
  if (std::isinf(n)) return n > 0 ? "+Inf" : "-Inf";
  if (n == std::trunc(n) && std::fabs(n) < 1e21) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, n, std::chars_format::fixed, 0);
    return std::string(buf, res.ptr);
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, n);
  return std::string(buf, res.ptr);
}

std::optional<std::string> to_string_value(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kString: return value.as_string();
    case ValueKind::kNumber: return format_number(value.as_number());
    case ValueKind::kBool: return std::string(value.as_bool() ? "true" : "false");
    default: return std::nullopt;
  }
}

std::optional<double> to_number_value(const Value& value) {
  if (value.is_number()) return value.as_number();
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.as_string();
  if (s.empty()) return std::nullopt;
  double out = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  auto res = std::from_chars(begin, end, out);
  if (res.ec != std::errc() || res.ptr != end) return std::nullopt;
  return out;
}

std::optional<bool> to_bool_value(const Value& value) {
  if (value.is_bool()) return value.as_bool();
  if (value.is_string()) {
    if (value.as_string() == "true") return true;
    if (value.as_string() == "false") return false;
  }
  return std::nullopt;
}

}  // namespace skiff::parser
