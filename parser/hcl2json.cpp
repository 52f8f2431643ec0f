// body_to_hcl2json: the layout of the common hcl2json tools. An attribute
// is "name": value; a block of type T with labels L1..Ln is appended to the
// array at obj[T][L1]...[Ln]; a block without labels to the array obj[T].
// A sensitive value is printed as "(sensitive)".
#include "parser/load.hpp"
#include "parser/value_json.hpp"

namespace skiff::parser {

using nlohmann::json;

namespace {

json shown_json(const Value& value) {
  if (value.is_sensitive()) return kSensitiveText;
  if (!value.contains_sensitive()) return value_to_json(value);
  json out = value.is_list() ? json::array() : json::object();
  if (value.is_list())
    for (const Value& item : value.as_list()) out.push_back(shown_json(item));
  else
    for (const auto& [key, item] : value.as_object()) out[key] = shown_json(item);
  return out;
}

}  // namespace

nlohmann::json body_to_hcl2json(const EvalBody& body) {
  json out = json::object();
  for (const EvalAttribute& attribute : body.attributes) out[attribute.name] = shown_json(attribute.value);
  for (const EvalBlock& block : body.blocks) {
    json* slot = &out[block.type];
    for (const std::string& label : block.labels) {
      if (!slot->is_object()) *slot = json::object();
      slot = &(*slot)[label];
    }
    if (!slot->is_array()) *slot = json::array();
    slot->push_back(body_to_hcl2json(*block.body));
  }
  return out;
}

}  // namespace skiff::parser
