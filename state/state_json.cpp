#include "state/state_json.hpp"

#include "base/json_reader.hpp"

namespace skiff::state {

using base::Fields;
using base::JsonPath;
using base::Need;
using nlohmann::json;

// Declared in skiff::state (not an unnamed namespace) so that the decode
// templates of json_reader.hpp find them by argument-dependent lookup.
static Status decode(const json& value, const JsonPath& path, JobVersion& out);
static Status decode(const json& value, const JsonPath& path, JobRecord& out);
static Status decode(const json& value, const JsonPath& path, AllocationRecord& out);
static Status decode(const json& value, const JsonPath& path, DeploymentGroup& out);
static Status decode(const json& value, const JsonPath& path, Deployment& out);
static Status decode(const json& value, const JsonPath& path, HostRecord& out);
static Status decode(const json& value, const JsonPath& path, ReconcileRecord& out);

namespace {

json optional_json(const std::optional<int64_t>& value) { return value ? json(*value) : json(nullptr); }

json to_json(const JobVersion& v) {
  return json{{"version", v.version},       {"spec", v.spec},
              {"spec_hash", v.spec_hash},   {"source", v.source},
              {"applied_by", v.applied_by}, {"applied_unix", v.applied_unix},
              {"stable", v.stable},         {"stopped", v.stopped}};
}

json to_json(const JobRecord& job) {
  json versions = json::array();
  for (const JobVersion& v : job.versions) versions.push_back(to_json(v));
  return json{{"type", job.type}, {"versions", versions}, {"last_periodic_launch_unix", job.last_periodic_launch_unix}};
}

json to_json(const AllocationRecord& a) {
  return json{{"id", a.id},
              {"job", a.job},
              {"group", a.group},
              {"index", a.index},
              {"host", a.host},
              {"job_version", a.job_version},
              {"status", a.status},
              {"status_reason", a.status_reason},
              {"health", a.health},
              {"ports", a.ports},
              {"task_spec_hashes", a.task_spec_hashes},
              {"job_spec_hash", a.job_spec_hash},
              {"cpu_mhz", a.cpu_mhz},
              {"memory_mb", a.memory_mb},
              {"disk_mb", a.disk_mb},
              {"deployment", a.deployment},
              {"canary", a.canary},
              {"created_unix", a.created_unix},
              {"modified_unix", a.modified_unix},
              {"previous_allocation", a.previous_allocation},
              {"reschedules_unix", a.reschedules_unix}};
}

json to_json(const DeploymentGroup& g) {
  return json{{"desired", g.desired},
              {"placed", g.placed},
              {"healthy", g.healthy},
              {"unhealthy", g.unhealthy},
              {"desired_canaries", g.desired_canaries},
              {"canaries", g.canaries},
              {"promoted", g.promoted},
              {"auto_revert", g.auto_revert}};
}

json to_json(const Deployment& d) {
  json groups = json::object();
  for (const auto& [name, group] : d.groups) groups[name] = to_json(group);
  return json{{"id", d.id},
              {"job", d.job},
              {"job_version", d.job_version},
              {"status", d.status},
              {"description", d.description},
              {"groups", groups},
              {"created_unix", d.created_unix},
              {"modified_unix", d.modified_unix}};
}

json to_json(const HostRecord& h) {
  return json{{"eligible", h.eligible},
              {"draining", h.draining},
              {"drain_deadline_unix", optional_json(h.drain_deadline_unix)},
              {"last_seen_unix", h.last_seen_unix},
              {"down_since_unix", optional_json(h.down_since_unix)}};
}

json to_json(const ReconcileRecord& r) {
  return json{{"source", r.source},
              {"applied_commit", r.applied_commit},
              {"applied_unix", r.applied_unix},
              {"attempted_commit", r.attempted_commit},
              {"attempted_error", r.attempted_error},
              {"attempted_unix", r.attempted_unix},
              {"attempted_failures", r.attempted_failures},
              {"cycle_unix", r.cycle_unix},
              {"cycle_ms", r.cycle_ms},
              {"drift", r.drift},
              {"drift_corrected", r.drift_corrected},
              {"next_cycle_unix", r.next_cycle_unix},
              {"suspended", r.suspended},
              {"suspended_reason", r.suspended_reason},
              {"suspended_unix", r.suspended_unix}};
}

}  // namespace

static Status decode(const json& value, const JsonPath& path, ReconcileRecord& out) {
  Fields f(value, path);
  f.get("source", out.source);
  f.get("applied_commit", out.applied_commit);
  f.get("applied_unix", out.applied_unix);
  f.get("attempted_commit", out.attempted_commit);
  f.get("attempted_error", out.attempted_error);
  f.get("attempted_unix", out.attempted_unix);
  f.get("attempted_failures", out.attempted_failures);
  f.get("cycle_unix", out.cycle_unix);
  f.get("cycle_ms", out.cycle_ms);
  f.get("drift", out.drift);
  f.get("drift_corrected", out.drift_corrected);
  f.get("next_cycle_unix", out.next_cycle_unix);
  f.get("suspended", out.suspended);
  f.get("suspended_reason", out.suspended_reason);
  f.get("suspended_unix", out.suspended_unix);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, JobVersion& out) {
  Fields f(value, path);
  f.get("version", out.version, Need::kRequired);
  f.get("spec", out.spec);
  f.get("spec_hash", out.spec_hash);
  f.get("source", out.source);
  f.get("applied_by", out.applied_by);
  f.get("applied_unix", out.applied_unix);
  f.get("stable", out.stable);
  f.get("stopped", out.stopped);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, JobRecord& out) {
  Fields f(value, path);
  f.get("type", out.type);
  f.get("versions", out.versions);
  f.get("last_periodic_launch_unix", out.last_periodic_launch_unix);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, AllocationRecord& out) {
  Fields f(value, path);
  f.get("id", out.id, Need::kRequired);
  f.get("job", out.job, Need::kRequired);
  f.get("group", out.group, Need::kRequired);
  f.get("index", out.index);
  f.get("host", out.host, Need::kRequired);
  f.get("job_version", out.job_version);
  f.get("status", out.status);
  f.get("status_reason", out.status_reason);
  f.get("health", out.health);
  f.get("ports", out.ports);
  f.get("task_spec_hashes", out.task_spec_hashes);
  f.get("job_spec_hash", out.job_spec_hash);
  f.get("cpu_mhz", out.cpu_mhz);
  f.get("memory_mb", out.memory_mb);
  f.get("disk_mb", out.disk_mb);
  f.get("deployment", out.deployment);
  f.get("canary", out.canary);
  f.get("created_unix", out.created_unix);
  f.get("modified_unix", out.modified_unix);
  f.get("previous_allocation", out.previous_allocation);
  f.get("reschedules_unix", out.reschedules_unix);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, DeploymentGroup& out) {
  Fields f(value, path);
  f.get("desired", out.desired);
  f.get("placed", out.placed);
  f.get("healthy", out.healthy);
  f.get("unhealthy", out.unhealthy);
  f.get("desired_canaries", out.desired_canaries);
  f.get("canaries", out.canaries);
  f.get("promoted", out.promoted);
  f.get("auto_revert", out.auto_revert);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, Deployment& out) {
  Fields f(value, path);
  f.get("id", out.id, Need::kRequired);
  f.get("job", out.job, Need::kRequired);
  f.get("job_version", out.job_version);
  f.get("status", out.status);
  f.get("description", out.description);
  f.get("groups", out.groups);
  f.get("created_unix", out.created_unix);
  f.get("modified_unix", out.modified_unix);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, HostRecord& out) {
  Fields f(value, path);
  f.get("eligible", out.eligible);
  f.get("draining", out.draining);
  f.get("drain_deadline_unix", out.drain_deadline_unix);
  f.get("last_seen_unix", out.last_seen_unix);
  f.get("down_since_unix", out.down_since_unix);
  return f.finish();
}

json state_to_json(const State& state) {
  json jobs = json::object();
  for (const auto& [id, job] : state.jobs) jobs[id] = to_json(job);
  json allocations = json::array();
  for (const AllocationRecord& a : state.allocations) allocations.push_back(to_json(a));
  json deployments = json::array();
  for (const Deployment& d : state.deployments) deployments.push_back(to_json(d));
  json hosts = json::object();
  for (const auto& [name, host] : state.hosts) hosts[name] = to_json(host);
  json out{{"format_version", state.format_version},
           {"lineage", state.lineage},
           {"serial", state.serial},
           {"jobs", jobs},
           {"allocations", allocations},
           {"deployments", deployments},
           {"hosts", hosts}};
  if (state.reconcile) out["reconcile"] = to_json(*state.reconcile);
  return out;
}

namespace {

// Read before anything else: a newer format may have changed any field, and
// "upgrade skiff" is more useful than the first field that no longer fits.
Status check_format_version(const json& document) {
  if (!document.is_object()) return base::field_error("", "expected a JSON object");
  auto it = document.find("format_version");
  if (it == document.end()) return base::field_error("format_version", "missing");
  int version = 0;
  Status status = base::decode(*it, JsonPath("format_version"), version);
  if (!status) return status;
  if (version > kStateFormatVersion)
    return make_error(ErrorCode::kUnsupported,
                      "format_version " + std::to_string(version) + " is newer than this skiff reads (" +
                          std::to_string(kStateFormatVersion) + "); upgrade skiff");
  if (version < 1) return base::field_error("format_version", "must be 1 or more");
  return Status();
}

}  // namespace

Result<State> state_from_json(const json& document) {
  Status format = check_format_version(document);
  if (!format) return format.error();
  State state;
  Fields f(document, JsonPath());
  f.get("format_version", state.format_version, Need::kRequired);
  f.get("lineage", state.lineage);
  f.get("serial", state.serial, Need::kRequired);
  f.get("jobs", state.jobs);
  f.get("allocations", state.allocations);
  f.get("deployments", state.deployments);
  f.get("hosts", state.hosts);
  f.get("reconcile", state.reconcile);
  Status status = f.finish();
  if (!status) return status.error();
  // A job's id is its key in "jobs"; the record does not repeat it.
  for (auto& [id, job] : state.jobs) job.id = id;
  return state;
}

std::string state_to_text(const State& state) {
  return state_to_json(state).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<State> state_from_text(const std::string& text) {
  Result<json> document = base::parse_json(text);
  if (!document.ok()) return document.error();
  return state_from_json(*document);
}

json lock_info_to_json(const LockInfo& info) {
  return json{{"id", info.id},
              {"who", info.who},
              {"operation", info.operation},
              {"pid", info.pid},
              {"created_unix", info.created_unix},
              {"version", info.version}};
}

Result<LockInfo> lock_info_from_json(const json& document) {
  LockInfo info;
  Fields f(document, JsonPath());
  f.get("id", info.id, Need::kRequired);
  f.get("who", info.who);
  f.get("operation", info.operation);
  f.get("pid", info.pid);
  f.get("created_unix", info.created_unix);
  f.get("version", info.version);
  Status status = f.finish();
  if (!status) return status.error();
  return info;
}

}  // namespace skiff::state
