// body_to_hcl2json: the layout of the common hcl2json tools. An attribute
// is "name": value; a block of type T with labels L1..Ln is appended to the
// array at obj[T][L1]...[Ln]; a block without labels to the array obj[T].
#include "parser/load.hpp"
#include "parser/value_json.hpp"

namespace skiff::parser {

using nlohmann::json;

nlohmann::json body_to_hcl2json(const EvalBody& body) {
  json out = json::object();
  for (const EvalAttribute& attribute : body.attributes) out[attribute.name] = value_to_json(attribute.value);
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
