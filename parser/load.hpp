// The parser module's front door: job files, inventories and project files
// from text to typed, defaulted, validated models, every problem collected
// as a diagnostic.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "parser/diagnostic.hpp"
#include "parser/eval.hpp"
#include "parser/spec/inventory.hpp"
#include "parser/spec/job.hpp"
#include "parser/spec/project.hpp"

namespace skiff::parser {

struct LoadedJob {
  EvaluatedFile evaluated;
  // Present when the file held a `job` block that could be decoded; it may
  // still carry diagnostics (warnings, or errors in some fields).
  std::optional<spec::Job> job;
};

// parse + evaluate + decode + default + validate one job file.
LoadedJob load_job(const std::string& path, std::string text, const EvalOptions& options, Diagnostics& diagnostics);

// One job file to load: its path, its text and how to evaluate it.
struct JobSource {
  std::string path;
  std::string text;
  EvalOptions options;
};

struct LoadedJobFile {
  LoadedJob loaded;
  Diagnostics diagnostics;  // this file's alone
};

// load_job for many files, on up to `threads` threads at once (0: one per
// core). The result is the same as loading them one after another: in
// input order, each file with its own diagnostics. REQUIRES: every
// options.env may be used from several threads.
std::vector<LoadedJobFile> load_jobs(std::vector<JobSource> sources, unsigned threads = 0);

// A hosts.hcl: `defaults {}` and `host "name" {}` blocks.
std::optional<spec::Inventory> load_inventory(const std::string& path, std::string text, const EvalOptions& options,
                                              Diagnostics& diagnostics);

// A skiff.hcl project file.
std::optional<spec::Project> load_project(const std::string& path, std::string text, const EvalOptions& options,
                                          Diagnostics& diagnostics);

// `skiff inspect`: the evaluated, defaulted job with stable, documented field
// names. Each sensitive text is replaced by its marker (parser/sensitive.hpp),
// so that what is kept or shown of a job never holds a secret.
nlohmann::json job_to_json(const spec::Job& job);
// True when fields of `job` hold markers instead of values: a version read
// back from the state whose sensitive values only a job file and its
// variables can give again.
bool holds_sensitive_digests(const spec::Job& job);
// Its inverse, for a job version kept in the state: job_to_json of the
// result equals `json`. Errors name what is missing or wrong.
Result<spec::Job> job_from_json(const nlohmann::json& json, const std::string& source_path = "");

// validate's warnings for runtime interpolations (${X}, ${atr.x}) that
// nothing fills at run time, with did-you-mean for a lower-case root.
void warn_unknown_runtime_variables(const LoadedJob& loaded, Diagnostics& diagnostics);

// `skiff hcl2json`: the body in the layout of the common hcl2json tools.
nlohmann::json body_to_hcl2json(const EvalBody& body);

}  // namespace skiff::parser
