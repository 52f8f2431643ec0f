#include "cli/job_set.hpp"

#include <map>

namespace skiff::cli {

namespace {

std::optional<JobSet> load_sources(std::vector<parser::JobSource> sources, std::vector<std::string> files,
                                   std::vector<std::string> problems, Context& context) {
  JobSet set;
  set.files = std::move(files);
  bool failed = false;
  std::map<std::string, std::string> defined_in;
  for (parser::LoadedJobFile& file : parser::load_jobs(std::move(sources))) {
    if (!file.diagnostics.empty()) context.err << file.diagnostics.render_all();
    if (file.diagnostics.has_errors() || !file.loaded.job) {
      failed = true;
      continue;
    }
    for (const auto& [name, value] : file.loaded.evaluated.variables)
      if (value.is_sensitive()) set.sensitive_variables.insert(name);
    spec::Job& job = *file.loaded.job;
    auto [it, fresh] = defined_in.emplace(job.id, job.source_path);
    if (!fresh) problems.push_back("job \"" + job.id + "\" is defined twice: in " + it->second + " and in " + job.source_path);
    else set.jobs.push_back(std::move(job));
  }
  if (set.files.empty() && problems.empty()) problems.push_back("no job files found");
  for (const std::string& problem : problems) context.err << "error: " << problem << "\n";
  if (failed || !problems.empty()) return std::nullopt;
  return set;
}

}  // namespace

std::set<std::string> sensitive_texts_of(const JobSet& set) {
  std::set<std::string> out;
  for (const spec::Job& job : set.jobs)
    for (const auto& [text, marker] : job.sensitive) out.insert(text);
  return out;
}

std::optional<JobSet> load_job_set(const std::vector<std::string>& paths, const VarFlags& flags, const Workspace& workspace,
                                   Context& context) {
  std::vector<std::string> problems;
  std::vector<std::string> where = paths;
  if (where.empty()) where = workspace.project.jobs.empty() ? std::vector<std::string>{"."} : workspace.project.jobs;
  FoundFiles found = find_hcl_files(where, problems);
  std::vector<parser::JobSource> sources;
  for (const std::string& path : found.jobs) {
    Result<std::string> text = read_text_file(path);
    if (!text.ok()) {
      problems.push_back(text.error().message);
      continue;
    }
    sources.push_back({path, std::move(*text), eval_options(flags, context.env, path, problems)});
  }
  return load_sources(std::move(sources), found.jobs, std::move(problems), context);
}

std::optional<JobSet> load_job_texts(const std::vector<std::pair<std::string, std::string>>& files, const VarFlags& flags,
                                     Context& context) {
  return load_job_texts(files, flags, context.env, context);
}

std::optional<JobSet> load_job_texts(const std::vector<std::pair<std::string, std::string>>& files, const VarFlags& flags,
                                     const parser::Environment& env, Context& context) {
  std::vector<std::string> problems, paths;
  std::vector<parser::JobSource> sources;
  for (const auto& [path, text] : files) {
    paths.push_back(path);
    sources.push_back({path, text, eval_options(flags, env, path, problems)});
  }
  return load_sources(std::move(sources), std::move(paths), std::move(problems), context);
}

}  // namespace skiff::cli
