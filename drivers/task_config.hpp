// Reading a task's driver `config` block (a generic object value): the
// fields the drivers take, absent or of another type meaning "not set".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parser/value.hpp"

namespace skiff::drivers {

std::optional<std::string> config_string(const parser::Value& config, const std::string& key);
// A list's string items, in order; empty when absent.
std::vector<std::string> config_strings(const parser::Value& config, const std::string& key);
bool config_bool(const parser::Value& config, const std::string& key);

}  // namespace skiff::drivers
