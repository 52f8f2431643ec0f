#include "parser/value_json.hpp"

#include <cmath>

namespace skiff::parser {

using nlohmann::json;

json value_to_json(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull: return nullptr;
    case ValueKind::kBool: return value.as_bool();
    case ValueKind::kNumber: {
      double n = value.as_number();
      if (std::abs(n) < 9.2e18 && n == static_cast<double>(static_cast<int64_t>(n))) return static_cast<int64_t>(n);
      return n;
    }
    case ValueKind::kString: return value.as_string();
    case ValueKind::kUnknown: return "${" + value.as_string() + "}";
    case ValueKind::kList: {
      json out = json::array();
      for (const Value& item : value.as_list()) out.push_back(value_to_json(item));
      return out;
    }
    case ValueKind::kObject: {
      json out = json::object();
      for (const auto& [key, item] : value.as_object()) out[key] = value_to_json(item);
      return out;
    }
  }
  return nullptr;
}

}  // namespace skiff::parser
