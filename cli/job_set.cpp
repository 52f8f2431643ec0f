#include "cli/job_set.hpp"

#include <map>

namespace skiff::cli {

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
  JobSet set;
  set.files = found.jobs;
  bool failed = false;
  std::map<std::string, std::string> defined_in;
  for (parser::LoadedJobFile& file : parser::load_jobs(std::move(sources))) {
    if (!file.diagnostics.empty()) context.err << file.diagnostics.render_all();
    if (file.diagnostics.has_errors() || !file.loaded.job) {
      failed = true;
      continue;
    }
    spec::Job& job = *file.loaded.job;
    auto [it, fresh] = defined_in.emplace(job.id, job.source_path);
    if (!fresh) problems.push_back("job \"" + job.id + "\" is defined twice: in " + it->second + " and in " + job.source_path);
    else set.jobs.push_back(std::move(job));
  }
  if (found.jobs.empty() && problems.empty()) problems.push_back("no job files found");
  for (const std::string& problem : problems) context.err << "error: " << problem << "\n";
  if (failed || !problems.empty()) return std::nullopt;
  return set;
}

}  // namespace skiff::cli
