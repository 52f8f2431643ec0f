// job_from_json: the inverse of job_to_json, so that a job version kept in
// the state (its evaluated spec as JSON) can be run again: `job revert`
// and auto_revert. Only what job_to_json writes is read, with base's strict
// reader: every field must be present (null where the spec's is optional)
// and of its type, unknown fields are ignored, and an error names the field
// by its path ("groups[0].tasks[1].resources.cpu: expected an integer, got
// string").
#include "base/base64.hpp"
#include "base/json_reader.hpp"
#include "base/text.hpp"
#include "parser/load.hpp"
#include "parser/value.hpp"

namespace skiff::parser {

// Any JSON value as an HCL value (a task's driver config). Declared in
// skiff::parser, Value's namespace, for base's decode templates.
static Status decode(const nlohmann::json& j, const base::JsonPath& path, Value& out) {
  if (j.is_null()) out = Value::null();
  else if (j.is_boolean()) out = Value::boolean(j.get<bool>());
  else if (j.is_number()) out = Value::number(j.get<double>());
  else if (j.is_string()) out = Value::string(j.get<std::string>());
  else if (j.is_array()) {
    ValueList items;
    for (size_t i = 0; i < j.size(); ++i) {
      Value item = Value::null();
      if (Status status = decode(j[i], path.index(i), item); !status) return status;
      items.push_back(std::move(item));
    }
    out = Value::list(std::move(items));
  } else {
    ValueMap items;
    for (auto it = j.begin(); it != j.end(); ++it) {
      Value item = Value::null();
      if (Status status = decode(*it, path.member(it.key()), item); !status) return status;
      items[it.key()] = std::move(item);
    }
    out = Value::object(std::move(items));
  }
  return Status();
}

}  // namespace skiff::parser

