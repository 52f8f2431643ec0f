#include "cli/plan_file.hpp"

#include <filesystem>
#include <fstream>
#include <set>

#include "base/json_reader.hpp"
#include "base/replace_file.hpp"
#include "parser/load.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/spec_hash.hpp"

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

// "NAME" of a -var "NAME=VALUE".
std::string var_name(const std::string& flag) { return flag.substr(0, flag.find('=')); }

}  // namespace

Status save_plan(const std::string& path, const reconciler::Plan& plan, const JobSet& set, const VarFlags& flags) {
  nlohmann::json files = nlohmann::json::array();
  for (const std::string& file : set.files) {
    Result<std::string> text = read_text_file(file);
    if (!text.ok()) return text.error();
    files.push_back({{"path", file}, {"text", *text}});
  }
  std::vector<std::string> vars;
  std::set<std::string> sensitive;
  for (const std::string& flag : flags.vars) {
    if (set.sensitive_variables.count(var_name(flag))) sensitive.insert(var_name(flag));
    else vars.push_back(flag);
  }
  nlohmann::json hashes = nlohmann::json::object();
  for (const spec::Job& job : set.jobs) hashes[job.id] = reconciler::job_spec_hash(parser::job_to_json(job));
  nlohmann::json saved = {{"skiff_plan_file", 1},         {"plan", reconciler::plan_to_json(plan)},
                          {"job_files", files},           {"vars", vars},
                          {"var_files", flags.var_files}, {"sensitive_vars", sensitive},
                          {"job_spec_hashes", hashes}};
  // 0600: a plan carries the job files' text and the -var values that are
  // not sensitive. Written beside the old file and renamed over it, never
  // through a symlink.
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
  f.get("sensitive_vars", saved.sensitive_vars);
  f.get("job_spec_hashes", saved.job_spec_hashes);
  if (Status status = f.finish(); !status) return status.error().wrap("plan file " + paths[0]);
  return std::optional<SavedPlan>(std::move(saved));
}

std::optional<JobSet> load_saved_jobs(const SavedPlan& saved, const std::string& plan_path, const VarFlags& given,
                                      Context& context) {
  const std::set<std::string> wanted(saved.sensitive_vars.begin(), saved.sensitive_vars.end());
  std::set<std::string> got;
  bool refused = false;
  for (const std::string& flag : given.vars) {
    if (wanted.count(var_name(flag))) {
      got.insert(var_name(flag));
      continue;
    }
    context.err << "error: -var " << var_name(flag) << ": plan file " << plan_path
                << " carries its own -var values; only those of its sensitive variables, which it does not keep, are given "
                   "again. Run `skiff plan -out` again to change the others.\n";
    refused = true;
  }
  if (!given.var_files.empty()) {
    context.err << "error: -var-file: plan file " << plan_path
                << " reads the -var-file files it was made with; run `skiff plan -out` again to use others.\n";
    refused = true;
  }
  for (const std::string& name : saved.sensitive_vars)
    if (!got.count(name)) {
      context.err << "error: plan file " << plan_path << " was made with -var " << name
                  << "=..., a sensitive variable whose value it does not keep: give it again, as in `skiff apply -var " << name
                  << "=... " << plan_path << "`\n";
      refused = true;
    }
  if (refused) return std::nullopt;
  VarFlags flags = saved.flags;
  flags.vars.insert(flags.vars.end(), given.vars.begin(), given.vars.end());
  std::optional<JobSet> set = load_job_texts(saved.files, flags, context);
  if (!set) return std::nullopt;
  for (const spec::Job& job : set->jobs) {
    auto it = saved.job_spec_hashes.find(job.id);
    if (it == saved.job_spec_hashes.end() || it->second == reconciler::job_spec_hash(parser::job_to_json(job))) continue;
    context.err << "error: job \"" << job.id << "\" is not what plan file " << plan_path
                << " was made from: a sensitive -var, a -var-file or a NOMAD_VAR_ variable has another value now. Give "
                   "the same values, or run `skiff plan -out` again.\n";
    refused = true;
  }
  if (refused) return std::nullopt;
  return set;
}

}  // namespace skiff::cli
