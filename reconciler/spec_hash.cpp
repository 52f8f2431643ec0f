#include "reconciler/spec_hash.hpp"

#include <array>

#include "drivers/task/allocation.hpp"

namespace skiff::reconciler {

namespace {

constexpr std::array<const char*, 11> kDestructiveTaskFields = {
    "driver", "user", "config", "env", "meta", "artifacts", "templates", "logs", "resources", "volume_mounts", "lifecycle"};
constexpr std::array<const char*, 4> kDestructiveGroupFields = {"network", "volumes", "ephemeral_disk", "meta"};

bool one_of(const std::string& field, const auto& names) {
  for (const char* name : names)
    if (field == name) return true;
  return false;
}

// The first dot-separated part of `path` after `prefix`, or "".
std::string part_after(const std::string& path, const std::string& prefix) {
  if (path.rfind(prefix, 0) != 0) return "";
  std::string rest = path.substr(prefix.size());
  return rest.substr(0, rest.find('.'));
}

}  // namespace

std::map<std::string, std::string> task_spec_hashes(const nlohmann::json& job_json, const std::string& group) {
  std::map<std::string, std::string> hashes;
  for (const auto& g : job_json.at("groups")) {
    if (g.at("name") != group) continue;
    nlohmann::json shared = {{"job_meta", job_json.at("meta")}};
    for (const char* field : kDestructiveGroupFields) shared[std::string("group_") + field] = g.at(field);
    for (const auto& task : g.at("tasks")) {
      nlohmann::json spec = shared;
      for (const char* field : kDestructiveTaskFields) spec[field] = task.at(field);
      hashes[task.at("name").get<std::string>()] = drivers::task_spec_hash(spec);
    }
  }
  return hashes;
}

std::string job_spec_hash(const nlohmann::json& job_json) { return drivers::task_spec_hash(job_json); }

bool is_destructive_path(const std::string& path) {
  if (path == "meta" || path.rfind("meta.", 0) == 0) return true;
  if (path.rfind("group.", 0) != 0) return false;
  const std::string group = part_after(path, "group.");
  const std::string in_group = "group." + group + ".";
  const std::string field = part_after(path, in_group);
  if (one_of(field, kDestructiveGroupFields)) return true;
  if (field != "task") return false;
  const std::string task = part_after(path, in_group + "task.");
  return one_of(part_after(path, in_group + "task." + task + "."), kDestructiveTaskFields);
}

}  // namespace skiff::reconciler
