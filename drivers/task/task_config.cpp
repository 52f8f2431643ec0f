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
  return v && v->is_string() ? std::optional<std::string>(v->as_string()) : std::nullopt;
}

std::vector<std::string> config_strings(const parser::Value& config, const std::string& key) {
  std::vector<std::string> out;
  const parser::Value* v = config_value(config, key);
  if (v && v->is_list())
    for (const parser::Value& item : v->as_list())
      if (item.is_string()) out.push_back(item.as_string());
  return out;
}

int64_t whole_seconds(const spec::Duration& duration, int64_t at_least) {
  return std::max((duration.nanoseconds + 999999999) / 1000000000, at_least);
}

bool config_bool(const parser::Value& config, const std::string& key) {
  const parser::Value* v = config_value(config, key);
  return v && v->is_bool() && v->as_bool();
}

}  // namespace skiff::drivers
