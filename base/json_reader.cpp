#include "base/json_reader.hpp"

#include <algorithm>
#include <limits>

namespace skiff::base {

namespace {

bool plain_name(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

std::string member_path(const std::string& parent, const std::string& key) {
  if (!plain_name(key))
    return parent + "[" + nlohmann::json(key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "]";
  return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, size_t index) { return parent + "[" + std::to_string(index) + "]"; }

Error field_error(const std::string& path, const std::string& problem) {
  return make_error(ErrorCode::kParse, (path.empty() ? std::string("the document") : path) + ": " + problem);
}

Error JsonPath::error(const std::string& problem) const {
  if (text_.empty() && wording_ == Wording::kNamesFound) return make_error(ErrorCode::kParse, problem);
  return field_error(text_, problem);
}

Error JsonPath::wrong_type(const std::string& expected, const nlohmann::json& found) const {
  if (wording_ == Wording::kNamesFound) return error("expected " + expected + ", got " + found.type_name());
  return error("expected " + expected);
}

Error JsonPath::negative() const {
  return error(wording_ == Wording::kNamesFound ? "must not be negative" : "expected a non-negative integer");
}

Result<nlohmann::json> parse_json(const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 200:
    // syntax error while parsing value - unexpected end of input; ..." loses
    // its first and third parts, which say nothing to a user.
    std::string message = e.what();
    size_t at = message.find("parse error at ");
    if (at != std::string::npos) message = message.substr(at + 15);
    size_t syntax = message.find("syntax error while parsing");
    size_t dash = syntax == std::string::npos ? std::string::npos : message.find(" - ", syntax);
    if (dash != std::string::npos) message.erase(syntax, dash + 3 - syntax);
    return make_error(ErrorCode::kParse, message);
  }
}

Status decode(const nlohmann::json& value, const JsonPath& path, std::string& out) {
  if (!value.is_string()) return path.wrong_type("a string", value);
  out = value.get<std::string>();
  return Status();
}

Status decode(const nlohmann::json& value, const JsonPath& path, bool& out) {
  if (!value.is_boolean()) return path.wrong_type("true or false", value);
  out = value.get<bool>();
  return Status();
}

Status decode(const nlohmann::json& value, const JsonPath& path, int64_t& out) {
  if (!value.is_number_integer()) return path.wrong_type("an integer", value);
  if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return path.error("out of range");
  out = value.get<int64_t>();
  return Status();
}

Status decode(const nlohmann::json& value, const JsonPath& path, int& out) {
  int64_t wide = 0;
  Status status = decode(value, path, wide);
  if (!status) return status;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) return path.error("out of range");
  out = static_cast<int>(wide);
  return Status();
}

Status decode(const nlohmann::json& value, const JsonPath& path, uint64_t& out) {
  if (!value.is_number_integer()) return path.wrong_type("an integer", value);
  if (!value.is_number_unsigned() && value.get<int64_t>() < 0) return path.negative();
  out = value.get<uint64_t>();
  return Status();
}

Status decode(const nlohmann::json& value, const JsonPath& path, double& out) {
  if (!value.is_number()) return path.wrong_type("a number", value);
  out = value.get<double>();
  return Status();
}

Status decode(const nlohmann::json& value, const JsonPath& path, nlohmann::json& out) {
  out = value;
  return Status();
}

Fields::Fields(const nlohmann::json& object, JsonPath path, UnknownFields unknown)
    : object_(object), path_(std::move(path)), unknown_(unknown) {
  if (!object_.is_object()) status_ = path_.wrong_type("an object", object_);
}

const nlohmann::json* Fields::find(const std::string& key, Need need) {
  known_.push_back(key);
  if (!status_) return nullptr;
  auto it = object_.find(key);
  if (it != object_.end()) return &*it;
  if (need == Need::kRequired) status_ = path_.member(key).error("missing");
  return nullptr;
}

void Fields::fail(Error error) {
  if (status_) status_ = std::move(error);
}

Status Fields::finish() const {
  if (!status_ || unknown_ == UnknownFields::kIgnore) return status_;
  for (auto it = object_.begin(); it != object_.end(); ++it)
    if (std::find(known_.begin(), known_.end(), it.key()) == known_.end()) return path_.member(it.key()).error("unknown field");
  return Status();
}

}  // namespace skiff::base
