// A Value as JSON: numbers that are whole become JSON integers (no decimal
// point), unknowns their "${...}" text. Shared by inspect and hcl2json.
#pragma once

#include <nlohmann/json.hpp>

#include "parser/value.hpp"

namespace skiff::parser {

nlohmann::json value_to_json(const Value& value);

}  // namespace skiff::parser