// The spec's structs, one decode each, in skiff::spec where base's decode
// templates find them. Enums keep job_to_json's names and, as before, read
// a name they do not know as the default.
namespace skiff::spec {

using base::Fields;
using base::JsonPath;
using nlohmann::json;

namespace {

Fields job_fields(const json& j, const JsonPath& path) { return Fields(j, path, base::UnknownFields::kIgnore); }

}  // namespace

static Status decode(const json& j, const JsonPath& path, Duration& out) {
  std::string text;
  if (Status status = base::decode(j, path, text); !status) return status;
  std::optional<Duration> d = parse_duration(text);
  if (!d) return path.error("not a duration");
  out = *d;
  return Status();
}

static Status decode(const json& j, const JsonPath& path, HealthCheckMode& out) {
  std::string s;
  if (Status status = base::decode(j, path, s); !status) return status;
  out = s == "task_states" ? HealthCheckMode::kTaskStates : s == "manual" ? HealthCheckMode::kManual : HealthCheckMode::kChecks;
  return Status();
}

static Status decode(const json& j, const JsonPath& path, RestartMode& out) {
  std::string s;
  if (Status status = base::decode(j, path, s); !status) return status;
  out = s == "delay" ? RestartMode::kDelay : RestartMode::kFail;
  return Status();
}

static Status decode(const json& j, const JsonPath& path, DelayFunction& out) {
  std::string s;
  if (Status status = base::decode(j, path, s); !status) return status;
  out = s == "constant" ? DelayFunction::kConstant : s == "fibonacci" ? DelayFunction::kFibonacci : DelayFunction::kExponential;
  return Status();
}

static Status decode(const json& j, const JsonPath& path, LifecycleHook& out) {
  std::string s;
  if (Status status = base::decode(j, path, s); !status) return status;
  out = s == "poststart" ? LifecycleHook::kPoststart : s == "poststop" ? LifecycleHook::kPoststop : LifecycleHook::kPrestart;
  return Status();
}

static Status decode(const json& j, const JsonPath& path, JobType& out) {
  std::string s;
  if (Status status = base::decode(j, path, s); !status) return status;
  out = s == "batch"    ? JobType::kBatch
      : s == "system"   ? JobType::kSystem
      : s == "sysbatch" ? JobType::kSysbatch
                        : JobType::kService;
  return Status();
}

static Status decode(const json& j, const JsonPath& path, Constraint& out) {
  Fields f = job_fields(j, path);
  f.require("attribute", out.attribute);
  f.require("operator", out.op);
  f.require("value", out.value);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Affinity& out) {
  Fields f = job_fields(j, path);
  f.require("attribute", out.attribute);
  f.require("operator", out.op);
  f.require("value", out.value);
  f.require("weight", out.weight);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, SpreadTarget& out) {
  Fields f = job_fields(j, path);
  f.require("value", out.value);
  f.require("percent", out.percent);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Spread& out) {
  Fields f = job_fields(j, path);
  f.require("attribute", out.attribute);
  f.require("weight", out.weight);
  f.require("targets", out.targets);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, UpdatePolicy& out) {
  Fields f = job_fields(j, path);
  f.require("max_parallel", out.max_parallel);
  f.require("health_check", out.health_check);
  f.require("min_healthy_time", out.min_healthy_time);
  f.require("healthy_deadline", out.healthy_deadline);
  f.require("progress_deadline", out.progress_deadline);
  f.require("auto_revert", out.auto_revert);
  f.require("auto_promote", out.auto_promote);
  f.require("canary", out.canary);
  f.require("stagger", out.stagger);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, RestartPolicy& out) {
  Fields f = job_fields(j, path);
  f.require("attempts", out.attempts);
  f.require("interval", out.interval);
  f.require("delay", out.delay);
  f.require("mode", out.mode);
  f.require("render_templates", out.render_templates);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, ReschedulePolicy& out) {
  Fields f = job_fields(j, path);
  f.require("attempts", out.attempts);
  f.require("interval", out.interval);
  f.require("delay", out.delay);
  f.require("delay_function", out.delay_function);
  f.require("max_delay", out.max_delay);
  f.require("unlimited", out.unlimited);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, CheckRestart& out) {
  Fields f = job_fields(j, path);
  f.require("limit", out.limit);
  f.require("grace", out.grace);
  f.require("ignore_warnings", out.ignore_warnings);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Check& out) {
  Fields f = job_fields(j, path);
  f.require("name", out.name);
  f.require("type", out.type);
  f.require("port", out.port);
  f.require("path", out.path);
  f.require("method", out.method);
  f.require("protocol", out.protocol);
  f.require("command", out.command);
  f.require("args", out.args);
  f.require("task", out.task);
  f.require("interval", out.interval);
  f.require("timeout", out.timeout);
  f.require("headers", out.headers);
  f.require("on_update", out.on_update);
  f.get("check_restart", out.check_restart);  // written only when set
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Service& out) {
  Fields f = job_fields(j, path);
  f.require("name", out.name);
  f.require("port", out.port);
  f.require("tags", out.tags);
  f.require("canary_tags", out.canary_tags);
  f.require("provider", out.provider);
  f.require("address_mode", out.address_mode);
  f.require("task", out.task);
  f.require("meta", out.meta);
  f.require("checks", out.checks);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Device& out) {
  Fields f = job_fields(j, path);
  f.require("name", out.name);
  f.require("count", out.count);
  f.require("constraints", out.constraints);
  f.require("affinities", out.affinities);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Resources& out) {
  Fields f = job_fields(j, path);
  f.require("cpu", out.cpu);
  f.require("cores", out.cores);
  f.require("memory_mb", out.memory_mb);
  f.require("memory_max_mb", out.memory_max_mb);
  f.require("disk_mb", out.disk_mb);
  f.require("devices", out.devices);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Artifact& out) {
  Fields f = job_fields(j, path);
  f.require("source", out.source);
  f.require("destination", out.destination);
  f.require("mode", out.mode);
  f.require("options", out.options);
  f.require("headers", out.headers);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Template& out) {
  Fields f = job_fields(j, path);
  f.require("source", out.source);
  f.require("destination", out.destination);
  f.require("data", out.data);
  f.require("change_mode", out.change_mode);
  f.require("change_signal", out.change_signal);
  f.require("splay", out.splay);
  f.require("perms", out.perms);
  f.require("left_delimiter", out.left_delimiter);
  f.require("right_delimiter", out.right_delimiter);
  f.require("env", out.env);
  f.require("error_on_missing_key", out.error_on_missing_key);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, VolumeMount& out) {
  Fields f = job_fields(j, path);
  f.require("volume", out.volume);
  f.require("destination", out.destination);
  f.require("read_only", out.read_only);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Lifecycle& out) {
  Fields f = job_fields(j, path);
  f.require("hook", out.hook);
  f.require("sidecar", out.sidecar);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, LogConfig& out) {
  Fields f = job_fields(j, path);
  f.require("max_files", out.max_files);
  f.require("max_file_size_mb", out.max_file_size_mb);
  f.require("disabled", out.disabled);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Task& out) {
  Fields f = job_fields(j, path);
  f.require("name", out.name);
  f.require("driver", out.driver);
  if (const json* config = f.find("config"))
    if (Status status = parser::decode(*config, f.path_of("config"), out.config); !status) f.fail(status.error());
  f.require("env", out.env);
  f.require("user", out.user);
  f.require("leader", out.leader);
  f.require("kill_timeout", out.kill_timeout);
  f.require("kill_signal", out.kill_signal);
  f.require("shutdown_delay", out.shutdown_delay);
  f.require("meta", out.meta);
  f.require("resources", out.resources);
  f.require("artifacts", out.artifacts);
  f.require("templates", out.templates);
  f.require("services", out.services);
  f.require("volume_mounts", out.volume_mounts);
  f.require("lifecycle", out.lifecycle);
  if (const json* payload = f.find("dispatch_payload", base::Need::kOptional)) {
    Fields p = job_fields(*payload, f.path_of("dispatch_payload"));
    p.require("file", out.dispatch_payload_file);
    // It becomes a path on the task's host, as in the job file it came from.
    if (p.ok() && !base::is_file_path_below(out.dispatch_payload_file))
      p.fail(p.path_of("file").error("not a file inside the task's local/ folder"));
    if (Status status = p.finish(); !status) f.fail(status.error());
  }
  f.require("logs", out.logs);
  f.require("restart", out.restart);
  f.require("constraints", out.constraints);
  f.require("affinities", out.affinities);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Port& out) {
  Fields f = job_fields(j, path);
  f.require("label", out.label);
  f.require("static", out.static_port);
  f.require("to", out.to);
  f.require("host_network", out.host_network);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Network& out) {
  Fields f = job_fields(j, path);
  f.require("mode", out.mode);
  f.require("hostname", out.hostname);
  f.require("ports", out.ports);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Volume& out) {
  Fields f = job_fields(j, path);
  f.require("name", out.name);
  f.require("type", out.type);
  f.require("source", out.source);
  f.require("read_only", out.read_only);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, MigratePolicy& out) {
  Fields f = job_fields(j, path);
  f.require("max_parallel", out.max_parallel);
  f.require("health_check", out.health_check);
  f.require("min_healthy_time", out.min_healthy_time);
  f.require("healthy_deadline", out.healthy_deadline);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, EphemeralDisk& out) {
  Fields f = job_fields(j, path);
  f.require("size_mb", out.size_mb);
  f.require("sticky", out.sticky);
  f.require("migrate", out.migrate);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Group& out) {
  Fields f = job_fields(j, path);
  f.require("name", out.name);
  f.require("count", out.count);
  f.require("constraints", out.constraints);
  f.require("affinities", out.affinities);
  f.require("spreads", out.spreads);
  f.require("network", out.network);
  f.require("services", out.services);
  f.require("volumes", out.volumes);
  f.require("restart", out.restart);
  f.require("reschedule", out.reschedule);
  f.require("update", out.update);
  f.require("migrate", out.migrate);
  f.require("ephemeral_disk", out.ephemeral_disk);
  f.require("meta", out.meta);
  f.require("tasks", out.tasks);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Periodic& out) {
  Fields f = job_fields(j, path);
  f.require("crons", out.crons);
  f.require("prohibit_overlap", out.prohibit_overlap);
  f.require("time_zone", out.time_zone);
  f.require("enabled", out.enabled);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Parameterized& out) {
  Fields f = job_fields(j, path);
  f.require("payload", out.payload);
  f.require("meta_required", out.meta_required);
  f.require("meta_optional", out.meta_optional);
  return f.finish();
}

static Status decode(const json& j, const JsonPath& path, Job& out) {
  Fields f = job_fields(j, path);
  f.require("id", out.id);
  f.require("name", out.name);
  f.require("region", out.region);
  f.require("namespace", out.ns);
  f.require("type", out.type);
  f.require("datacenters", out.datacenters);
  f.require("node_pool", out.node_pool);
  f.require("priority", out.priority);
  f.require("all_at_once", out.all_at_once);
  f.require("meta", out.meta);
  f.require("constraints", out.constraints);
  f.require("affinities", out.affinities);
  f.require("spreads", out.spreads);
  f.require("update", out.update);
  f.require("periodic", out.periodic);
  f.require("parameterized", out.parameterized);
  f.require("groups", out.groups);
  std::string payload;
  f.get("payload", payload);
  if (!payload.empty()) {
    if (std::optional<std::string> bytes = base::base64_decode(payload)) out.payload = *bytes;
    else f.fail(f.path_of("payload").error("not base64"));
  }
  return f.finish();
}

}  // namespace skiff::spec

namespace skiff::parser {

Result<spec::Job> job_from_json(const nlohmann::json& j, const std::string& source_path) {
  spec::Job job;
  Status status = spec::decode(j, base::JsonPath("", base::Wording::kNamesFound), job);
  if (!status) return status.error().wrap("job spec JSON");
  job.source_path = source_path;
  return job;
}

}  // namespace skiff::parser
