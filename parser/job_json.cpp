// job_to_json: the evaluated, defaulted job for `skiff inspect`. Field names
// are stable snake_case (documented in docs/inspect-json.md); durations are
// Go duration strings ("30s"), sizes carry their unit in the name (_mb).
#include "base/base64.hpp"
#include "parser/load.hpp"
#include "parser/sensitive.hpp"
#include "parser/value_json.hpp"

namespace skiff::parser {

namespace {

using nlohmann::json;

std::string d(spec::Duration duration) { return spec::format_duration(duration); }

const char* health_check(spec::HealthCheckMode mode) {
  switch (mode) {
    case spec::HealthCheckMode::kChecks: return "checks";
    case spec::HealthCheckMode::kTaskStates: return "task_states";
    case spec::HealthCheckMode::kManual: return "manual";
  }
  return "checks";
}

json constraints_json(const std::vector<spec::Constraint>& constraints) {
  json out = json::array();
  for (const auto& c : constraints) out.push_back({{"attribute", c.attribute}, {"operator", c.op}, {"value", c.value}});
  return out;
}

json affinities_json(const std::vector<spec::Affinity>& affinities) {
  json out = json::array();
  for (const auto& a : affinities)
    out.push_back({{"attribute", a.attribute}, {"operator", a.op}, {"value", a.value}, {"weight", a.weight}});
  return out;
}

json spreads_json(const std::vector<spec::Spread>& spreads) {
  json out = json::array();
  for (const auto& s : spreads) {
    json targets = json::array();
    for (const auto& t : s.targets) targets.push_back({{"value", t.value}, {"percent", t.percent}});
    out.push_back({{"attribute", s.attribute}, {"weight", s.weight}, {"targets", targets}});
  }
  return out;
}

json update_json(const std::optional<spec::UpdatePolicy>& u) {
  if (!u) return nullptr;
  return {{"max_parallel", u->max_parallel},
          {"health_check", health_check(u->health_check)},
          {"min_healthy_time", d(u->min_healthy_time)},
          {"healthy_deadline", d(u->healthy_deadline)},
          {"progress_deadline", d(u->progress_deadline)},
          {"auto_revert", u->auto_revert},
          {"auto_promote", u->auto_promote},
          {"canary", u->canary},
          {"stagger", d(u->stagger)}};
}

json restart_json(const spec::RestartPolicy& r) {
  return {{"attempts", r.attempts},
          {"interval", d(r.interval)},
          {"delay", d(r.delay)},
          {"mode", r.mode == spec::RestartMode::kFail ? "fail" : "delay"},
          {"render_templates", r.render_templates}};
}

json reschedule_json(const std::optional<spec::ReschedulePolicy>& r) {
  if (!r) return nullptr;
  const char* function = r->delay_function == spec::DelayFunction::kConstant ? "constant"
      : r->delay_function == spec::DelayFunction::kExponential               ? "exponential"
                                                                             : "fibonacci";
  return {{"attempts", r->attempts},    {"interval", d(r->interval)},   {"delay", d(r->delay)},
          {"delay_function", function}, {"max_delay", d(r->max_delay)}, {"unlimited", r->unlimited}};
}

json services_json(const std::vector<spec::Service>& services) {
  json out = json::array();
  for (const auto& s : services) {
    json checks = json::array();
    for (const auto& c : s.checks) {
      json check = {{"name", c.name},          {"type", c.type},
                    {"port", c.port},          {"path", c.path},
                    {"method", c.method},      {"protocol", c.protocol},
                    {"command", c.command},    {"args", c.args},
                    {"task", c.task},          {"interval", d(c.interval)},
                    {"timeout", d(c.timeout)}, {"headers", c.headers},
                    {"on_update", c.on_update}};
      if (c.check_restart) {
        check["check_restart"] = {{"limit", c.check_restart->limit},
                                  {"grace", d(c.check_restart->grace)},
                                  {"ignore_warnings", c.check_restart->ignore_warnings}};
      }
      checks.push_back(check);
    }
    out.push_back({{"name", s.name},
                   {"port", s.port},
                   {"tags", s.tags},
                   {"canary_tags", s.canary_tags},
                   {"provider", s.provider},
                   {"address_mode", s.address_mode},
                   {"task", s.task},
                   {"meta", s.meta},
                   {"checks", checks}});
  }
  return out;
}

json task_json(const spec::Task& t) {
  json resources = {{"cpu", t.resources.cpu},
                    {"cores", t.resources.cores},
                    {"memory_mb", t.resources.memory_mb},
                    {"memory_max_mb", t.resources.memory_max_mb},
                    {"disk_mb", t.resources.disk_mb},
                    {"devices", json::array()}};
  for (const auto& dev : t.resources.devices) {
    resources["devices"].push_back({{"name", dev.name},
                                    {"count", dev.count},
                                    {"constraints", constraints_json(dev.constraints)},
                                    {"affinities", affinities_json(dev.affinities)}});
  }
  json artifacts = json::array();
  for (const auto& a : t.artifacts) {
    artifacts.push_back(
        {{"source", a.source}, {"destination", a.destination}, {"mode", a.mode}, {"options", a.options}, {"headers", a.headers}});
  }
  json templates = json::array();
  for (const auto& tp : t.templates) {
    templates.push_back({{"source", tp.source},
                         {"destination", tp.destination},
                         {"data", tp.data},
                         {"change_mode", tp.change_mode},
                         {"change_signal", tp.change_signal},
                         {"splay", d(tp.splay)},
                         {"perms", tp.perms},
                         {"left_delimiter", tp.left_delimiter},
                         {"right_delimiter", tp.right_delimiter},
                         {"env", tp.env},
                         {"error_on_missing_key", tp.error_on_missing_key}});
  }
  json mounts = json::array();
  for (const auto& m : t.volume_mounts)
    mounts.push_back({{"volume", m.volume}, {"destination", m.destination}, {"read_only", m.read_only}});
  json lifecycle = nullptr;
  if (t.lifecycle) lifecycle = {{"hook", spec::to_string(t.lifecycle->hook)}, {"sidecar", t.lifecycle->sidecar}};
  json out = {
      {"name", t.name},
      {"driver", t.driver},
      {"config", value_to_json(t.config)},
      {"env", t.env},
      {"user", t.user},
      {"leader", t.leader},
      {"kill_timeout", d(t.kill_timeout)},
      {"kill_signal", t.kill_signal},
      {"shutdown_delay", d(t.shutdown_delay)},
      {"meta", t.meta},
      {"resources", resources},
      {"artifacts", artifacts},
      {"templates", templates},
      {"services", services_json(t.services)},
      {"volume_mounts", mounts},
      {"lifecycle", lifecycle},
      {"logs", {{"max_files", t.logs.max_files}, {"max_file_size_mb", t.logs.max_file_size_mb}, {"disabled", t.logs.disabled}}},
      {"restart", t.restart ? restart_json(*t.restart) : json(nullptr)},
      {"constraints", constraints_json(t.constraints)},
      {"affinities", affinities_json(t.affinities)}};
  // Only when set: a field every task had would change every job's hash.
  if (!t.dispatch_payload_file.empty()) out["dispatch_payload"] = {{"file", t.dispatch_payload_file}};
  return out;
}

json group_json(const spec::Group& g) {
  json network = nullptr;
  if (g.network) {
    json ports = json::array();
    for (const auto& p : g.network->ports) {
      ports.push_back({{"label", p.label}, {"static", p.static_port}, {"to", p.to}, {"host_network", p.host_network}});
    }
    network = {{"mode", g.network->mode}, {"hostname", g.network->hostname}, {"ports", ports}};
  }
  json volumes = json::array();
  for (const auto& v : g.volumes)
    volumes.push_back({{"name", v.name}, {"type", v.type}, {"source", v.source}, {"read_only", v.read_only}});
  json tasks = json::array();
  for (const auto& t : g.tasks) tasks.push_back(task_json(t));
  return {{"name", g.name},
          {"count", g.count},
          {"constraints", constraints_json(g.constraints)},
          {"affinities", affinities_json(g.affinities)},
          {"spreads", spreads_json(g.spreads)},
          {"network", network},
          {"services", services_json(g.services)},
          {"volumes", volumes},
          {"restart", restart_json(g.restart)},
          {"reschedule", reschedule_json(g.reschedule)},
          {"update", update_json(g.update)},
          {"migrate",
           {{"max_parallel", g.migrate.max_parallel},
            {"health_check", health_check(g.migrate.health_check)},
            {"min_healthy_time", d(g.migrate.min_healthy_time)},
            {"healthy_deadline", d(g.migrate.healthy_deadline)}}},
          {"ephemeral_disk",
           {{"size_mb", g.ephemeral_disk.size_mb}, {"sticky", g.ephemeral_disk.sticky}, {"migrate", g.ephemeral_disk.migrate}}},
          {"meta", g.meta},
          {"tasks", tasks}};
}

// The job's fields as they are, sensitive texts included.
json job_fields_json(const spec::Job& job) {
  json periodic = nullptr;
  if (job.periodic) {
    periodic = {{"crons", job.periodic->crons},
                {"prohibit_overlap", job.periodic->prohibit_overlap},
                {"time_zone", job.periodic->time_zone},
                {"enabled", job.periodic->enabled}};
  }
  json parameterized = nullptr;
  if (job.parameterized) {
    parameterized = {{"payload", job.parameterized->payload},
                     {"meta_required", job.parameterized->meta_required},
                     {"meta_optional", job.parameterized->meta_optional}};
  }
  json groups = json::array();
  for (const auto& g : job.groups) groups.push_back(group_json(g));
  json out = {{"id", job.id},
              {"name", job.name},
              {"region", job.region},
              {"namespace", job.ns},
              {"type", spec::to_string(job.type)},
              {"datacenters", job.datacenters},
              {"node_pool", job.node_pool},
              {"priority", job.priority},
              {"all_at_once", job.all_at_once},
              {"meta", job.meta},
              {"constraints", constraints_json(job.constraints)},
              {"affinities", affinities_json(job.affinities)},
              {"spreads", spreads_json(job.spreads)},
              {"update", update_json(job.update)},
              {"periodic", periodic},
              {"parameterized", parameterized},
              {"groups", groups}};
  // base64: a payload is bytes, JSON holds text. Only when set, as a task's
  // dispatch_payload: a field every job had would change every job's hash.
  if (!job.payload.empty()) out["payload"] = base::base64_encode(job.payload);
  return out;
}

}  // namespace

nlohmann::json job_to_json(const spec::Job& job) {
  json out = job_fields_json(job);
  replace_sensitive_texts(out, job.sensitive);
  return out;
}

bool holds_sensitive_digests(const spec::Job& job) { return holds_sensitive_marker(job_fields_json(job)); }

}  // namespace skiff::parser
