#include "drivers/task/task_config.hpp"

#include <algorithm>

namespace skiff::drivers {

namespace {

const parser::Value* config_value(const parser::Value& config, const std::string& key) {
  if (!config.is_object()) return nullptr;
  auto it = config.as_object().find(key);
  return it == config.as_object().end() ? nullptr : &it->second;
}

}  // namespace

std::optional<std::string> config_string(const parser::Value& config, const std::string& key) {
  const parser::Value* v = config_value(config, key);
  // A number or bool reads as its text, as validate's conversions do.
  return v && !v->is_list() && !v->is_object() ? parser::to_string_value(*v) : std::nullopt;
}

std::vector<std::string> config_strings(const parser::Value& config, const std::string& key) {
  std::vector<std::string> out;
  const parser::Value* v = config_value(config, key);
  if (v && v->is_list())
    for (const parser::Value& item : v->as_list())
      if (std::optional<std::string> text = parser::to_string_value(item)) out.push_back(*text);
  return out;
}

int64_t whole_seconds(const spec::Duration& duration, int64_t at_least) {
  return std::max((duration.nanoseconds + 999999999) / 1000000000, at_least);
}

bool config_bool(const parser::Value& config, const std::string& key) {
  const parser::Value* v = config_value(config, key);
  return v && parser::to_bool_value(*v).value_or(false);
}

}  // namespace skiff::drivers
