// yamldecode and yamlencode, following go-cty-yaml (which is go-yaml, itself
// a port of libyaml): decoding resolves plain scalars with YAML 1.1's rules
// (yes/no/on/off are bools, ~ is null, numbers, timestamps become RFC 3339
// strings); quoted and block scalars are always strings; mappings become
// objects and sequences tuples. Encoding writes block style with every string
// double-quoted, as go-cty-yaml does.
#include <yaml.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

constexpr std::string_view kLongTagPrefix = "tag:yaml.org,2002:";

// Owns one parser event.
struct Event {
  yaml_event_t raw{};
  ~Event() { yaml_event_delete(&raw); }
};

bool is_decimal_number(std::string_view s) {
  static const std::regex kDecimal(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  return std::regex_match(s.begin(), s.end(), kDecimal);
}

std::optional<double> parse_yaml_number(std::string_view s) {
  std::string text(s);
  if (is_decimal_number(text)) return std::strtod(text.c_str(), nullptr);
  bool negative = !text.empty() && text[0] == '-';
  std::string body = (negative || (!text.empty() && text[0] == '+')) ? text.substr(1) : text;
  int base = 0;
  if (body.rfind("0x", 0) == 0) base = 16;
  else if (body.rfind("0o", 0) == 0) base = 8;
  else if (body.rfind("0b", 0) == 0) base = 2;
  if (base == 0 || body.size() < 3) return std::nullopt;
  char* end = nullptr;
  unsigned long long value = std::strtoull(body.c_str() + 2, &end, base);
  if (*end != '\0') return std::nullopt;
  return negative ? -static_cast<double>(value) : static_cast<double>(value);
}

// YAML timestamps (date, or date and time) as cty's RFC 3339 strings.
std::optional<std::string> parse_yaml_timestamp(std::string_view s) {
  static const std::regex kTimestamp(
      R"(^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt ]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(s.begin(), s.end(), m, kTimestamp)) return std::nullopt;
  auto num = [&](int i) { return m[i].matched ? std::stoi(m[i].str()) : 0; };
  std::string zone = m[7].matched ? m[7].str() : "Z";
  if (zone == "+00:00" || zone == "-00:00") zone = "Z";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", num(1), num(2), num(3), num(4), num(5), num(6), zone.c_str());
  return std::string(buf);
}

// The values plain scalars resolve to by spelling alone.
const std::map<std::string, Value>& plain_words() {
  static const std::map<std::string, Value> kWords = [] {
    std::map<std::string, Value> out;
    for (const char* w : {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
      out[w] = Value::boolean(true);
    }
    for (const char* w : {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
      out[w] = Value::boolean(false);
    }
    for (const char* w : {"", "~", "null", "Null", "NULL"}) out[w] = Value::null();
    for (const char* w : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) out[w] = Value::number(HUGE_VAL);
    for (const char* w : {"-.inf", "-.Inf", "-.INF"}) out[w] = Value::number(-HUGE_VAL);
    return out;
  }();
  return kWords;
}

Value resolve_plain(const std::string& text) {
  auto word = plain_words().find(text);
  if (word != plain_words().end()) return word->second;
  if (text == ".nan" || text == ".NaN" || text == ".NAN") fail_call("floating point NaN is not supported");
  char first = text[0];
  bool numeric_hint = (first >= '0' && first <= '9') || first == '+' || first == '-' || first == '.';
  if (numeric_hint) {
    if (first >= '0' && first <= '9') {
      if (std::optional<std::string> ts = parse_yaml_timestamp(text)) return Value::string(*ts);
    }
    if (std::optional<double> n = parse_yaml_number(text)) return Value::number(*n);
  }
  return Value::string(text);
}

Value resolve_tagged(const std::string& tag, const std::string& text) {
  std::string short_tag = tag.rfind(kLongTagPrefix, 0) == 0 ? "!!" + tag.substr(kLongTagPrefix.size()) : tag;
  auto cannot = [&]() -> Value { fail_call("cannot parse \"" + text + "\" as " + tag); };
  if (short_tag == "!!str" || short_tag == "!") return Value::string(text);
  if (short_tag == "!!binary") return Value::string(text);
  if (short_tag == "!!null") return Value::null();
  if (short_tag == "!!bool") {
    auto word = plain_words().find(text);
    if (word == plain_words().end() || !word->second.is_bool()) return cannot();
    return word->second;
  }
  if (short_tag == "!!int" || short_tag == "!!float") {
    std::optional<double> n = parse_yaml_number(text);
    if (!n) return cannot();
    return Value::number(*n);
  }
  if (short_tag == "!!timestamp") {
    std::optional<std::string> ts = parse_yaml_timestamp(text);
    if (!ts) return cannot();
    return Value::string(*ts);
  }
  fail_call("unsupported tag \"" + tag + "\"");
}

class YamlDecoder {
 public:
  explicit YamlDecoder(const std::string& text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~YamlDecoder() { yaml_parser_delete(&parser_); }
  YamlDecoder(const YamlDecoder&) = delete;
  YamlDecoder& operator=(const YamlDecoder&) = delete;

  Value decode() {
    Event start;
    next(start);  // stream start
    Event doc;
    next(doc);
    if (doc.raw.type == YAML_STREAM_END_EVENT) return Value::null();
    Event node;
    next(node);
    Value value = parse_node(node);
    Event doc_end;
    next(doc_end);
    Event after;
    next(after);
    if (after.raw.type != YAML_STREAM_END_EVENT) fail_call("unexpected extra content after value");
    return value;
  }

 private:
  void next(Event& event) {
    if (!yaml_parser_parse(&parser_, &event.raw)) {
      std::string problem = parser_.problem ? parser_.problem : "invalid YAML";
      fail_call("on line " + std::to_string(parser_.problem_mark.line + 1) + ", column " +
                std::to_string(parser_.problem_mark.column + 1) + ": " + problem);
    }
  }

  void remember(const yaml_char_t* anchor, const Value& value) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = value;
  }

  Value parse_node(Event& event) {
    if (++depth_ > kMaxNestingDepth) fail_call("YAML nesting is deeper than " + std::to_string(kMaxNestingDepth) + " levels");
    Value value = parse_node_at_depth(event);
    --depth_;
    return value;
  }

  Value parse_node_at_depth(Event& event) {
    switch (event.raw.type) {
      case YAML_SCALAR_EVENT: return parse_scalar(event);
      case YAML_SEQUENCE_START_EVENT: {
        ValueList items;
        for (;;) {
          Event item;
          next(item);
          if (item.raw.type == YAML_SEQUENCE_END_EVENT) break;
          items.push_back(parse_node(item));
        }
        Value value = Value::list(std::move(items), ListFlavour::kTuple);
        remember(event.raw.data.sequence_start.anchor, value);
        return value;
      }
      case YAML_MAPPING_START_EVENT: return parse_mapping(event);
      case YAML_ALIAS_EVENT: {
        std::string name = reinterpret_cast<const char*>(event.raw.data.alias.anchor);
        auto found = anchors_.find(name);
        if (found == anchors_.end()) fail_call("unknown anchor '" + name + "' referenced");
        return found->second;
      }
      default: fail_call("unexpected YAML event");
    }
  }

  Value parse_scalar(Event& event) {
    const auto& scalar = event.raw.data.scalar;
    std::string text(reinterpret_cast<const char*>(scalar.value), scalar.length);
    Value value;
    if (scalar.tag) value = resolve_tagged(reinterpret_cast<const char*>(scalar.tag), text);
    else if (scalar.style != YAML_PLAIN_SCALAR_STYLE) value = Value::string(text);
    else value = resolve_plain(text);
    remember(scalar.anchor, value);
    return value;
  }

  Value parse_mapping(Event& event) {
    ValueMap items;
    for (;;) {
      Event key_event;
      next(key_event);
      if (key_event.raw.type == YAML_MAPPING_END_EVENT) break;
      Value key = parse_node(key_event);
      std::optional<std::string> key_text = to_string_value(key);
      if (!key_text) fail_call("mapping keys must be strings, numbers or bools, not " + friendly_type(key));
      Event value_event;
      next(value_event);
      items[*key_text] = parse_node(value_event);
    }
    Value value = Value::object(std::move(items));
    remember(event.raw.data.mapping_start.anchor, value);
    return value;
  }

  yaml_parser_t parser_{};
  std::map<std::string, Value> anchors_;
  size_t depth_ = 0;
};

Value yamldecode(Args args, const FunctionContext&) { return YamlDecoder(string_arg(args, 0, "src")).decode(); }

int append_output(void* data, unsigned char* buffer, size_t size) {
  static_cast<std::string*>(data)->append(reinterpret_cast<const char*>(buffer), size);
  return 1;
}

class YamlEncoder {
 public:
  YamlEncoder() {
    yaml_emitter_initialize(&emitter_);
    yaml_emitter_set_output(&emitter_, append_output, &out_);
    yaml_emitter_set_unicode(&emitter_, 1);
  }
  ~YamlEncoder() { yaml_emitter_delete(&emitter_); }
  YamlEncoder(const YamlEncoder&) = delete;
  YamlEncoder& operator=(const YamlEncoder&) = delete;

  std::string encode(const Value& value) {
    yaml_event_t event;
    yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
    emit(event);
    yaml_document_start_event_initialize(&event, nullptr, nullptr, nullptr, 1);
    emit(event);
    emit_value(value);
    yaml_document_end_event_initialize(&event, 1);
    emit(event);
    yaml_stream_end_event_initialize(&event);
    emit(event);
    return out_;
  }

 private:
  void emit(yaml_event_t& event) {
    if (!yaml_emitter_emit(&emitter_, &event)) {
      fail_call(std::string("failed to write YAML: ") + (emitter_.problem ? emitter_.problem : "unknown problem"));
    }
  }

  void scalar(const std::string& text, yaml_scalar_style_t style) {
    yaml_event_t event;
    yaml_scalar_event_initialize(&event, nullptr, nullptr, reinterpret_cast<yaml_char_t*>(const_cast<char*>(text.data())),
                                 static_cast<int>(text.size()), 1, 1, style);
    emit(event);
  }

  void emit_value(const Value& value) {
    yaml_event_t event;
    switch (value.kind()) {
      case ValueKind::kNull: scalar("null", YAML_PLAIN_SCALAR_STYLE); return;
      case ValueKind::kBool: scalar(value.as_bool() ? "true" : "false", YAML_PLAIN_SCALAR_STYLE); return;
      case ValueKind::kNumber: {
        double n = value.as_number();
        scalar(std::isinf(n) ? (n > 0 ? "+Inf" : "-Inf") : format_number_plain(n), YAML_PLAIN_SCALAR_STYLE);
        return;
      }
      case ValueKind::kString: scalar(value.as_string(), YAML_DOUBLE_QUOTED_SCALAR_STYLE); return;
      case ValueKind::kUnknown: scalar("${" + value.as_string() + "}", YAML_DOUBLE_QUOTED_SCALAR_STYLE); return;
      case ValueKind::kList:
        yaml_sequence_start_event_initialize(&event, nullptr, nullptr, 1, YAML_BLOCK_SEQUENCE_STYLE);
        emit(event);
        for (const Value& item : value.as_list()) emit_value(item);
        yaml_sequence_end_event_initialize(&event);
        emit(event);
        return;
      case ValueKind::kObject:
        yaml_mapping_start_event_initialize(&event, nullptr, nullptr, 1, YAML_BLOCK_MAPPING_STYLE);
        emit(event);
        for (const auto& [key, item] : value.as_object()) {
          scalar(key, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
          emit_value(item);
        }
        yaml_mapping_end_event_initialize(&event);
        emit(event);
        return;
    }
  }

  yaml_emitter_t emitter_{};
  std::string out_;
};

Value yamlencode(Args args, const FunctionContext&) {
  const Value& value = args[0];
  std::string out = YamlEncoder().encode(value);
  // go-yaml closes a document whose root is a plain scalar with "...".
  bool plain_root = value.is_null() || value.is_bool() || value.is_number();
  if (plain_root && out.find("...\n") == std::string::npos) out += "...\n";
  return Value::string(std::move(out));
}

}  // namespace

std::vector<FunctionSpec> yaml_function_specs() {
  return {
      {"yamldecode", 1, 1, false, yamldecode},
      {"yamlencode", 1, 1, false, yamlencode},
  };
}

}  // namespace skiff::parser
