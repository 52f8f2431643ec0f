// Strict reading of JSON documents into structs: the state, plan files, job
// versions kept in the state, alloc.json. A present field must have the
// right type, and every error names the field by its path, as in
// `allocations[3].index: expected an integer`, so that a hand-edited or
// truncated document says what is wrong with it. Nothing here throws:
// nlohmann's exceptions stop at parse_json and at the typed getters, which
// are only called after the type was checked.
//
// A reader chooses what an unknown field means. The state rejects it, since
// skiff rewrites the whole state on every save and would otherwise drop it
// without a word; plan files, job versions and alloc.json ignore it, since
// they are only read, and a newer skiff may have written more.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace skiff::base {

enum class Need { kRequired, kOptional };
enum class UnknownFields { kReject, kIgnore };

// How problems are worded. Both wordings are pinned by tests and read by
// people: the state's terse one ("serial: expected a non-negative integer";
// the top level is called "the document"), and the one that names the type
// it found ("actions[1].index: expected an integer, got string"; "must not
// be negative"; the top level unnamed, as the caller prefixes its own).
enum class Wording { kTerse, kNamesFound };

// "jobs.web", or `jobs["my job"]` when the key is not a plain name; a key
// at the top level (empty parent) is itself.
std::string member_path(const std::string& parent, const std::string& key);
std::string index_path(const std::string& parent, size_t index);

// Where a value sits in its document, and how a problem there is worded.
// Cheap to copy: a string and an enum.
class JsonPath {
 public:
  explicit JsonPath(std::string text = "", Wording wording = Wording::kTerse) : text_(std::move(text)), wording_(wording) {}

  JsonPath member(const std::string& key) const { return JsonPath(member_path(text_, key), wording_); }
  JsonPath index(size_t i) const { return JsonPath(index_path(text_, i), wording_); }
  const std::string& text() const { return text_; }

  // "<path>: <problem>" as a kParse error.
  Error error(const std::string& problem) const;
  // `found` is not what was expected ("an integer").
  Error wrong_type(const std::string& expected, const nlohmann::json& found) const;
  // `found` is an integer below zero where none may be.
  Error negative() const;

 private:
  std::string text_;
  Wording wording_;
};

// "<path>: <problem>" as a kParse error, in the terse wording.
Error field_error(const std::string& path, const std::string& problem);

// Parses a whole document. Syntax errors read "line 1, column 200:
// unexpected end of input; ...": nlohmann's exception names and its
// "syntax error while parsing value" say nothing to a user.
Result<nlohmann::json> parse_json(const std::string& text);

Status decode(const nlohmann::json& value, const JsonPath& path, std::string& out);
Status decode(const nlohmann::json& value, const JsonPath& path, bool& out);
Status decode(const nlohmann::json& value, const JsonPath& path, int& out);
Status decode(const nlohmann::json& value, const JsonPath& path, int64_t& out);
Status decode(const nlohmann::json& value, const JsonPath& path, uint64_t& out);
Status decode(const nlohmann::json& value, const JsonPath& path, double& out);
// Any value at all, kept as it is.
Status decode(const nlohmann::json& value, const JsonPath& path, nlohmann::json& out);

// The templates below find the decode() of a reader's own structs by
// argument-dependent lookup: declare them in the struct's namespace. They
// are declared first so that each finds the others, in any nesting.
template <typename V>
Status decode(const nlohmann::json& value, const JsonPath& path, std::optional<V>& out);
template <typename V>
Status decode(const nlohmann::json& value, const JsonPath& path, std::vector<V>& out);
template <typename V>
Status decode(const nlohmann::json& value, const JsonPath& path, std::map<std::string, V>& out);

// null (or an absent field) is nullopt.
template <typename V>
Status decode(const nlohmann::json& value, const JsonPath& path, std::optional<V>& out) {
  if (value.is_null()) {
    out.reset();
    return Status();
  }
  V item{};
  Status status = decode(value, path, item);
  if (status) out = std::move(item);
  return status;
}

template <typename V>
Status decode(const nlohmann::json& value, const JsonPath& path, std::vector<V>& out) {
  if (!value.is_array()) return path.wrong_type("an array", value);
  out.clear();
  for (size_t i = 0; i < value.size(); ++i) {
    V item{};
    Status status = decode(value[i], path.index(i), item);
    if (!status) return status;
    out.push_back(std::move(item));
  }
  return Status();
}

template <typename V>
Status decode(const nlohmann::json& value, const JsonPath& path, std::map<std::string, V>& out) {
  if (!value.is_object()) return path.wrong_type("an object", value);
  out.clear();
  for (auto it = value.begin(); it != value.end(); ++it) {
    V item{};
    Status status = decode(it.value(), path.member(it.key()), item);
    if (!status) return status;
    out.emplace(it.key(), std::move(item));
  }
  return Status();
}

// The fields of one JSON object, read one by one. The first error sticks:
// later get() calls do nothing, and finish() returns it.
// REQUIRES: `object` outlives the Fields (it is kept by reference).
class Fields {
 public:
  Fields(const nlohmann::json& object, JsonPath path, UnknownFields unknown = UnknownFields::kReject);

  template <typename T>
  void get(const std::string& key, T& out, Need need = Need::kOptional) {
    known_.push_back(key);
    if (!status_) return;
    auto it = object_.find(key);
    if (it == object_.end()) {
      if (need == Need::kRequired) status_ = path_.member(key).error("missing");
      return;
    }
    status_ = decode(*it, path_.member(key), out);
  }
  template <typename T>
  void require(const std::string& key, T& out) {
    get(key, out, Need::kRequired);
  }

  // The value at `key` for a reader that checks it itself (a version
  // number, an enum's name), with the path to name in its errors; nullptr
  // when it is absent (an error if required) or an error came before.
  const nlohmann::json* find(const std::string& key, Need need = Need::kRequired);
  JsonPath path_of(const std::string& key) const { return path_.member(key); }

  // A reader's own check failed: the error sticks like one of get()'s.
  void fail(Error error);
  bool ok() const { return status_.ok(); }

  // The first error, else (when unknown fields are rejected) an error for a
  // field no get() asked for.
  Status finish() const;

 private:
  const nlohmann::json& object_;
  JsonPath path_;
  UnknownFields unknown_;
  std::vector<std::string> known_;
  Status status_;
};

}  // namespace skiff::base
