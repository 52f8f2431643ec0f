// The job block, and load_job: parse, evaluate, decode, default, validate.
#include "parser/job_decode.hpp"
#include "parser/load.hpp"
#include "parser/sensitive.hpp"

namespace skiff::parser {

namespace detail {

namespace {

std::optional<spec::JobType> job_type(BodyReader& reader) {
  std::optional<std::string> text = reader.string("type");
  if (!text) return spec::JobType::kService;
  if (*text == "service") return spec::JobType::kService;
  if (*text == "batch") return spec::JobType::kBatch;
  if (*text == "system") return spec::JobType::kSystem;
  if (*text == "sysbatch") return spec::JobType::kSysbatch;
  reader.attribute_error(
      *reader.value("type"),
      "job type in " + reader.where() + " must be \"service\", \"batch\", \"system\" or \"sysbatch\", not \"" + *text + "\"");
  return std::nullopt;
}

GroupDefaults group_defaults(BodyReader& reader, const spec::Job& job) {
  Diagnostics& d = reader.diagnostics();
  GroupDefaults defaults;
  defaults.type = job.type;
  if (job.type == spec::JobType::kService || job.type == spec::JobType::kSystem) defaults.update = spec::UpdatePolicy{};
  if (const EvalBlock* update = reader.single_block("update")) {
    if (!defaults.update) defaults.update = spec::UpdatePolicy{};
    decode_update(*update, reader.where(), d, *defaults.update);
  }
  if (const EvalBlock* migrate = reader.single_block("migrate")) decode_migrate(*migrate, reader.where(), d, defaults.migrate);
  defaults.reschedule = default_reschedule(job.type);
  if (const EvalBlock* reschedule = reader.single_block("reschedule")) {
    if (!defaults.reschedule) {
      d.error(reschedule->body->file, reschedule->type_range,
              "reschedule in " + reader.where() + " is not allowed for " + spec::to_string(job.type) + " jobs");
    } else {
      decode_reschedule(*reschedule, reader.where(), d, *defaults.reschedule);
    }
  }
  return defaults;
}

spec::Job decode_job(const EvalBlock& block, Diagnostics& d) {
  spec::Job job;
  job.id = block.labels.at(0);
  std::string where = where_of("job", job.id);
  BodyReader reader(*block.body, where, d);
  job.name = reader.string("name").value_or(job.id);
  job.region = reader.string("region").value_or("global");
  job.ns = reader.string("namespace").value_or("default");
  job.type = job_type(reader).value_or(spec::JobType::kService);
  if (auto dcs = reader.strings("datacenters")) job.datacenters = *dcs;
  job.node_pool = reader.string("node_pool").value_or("default");
  if (auto priority = reader.integer("priority")) {
    job.priority = static_cast<int>(*priority);
    if (job.priority < 1 || job.priority > 100)
      reader.attribute_error(*reader.value("priority"), "priority in " + where + " must be between 1 and 100");
  }
  job.all_at_once = reader.boolean("all_at_once").value_or(false);
  job.meta = reader.string_map("meta");
  job.constraints = decode_constraints(reader);
  job.affinities = decode_affinities(reader);
  job.spreads = decode_spreads(reader);
  if (const EvalBlock* periodic = reader.single_block("periodic")) job.periodic = decode_periodic(*periodic, where, d);
  if (const EvalBlock* parameterized = reader.single_block("parameterized"))
    job.parameterized = decode_parameterized(*parameterized, where, d);
  GroupDefaults defaults = group_defaults(reader, job);
  job.update = defaults.update;
  for (const EvalBlock* group : reader.blocks("group", 1)) job.groups.push_back(decode_group(*group, where, defaults, d));
  for (const EvalBlock* task : reader.blocks("task", 1)) job.groups.push_back(decode_task_as_group(*task, where, defaults, d));
  for (const char* name : {"vault", "consul", "multiregion"}) reader.not_supported_block(name);
  for (const char* name : {"vault_token", "consul_token", "id"}) reader.not_supported_attribute(name);
  reader.blocks("ui");  // display metadata for Nomad's web UI: valid, and nothing for skiff to do
  reader.finish();
  return job;
}

}  // namespace

}  // namespace detail

namespace {

// Every text a sensitive value reached in the file: variables, locals and
// every attribute.
std::set<std::string> sensitive_texts(const EvaluatedFile& evaluated) {
  std::set<std::string> out;
  for (const auto& [name, value] : evaluated.variables) collect_sensitive_texts(value, out);
  for (const auto& [name, value] : evaluated.locals) collect_sensitive_texts(value, out);
  collect_sensitive_texts(evaluated.body, out);
  return out;
}

LoadedJob load_job_unscrubbed(const std::string& path, std::string text, const EvalOptions& options, Diagnostics& diagnostics) {
  LoadedJob loaded;
  size_t errors_before = diagnostics.error_count();
  loaded.evaluated = parse_and_evaluate(path, std::move(text), options, diagnostics);
  const EvalBody& body = loaded.evaluated.body;
  if (!body.file) return loaded;
  if (diagnostics.error_count() > errors_before && body.blocks.empty()) return loaded;
  BodyReader top(body, "the file", diagnostics);
  top.blocks("variable", 1);
  top.blocks("locals");
  std::vector<const EvalBlock*> jobs = top.blocks("job", 1);
  top.finish();
  if (jobs.empty()) {
    diagnostics.error(body.file, SourceRange{}, "no job block: a job file holds one job \"name\" { ... } block");
    return loaded;
  }
  for (size_t i = 1; i < jobs.size(); ++i) {
    diagnostics.error(body.file, jobs[i]->type_range,
                      "a job file holds one job block; this is a second one (the first is at line " +
                          std::to_string(jobs[0]->type_range.begin.line) + ")");
  }
  spec::Job job = detail::decode_job(*jobs[0], diagnostics);
  job.source_path = path;
  detail::validate_job(job, *jobs[0], diagnostics);
  loaded.job = std::move(job);
  return loaded;
}

}  // namespace

LoadedJob load_job(const std::string& path, std::string text, const EvalOptions& options, Diagnostics& diagnostics) {
  const size_t first_diagnostic = diagnostics.items().size();
  LoadedJob loaded = load_job_unscrubbed(path, std::move(text), options, diagnostics);
  const std::set<std::string> secrets = sensitive_texts(loaded.evaluated);
  if (secrets.empty()) return loaded;
  // No message quotes a sensitive value, however it got there.
  diagnostics.rewrite_messages(first_diagnostic,
                               [&](std::string message) { return scrub_sensitive(std::move(message), secrets); });
  if (loaded.job)
    for (const std::string& secret : secrets) loaded.job->sensitive[secret] = sensitive_marker(secret, loaded.job->id);
  return loaded;
}

}  // namespace skiff::parser
