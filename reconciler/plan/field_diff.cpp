#include "reconciler/plan/field_diff.hpp"

#include <algorithm>
#include <map>

#include "parser/sensitive.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::reconciler {

namespace {

using Json = nlohmann::json;

// A list of named objects, keyed by name: how groups and tasks compare.
std::map<std::string, const Json*> by_name(const Json& list) {
  std::map<std::string, const Json*> out;
  for (const Json& item : list) out[item.at("name").get<std::string>()] = &item;
  return out;
}

class Differ {
 public:
  std::vector<FieldDiff> take() { return std::move(diffs_); }

  void objects(const std::string& prefix, const Json& before, const Json& after) {
    std::map<std::string, std::pair<const Json*, const Json*>> keys;
    for (auto it = before.begin(); it != before.end(); ++it) keys[it.key()].first = &*it;
    for (auto it = after.begin(); it != after.end(); ++it) keys[it.key()].second = &*it;
    for (const auto& [key, pair] : keys) {
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      if (key == "name" && !prefix.empty()) continue;  // the path names it
      if ((key == "groups" || key == "tasks") && pair.first && pair.second) {
        named(prefix.empty() ? "group" : prefix + ".task", *pair.first, *pair.second, key == "groups");
      } else {
        value(path, pair.first ? *pair.first : Json(), pair.second ? *pair.second : Json());
      }
    }
  }

 private:
  void named(const std::string& prefix, const Json& before, const Json& after, bool groups) {
    std::map<std::string, std::pair<const Json*, const Json*>> items;
    for (const auto& [name, item] : by_name(before)) items[name].first = item;
    for (const auto& [name, item] : by_name(after)) items[name].second = item;
    for (const auto& [name, pair] : items) {
      const std::string path = prefix + "." + name;
      if (pair.first && pair.second) {
        objects(path, *pair.first, *pair.second);
      } else if (pair.second) {
        diffs_.push_back({DiffType::kAdded, path, "", "", groups ? "forces create" : "forces create/destroy update"});
      } else {
        diffs_.push_back({DiffType::kDeleted, path, "", "", groups ? "forces destroy" : "forces create/destroy update"});
      }
    }
  }

  void value(const std::string& path, const Json& before, const Json& after) {
    if (before == after) return;
    if (before.is_object() && after.is_object()) return objects(path, before, after);
    FieldDiff d;
    d.path = path;
    d.type = before.is_null() ? DiffType::kAdded : after.is_null() ? DiffType::kDeleted : DiffType::kEdited;
    // A sensitive value on either side hides both: the other may be the
    // same secret kept in clear by an older skiff, or a part of it.
    const bool hidden = parser::holds_sensitive_marker(before) || parser::holds_sensitive_marker(after);
    if (!before.is_null()) d.old_value = hidden ? std::string(parser::kSensitiveText) : before.dump();
    if (!after.is_null()) d.new_value = hidden ? std::string(parser::kSensitiveText) : after.dump();
    d.annotation = annotation(path, before, after);
    diffs_.push_back(std::move(d));
  }

  static std::string annotation(const std::string& path, const Json& before, const Json& after) {
    const bool count =
        path.size() > 6 && path.compare(path.size() - 6, 6, ".count") == 0 && path.find(".task.") == std::string::npos;
    if (count && before.is_number() && after.is_number())
      return after.get<int>() > before.get<int>() ? "forces create" : "forces destroy";
    return is_destructive_path(path) ? "forces create/destroy update" : "forces in-place update";
  }

  std::vector<FieldDiff> diffs_;
};

}  // namespace

std::vector<FieldDiff> diff_job_specs(const nlohmann::json& old_job, const nlohmann::json& new_job) {
  Differ differ;
  differ.objects("", old_job, new_job);
  std::vector<FieldDiff> diffs = differ.take();
  std::stable_sort(diffs.begin(), diffs.end(), [](const FieldDiff& a, const FieldDiff& b) { return a.path < b.path; });
  return diffs;
}

}  // namespace skiff::reconciler
