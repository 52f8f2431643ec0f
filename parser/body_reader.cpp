#include "parser/body_reader.hpp"

#include <algorithm>
#include <cmath>

#include "parser/did_you_mean.hpp"

namespace skiff::parser {

std::string describe_block(std::string_view type, const std::string& label) {
  return std::string(type) + (label.empty() ? "" : " \"" + label + "\"");
}

BodyReader::BodyReader(const EvalBody& body, std::string where, Diagnostics& diagnostics)
    : body_(body), where_(std::move(where)), diagnostics_(diagnostics) {}

const EvalAttribute* BodyReader::find(std::string_view name) {
  known_attributes_.insert(std::string(name));
  for (const EvalAttribute& attribute : body_.attributes)
    if (attribute.name == name) return attribute.failed ? nullptr : &attribute;
  return nullptr;
}

void BodyReader::attribute_error(const EvalAttribute& attribute, const std::string& message) {
  diagnostics_.error(body_.file, attribute.value_range, message);
}

void BodyReader::type_error(const EvalAttribute& attribute, const std::string& wanted) {
  const parser::Value& v = attribute.value;
  std::string found = v.is_string() && v.as_string().find("${") != std::string::npos
      ? "\"" + v.as_string() + "\", which is only known at run time"
      : type_name(v);
  attribute_error(attribute, "attribute \"" + attribute.name + "\" in " + where_ + " must be " + wanted + ", not " + found);
}

std::optional<std::string> BodyReader::string(std::string_view name) {
  const EvalAttribute* attribute = find(name);
  if (!attribute || attribute->value.is_null()) return std::nullopt;
  if (auto text = to_string_value(attribute->value)) return text;
  type_error(*attribute, "a string");
  return std::nullopt;
}

std::optional<int64_t> BodyReader::integer(std::string_view name) {
  const EvalAttribute* attribute = find(name);
  if (!attribute || attribute->value.is_null()) return std::nullopt;
  std::optional<double> n = to_number_value(attribute->value);
  if (!n) {
    type_error(*attribute, "a number");
    return std::nullopt;
  }
  if (*n != std::floor(*n) || std::fabs(*n) > 9e15) {
    attribute_error(*attribute,
                    "attribute \"" + attribute->name + "\" in " + where_ + " must be a whole number, not " + format_number(*n));
    return std::nullopt;
  }
  return static_cast<int64_t>(*n);
}

std::optional<int64_t> BodyReader::integer_in_range(std::string_view name, int64_t min, int64_t max) {
  std::optional<int64_t> n = integer(name);
  if (!n) return std::nullopt;
  if (*n < min || *n > max) {
    attribute_error(*find(name),
                    "attribute \"" + std::string(name) + "\" in " + where_ + " must be between " + std::to_string(min) + " and " +
                        std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> BodyReader::boolean(std::string_view name) {
  const EvalAttribute* attribute = find(name);
  if (!attribute || attribute->value.is_null()) return std::nullopt;
  if (auto b = to_bool_value(attribute->value)) return b;
  type_error(*attribute, "a bool");
  return std::nullopt;
}

std::optional<spec::Duration> BodyReader::duration(std::string_view name) {
  const EvalAttribute* attribute = find(name);
  if (!attribute || attribute->value.is_null()) return std::nullopt;
  if (attribute->value.is_number()) return spec::Duration{static_cast<int64_t>(attribute->value.as_number())};
  if (!attribute->value.is_string()) {
    type_error(*attribute, "a duration such as \"30s\"");
    return std::nullopt;
  }
  std::optional<spec::Duration> d = spec::parse_duration(attribute->value.as_string());
  if (!d) {
    attribute_error(*attribute,
                    "attribute \"" + attribute->name + "\" in " + where_ + " is not a valid duration: \"" +
                        attribute->value.as_string() + "\" (use units ns, us, ms, s, m, h, e.g. \"1m30s\")");
  }
  return d;
}

std::optional<std::vector<std::string>> BodyReader::strings(std::string_view name) {
  const EvalAttribute* attribute = find(name);
  if (!attribute || attribute->value.is_null()) return std::nullopt;
  if (!attribute->value.is_list()) {
    type_error(*attribute, "a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const parser::Value& item : attribute->value.as_list()) {
    std::optional<std::string> text = to_string_value(item);
    if (!text) {
      type_error(*attribute, "a list of strings");
      return std::nullopt;
    }
    out.push_back(*text);
  }
  return out;
}

const EvalAttribute* BodyReader::value(std::string_view name) {
  known_attributes_.insert(std::string(name));
  for (const EvalAttribute& attribute : body_.attributes)
    if (attribute.name == name) return &attribute;
  return nullptr;
}

void BodyReader::require(std::string_view name) {
  bool present = false;
  for (const EvalAttribute& attribute : body_.attributes) present = present || attribute.name == name;
  known_attributes_.insert(std::string(name));
  if (!present) {
    diagnostics_.error(body_.file, body_.range, where_ + " is missing the required attribute \"" + std::string(name) + "\"");
  }
}

std::vector<const EvalBlock*> BodyReader::blocks(std::string_view type, size_t labels) {
  known_blocks_.insert(std::string(type));
  std::vector<const EvalBlock*> out;
  for (const EvalBlock& block : body_.blocks) {
    if (block.type != type) continue;
    if (block.labels.size() != labels) {
      std::string wanted = labels == 0 ? "takes no labels"
          : labels == 1                ? "needs exactly one label, its name"
                                       : "needs " + std::to_string(labels) + " labels";
      diagnostics_.error(body_.file, block.type_range, "block \"" + block.type + "\" in " + where_ + " " + wanted);
      continue;
    }
    out.push_back(&block);
  }
  return out;
}

const EvalBlock* BodyReader::single_block(std::string_view type) {
  std::vector<const EvalBlock*> found = blocks(type);
  for (size_t i = 1; i < found.size(); ++i) {
    diagnostics_.error(body_.file, found[i]->type_range,
                       "only one \"" + std::string(type) + "\" block is allowed in " + where_ + " (the first is at line " +
                           std::to_string(found[0]->type_range.begin.line) + ")");
  }
  return found.empty() ? nullptr : found[0];
}

std::map<std::string, std::string> BodyReader::string_map(std::string_view name) {
  std::map<std::string, std::string> out;
  auto take = [&](const parser::Value& value, const EvalBody* file_body, const SourceRange& range) {
    for (const auto& [key, item] : value.as_object()) {
      std::optional<std::string> text = to_string_value(item);
      if (!text) {
        diagnostics_.error(
            file_body->file, range,
            "\"" + key + "\" in " + std::string(name) + " of " + where_ + " must be a string, not " + type_name(item));
        continue;
      }
      out[key] = *text;
    }
  };
  if (const EvalAttribute* attribute = find(name); attribute && !attribute->value.is_null()) {
    if (attribute->value.is_object()) take(attribute->value, &body_, attribute->value_range);
    else type_error(*attribute, "a map of strings");
  }
  for (const EvalBlock* block : blocks(name)) {
    for (const EvalAttribute& attribute : block->body->attributes) {
      if (attribute.failed) continue;
      std::optional<std::string> text = to_string_value(attribute.value);
      if (!text) {
        diagnostics_.error(block->body->file, attribute.value_range,
                           "\"" + attribute.name + "\" in " + std::string(name) + " of " + where_ + " must be a string, not " +
                               type_name(attribute.value));
        continue;
      }
      out[attribute.name] = *text;
    }
    for (const EvalBlock& inner : block->body->blocks) {
      diagnostics_.error(block->body->file, inner.type_range,
                         "a " + std::string(name) + " block holds only name = value pairs, not blocks");
    }
  }
  return out;
}

void BodyReader::not_supported_block(std::string_view type) {
  known_blocks_.insert(std::string(type));
  for (const EvalBlock& block : body_.blocks) {
    if (block.type != type) continue;
    diagnostics_.error(body_.file, block.type_range, "block \"" + block.type + "\" in " + where_ + " is not supported by skiff");
  }
}

void BodyReader::not_supported_attribute(std::string_view name) {
  known_attributes_.insert(std::string(name));
  for (const EvalAttribute& attribute : body_.attributes) {
    if (attribute.name != name) continue;
    diagnostics_.warning(body_.file, attribute.name_range,
                         "attribute \"" + attribute.name + "\" in " + where_ + " is not supported by skiff and has no effect");
  }
}

namespace {

const char kHcl1[] = "; this looks like HCL1 syntax (";
const char kHcl2[] = "): Nomad 1.x and skiff read HCL2";

// constraint = [{ ... }] where HCL2 wants a constraint { ... } block each.
std::string block_written_as_attribute(const EvalAttribute& attribute) {
  const Value& value = attribute.value;
  const bool objects = value.is_object() ||
      (value.is_list() && !value.as_list().empty() &&
       std::all_of(value.as_list().begin(), value.as_list().end(), [](const Value& item) { return item.is_object(); }));
  if (objects && value.is_list()) {
    return kHcl1 + std::string("a list of blocks written as [{ ... }]") + kHcl2 +
        ", where each is a block of its own: " + attribute.name + " { ... }";
  }
  return "; \"" + attribute.name + "\" is a block here: " + attribute.name + " { ... }";
}

}  // namespace

void BodyReader::finish() {
  std::vector<std::string> names(known_attributes_.begin(), known_attributes_.end());
  std::vector<std::string> block_names(known_blocks_.begin(), known_blocks_.end());
  std::vector<std::string> everything = names;
  everything.insert(everything.end(), block_names.begin(), block_names.end());
  for (const EvalAttribute& attribute : body_.attributes) {
    if (known_attributes_.count(attribute.name)) continue;
    std::string hint =
        known_blocks_.count(attribute.name) ? block_written_as_attribute(attribute) : did_you_mean_suffix(attribute.name, names);
    diagnostics_.error(body_.file, attribute.name_range, "unknown attribute \"" + attribute.name + "\" in " + where_ + hint);
  }
  for (const EvalBlock& block : body_.blocks) {
    if (known_blocks_.count(block.type)) continue;
    std::string hint = known_attributes_.count(block.type)
        ? "; \"" + block.type + "\" is an attribute here: " + block.type + " = ..."
        : did_you_mean_suffix(block.type, block_names);
    diagnostics_.error(body_.file, block.type_range, "unknown block \"" + block.type + "\" in " + where_ + hint);
  }
}

}  // namespace skiff::parser
