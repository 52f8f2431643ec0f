// Reading a task's driver `config` block (a generic object value): the
// fields the drivers take, absent or of another type meaning "not set".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parser/spec/duration.hpp"
#include "parser/value.hpp"

namespace skiff::drivers {

std::optional<std::string> config_string(const parser::Value& config, const std::string& key);
// A list's string items, in order; empty when absent.
std::vector<std::string> config_strings(const parser::Value& config, const std::string& key);
bool config_bool(const parser::Value& config, const std::string& key);

// A duration as the whole seconds a host's tools take (sleep, --stop-timeout),
// rounded up, and at least `at_least`.
int64_t whole_seconds(const spec::Duration& duration, int64_t at_least = 0);

}  // namespace skiff::drivers
