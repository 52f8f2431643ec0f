#include "cli/plan_file.hpp"

#include <filesystem>
#include <fstream>

#include "base/json_reader.hpp"
#include "base/replace_file.hpp"
#include "reconciler/plan/plan_json.hpp"

namespace skiff::cli {

namespace {

// A saved plan's "job_files": [{"path": ..., "text": ...}, ...].
Status read_job_files(const nlohmann::json& files, const base::JsonPath& path, SavedPlan& saved) {
  if (!files.is_array()) return path.wrong_type("an array", files);
  for (size_t i = 0; i < files.size(); ++i) {
    std::string file, text;
    base::Fields f(files[i], path.index(i), base::UnknownFields::kIgnore);
    f.get("path", file);
    f.get("text", text);
    if (Status status = f.finish(); !status) return status;
    saved.files.emplace_back(std::move(file), std::move(text));
  }
  return Status();
}

}  // namespace

Status save_plan(const std::string& path, const reconciler::Plan& plan, const JobSet& set, const VarFlags& flags) {
  nlohmann::json files = nlohmann::json::array();
  for (const std::string& file : set.files) {
    Result<std::string> text = read_text_file(file);
    if (!text.ok()) return text.error();
    files.push_back({{"path", file}, {"text", *text}});
  }
  nlohmann::json saved = {{"skiff_plan_file", 1},
                          {"plan", reconciler::plan_to_json(plan)},
                          {"job_files", files},
                          {"vars", flags.vars},
                          {"var_files", flags.var_files}};
  // 0600: a plan carries the job files' text and the -var values. Written
  // beside the old file and renamed over it, never through a symlink.
  if (Status written = base::replace_file(path, pretty_json(saved) + "\n"); !written)
    return written.error().wrap("cannot write the plan to " + path);
  return Status();
}

Result<std::optional<SavedPlan>> read_saved_plan(const std::vector<std::string>& paths) {
  std::error_code ec;
  if (paths.size() != 1 || !std::filesystem::is_regular_file(paths[0], ec)) return std::optional<SavedPlan>();
  std::ifstream in(paths[0]);
  if (!in) return std::optional<SavedPlan>();
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("skiff_plan_file")) return std::optional<SavedPlan>();
  SavedPlan saved;
  base::Fields f(j, base::JsonPath("", base::Wording::kNamesFound), base::UnknownFields::kIgnore);
  f.get("plan", saved.plan);  // checked by plan_from_json
  if (const nlohmann::json* files = f.find("job_files", base::Need::kOptional))
    if (Status status = read_job_files(*files, f.path_of("job_files"), saved); !status) f.fail(status.error());
  f.get("vars", saved.flags.vars);
  f.get("var_files", saved.flags.var_files);
  if (Status status = f.finish(); !status) return status.error().wrap("plan file " + paths[0]);
  return std::optional<SavedPlan>(std::move(saved));
}

}  // namespace skiff::cli
