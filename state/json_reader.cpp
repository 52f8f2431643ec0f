#include "state/json_reader.hpp"

#include <algorithm>
#include <limits>

namespace skiff::state {

namespace {

bool plain_name(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

std::string member_path(const std::string& parent, const std::string& key) {
  if (!plain_name(key)) return parent + "[" + nlohmann::json(key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "]";
  return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, size_t index) { return parent + "[" + std::to_string(index) + "]"; }

Error field_error(const std::string& path, const std::string& problem) {
  return make_error(ErrorCode::kParse, (path.empty() ? std::string("the document") : path) + ": " + problem);
}

Status decode(const nlohmann::json& value, const std::string& path, std::string& out) {
  if (!value.is_string()) return field_error(path, "expected a string");
  out = value.get<std::string>();
  return Status();
}

Status decode(const nlohmann::json& value, const std::string& path, bool& out) {
  if (!value.is_boolean()) return field_error(path, "expected true or false");
  out = value.get<bool>();
  return Status();
}

Status decode(const nlohmann::json& value, const std::string& path, int64_t& out) {
  if (!value.is_number_integer()) return field_error(path, "expected an integer");
  if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return field_error(path, "out of range");
  out = value.get<int64_t>();
  return Status();
}

Status decode(const nlohmann::json& value, const std::string& path, int& out) {
  int64_t wide = 0;
  Status status = decode(value, path, wide);
  if (!status) return status;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) return field_error(path, "out of range");
  out = static_cast<int>(wide);
  return Status();
}

Status decode(const nlohmann::json& value, const std::string& path, uint64_t& out) {
  if (!value.is_number_integer()) return field_error(path, "expected an integer");
  if (!value.is_number_unsigned() && value.get<int64_t>() < 0) return field_error(path, "expected a non-negative integer");
  out = value.get<uint64_t>();
  return Status();
}

Status decode(const nlohmann::json& value, const std::string& path, nlohmann::json& out) {
  out = value;
  return Status();
}

Status decode(const nlohmann::json& value, const std::string& path, std::optional<int64_t>& out) {
  if (value.is_null()) {
    out.reset();
    return Status();
  }
  int64_t number = 0;
  Status status = decode(value, path, number);
  if (status) out = number;
  return status;
}

Fields::Fields(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) status_ = field_error(path_, "expected an object");
}

Status Fields::finish() const {
  if (!status_) return status_;
  for (auto it = object_.begin(); it != object_.end(); ++it)
    if (std::find(known_.begin(), known_.end(), it.key()) == known_.end())
      return field_error(member_path(path_, it.key()), "unknown field");
  return Status();
}

}  // namespace skiff::state
