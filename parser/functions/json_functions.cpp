// jsonencode and jsondecode (cty's stdlib json.go over cty/json), and the
// JSON encoder that format("%#v") shares. Encoding is written out here rather
// than left to nlohmann so that the text matches cty byte for byte: Go's
// string escaping (HTML-safe), numbers without exponents. Decoding uses
// nlohmann's SAX parser to build values directly and to catch duplicate keys.
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

std::string format_number_plain(double n) {
  if (std::isinf(n) || std::isnan(n)) fail_call("cannot serialize infinity as JSON");
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof buf, n, std::chars_format::fixed);
  return std::string(buf, res.ptr);
}

namespace {

// Go's encoding/json string encoding with HTML escaping on.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t pos = 0; pos < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      ++pos;
      switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        case '\b': out += "\\b"; continue;
        case '\f': out += "\\f"; continue;
        default: break;
      }
      if (c < 0x20 || c == '<' || c == '>' || c == '&') {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    size_t start = pos;
    char32_t cp = decode_utf8(text, pos);
    if (cp == 0xFFFD && pos - start != 3) out += "\\ufffd";
    else if (cp == 0x2028) out += "\\u2028";
    else if (cp == 0x2029) out += "\\u2029";
    else out.append(text, start, pos - start);
  }
  out += '"';
}

void append_json(std::string& out, const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull: out += "null"; return;
    case ValueKind::kBool: out += value.as_bool() ? "true" : "false"; return;
    case ValueKind::kNumber: out += format_number_plain(value.as_number()); return;
    case ValueKind::kString: append_json_string(out, value.as_string()); return;
    case ValueKind::kUnknown: append_json_string(out, "${" + value.as_string() + "}"); return;
    case ValueKind::kList: {
      out += '[';
      bool first = true;
      for (const Value& item : value.as_list()) {
        if (!first) out += ',';
        append_json(out, item);
        first = false;
      }
      out += ']';
      return;
    }
    case ValueKind::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.as_object()) {
        if (!first) out += ',';
        append_json_string(out, key);
        out += ':';
        append_json(out, item);
        first = false;
      }
      out += '}';
      return;
    }
  }
}

// Builds a Value from nlohmann's SAX events: objects become cty objects,
// arrays tuples, as cty's implied-type decoding does.
class ValueBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return add(Value::null()); }
  bool boolean(bool b) override { return add(Value::boolean(b)); }
  bool number_integer(number_integer_t n) override { return add(Value::number(static_cast<double>(n))); }
  bool number_unsigned(number_unsigned_t n) override { return add(Value::number(static_cast<double>(n))); }
  bool number_float(number_float_t n, const string_t&) override { return add(Value::number(n)); }
  bool string(string_t& s) override { return add(Value::string(s)); }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override { return open(true); }
  bool key(string_t& key) override {
    if (stack_.back().object.count(key)) {
      error_ = "duplicate \"" + key + "\" property in JSON object";
      return false;
    }
    stack_.back().key = key;
    return true;
  }
  bool end_object() override { return close(Value::object(std::move(stack_.back().object))); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(Value::list(std::move(stack_.back().list), ListFlavour::kTuple)); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    std::string what = ex.what();
    size_t bracket = what.find("] ");
    error_ = bracket == std::string::npos ? what : what.substr(bracket + 2);
    return false;
  }

  const std::optional<Value>& result() const { return result_; }
  const std::string& error() const { return error_; }

 private:
  struct Frame {
    bool is_object = false;
    ValueMap object;
    ValueList list;
    std::string key;
  };

  bool add(Value value) {
    if (stack_.empty()) {
      result_ = std::move(value);
    } else if (stack_.back().is_object) {
      stack_.back().object[stack_.back().key] = std::move(value);
    } else {
      stack_.back().list.push_back(std::move(value));
    }
    return true;
  }
  bool open(bool is_object) {
    if (stack_.size() >= kMaxNestingDepth) {
      error_ = "JSON nesting is deeper than " + std::to_string(kMaxNestingDepth) + " levels";
      return false;
    }
    stack_.emplace_back();
    stack_.back().is_object = is_object;
    return true;
  }
  bool close(Value value) {
    stack_.pop_back();
    return add(std::move(value));
  }

  std::vector<Frame> stack_;
  std::optional<Value> result_;
  std::string error_;
};

Value jsonencode(Args args, const FunctionContext&) { return Value::string(encode_json(args[0])); }

Value jsondecode(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  ValueBuilder builder;
  bool ok = nlohmann::json::sax_parse(text, &builder);
  if (!ok || !builder.result()) fail_call(builder.error().empty() ? "invalid JSON" : builder.error());
  return *builder.result();
}

}  // namespace

std::string encode_json(const Value& value) {
  std::string out;
  append_json(out, value);
  return out;
}

std::vector<FunctionSpec> json_function_specs() {
  return {
      {"jsonencode", 1, 1, false, jsonencode},
      {"jsondecode", 1, 1, false, jsondecode},
  };
}

}  // namespace skiff::parser
