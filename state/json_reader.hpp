// Strict reading of JSON into the state's structs. A present field must have
// the right type and an unknown field is an error: skiff rewrites the whole
// state on every save, so a field it did not understand would otherwise be
// dropped without a word. Every error names the field by its path, as in
// `allocations[3].index: expected an integer`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace skiff::state {

enum class Need { kRequired, kOptional };

// "jobs.web", or `jobs["my job"]` when the key is not a plain name; a key
// at the top level (empty parent) is itself.
std::string member_path(const std::string& parent, const std::string& key);
std::string index_path(const std::string& parent, size_t index);

// "<path>: <problem>" as a kParse error.
Error field_error(const std::string& path, const std::string& problem);

Status decode(const nlohmann::json& value, const std::string& path, std::string& out);
Status decode(const nlohmann::json& value, const std::string& path, bool& out);
Status decode(const nlohmann::json& value, const std::string& path, int& out);
Status decode(const nlohmann::json& value, const std::string& path, int64_t& out);
Status decode(const nlohmann::json& value, const std::string& path, uint64_t& out);
Status decode(const nlohmann::json& value, const std::string& path, nlohmann::json& out);
// null (or an absent field) is nullopt.
Status decode(const nlohmann::json& value, const std::string& path, std::optional<int64_t>& out);

template <typename V>
Status decode(const nlohmann::json& value, const std::string& path, std::vector<V>& out) {
  if (!value.is_array()) return field_error(path, "expected an array");
  out.clear();
  for (size_t i = 0; i < value.size(); ++i) {
    V item{};
    Status status = decode(value[i], index_path(path, i), item);
    if (!status) return status;
    out.push_back(std::move(item));
  }
  return Status();
}

template <typename V>
Status decode(const nlohmann::json& value, const std::string& path, std::map<std::string, V>& out) {
  if (!value.is_object()) return field_error(path, "expected an object");
  out.clear();
  for (auto it = value.begin(); it != value.end(); ++it) {
    V item{};
    Status status = decode(it.value(), member_path(path, it.key()), item);
    if (!status) return status;
    out.emplace(it.key(), std::move(item));
  }
  return Status();
}

// The fields of one JSON object, read one by one. The first error sticks:
// later get() calls do nothing, and finish() returns it.
class Fields {
 public:
  Fields(const nlohmann::json& object, std::string path);

  template <typename T>
  void get(const std::string& key, T& out, Need need = Need::kOptional) {
    known_.push_back(key);
    if (!status_) return;
    auto it = object_.find(key);
    if (it == object_.end()) {
      if (need == Need::kRequired) status_ = field_error(member_path(path_, key), "missing");
      return;
    }
    status_ = decode(*it, member_path(path_, key), out);
  }

  // The first error, else an error for a field no get() asked for.
  Status finish() const;

 private:
  const nlohmann::json& object_;
  std::string path_;
  std::vector<std::string> known_;
  Status status_;
};

}  // namespace skiff::state
