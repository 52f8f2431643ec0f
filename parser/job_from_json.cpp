// job_from_json: the inverse of job_to_json, so that a job version kept in
// the state (its evaluated spec as JSON) can be run again: `job revert`
// and auto_revert. Only what job_to_json writes is read.
#include "parser/load.hpp"
#include "parser/value.hpp"

namespace skiff::parser {

namespace {

using nlohmann::json;

// A field that is missing or of the wrong type: thrown, caught at the top
// and turned into an Error naming the field.
struct BadJobJson {
  std::string what;
};

spec::Duration dur(const json& j, const char* key) {
  std::optional<spec::Duration> d = spec::parse_duration(j.at(key).get<std::string>());
  if (!d) throw BadJobJson{std::string(key) + ": not a duration"};
  return *d;
}

spec::HealthCheckMode health_check(const std::string& s) {
  return s == "task_states" ? spec::HealthCheckMode::kTaskStates : s == "manual" ? spec::HealthCheckMode::kManual : spec::HealthCheckMode::kChecks;
}

Value value_of(const json& j) {
  if (j.is_null()) return Value::null();
  if (j.is_boolean()) return Value::boolean(j.get<bool>());
  if (j.is_number()) return Value::number(j.get<double>());
  if (j.is_string()) return Value::string(j.get<std::string>());
  if (j.is_array()) {
    ValueList items;
    for (const json& item : j) items.push_back(value_of(item));
    return Value::list(std::move(items));
  }
  ValueMap items;
  for (auto it = j.begin(); it != j.end(); ++it) items[it.key()] = value_of(*it);
  return Value::object(std::move(items));
}

std::vector<spec::Constraint> constraints(const json& j) {
  std::vector<spec::Constraint> out;
  for (const json& c : j) out.push_back({c.at("attribute"), c.at("operator"), c.at("value")});
  return out;
}

std::vector<spec::Affinity> affinities(const json& j) {
  std::vector<spec::Affinity> out;
  for (const json& a : j) out.push_back({a.at("attribute"), a.at("operator"), a.at("value"), a.at("weight")});
  return out;
}

std::vector<spec::Spread> spreads(const json& j) {
  std::vector<spec::Spread> out;
  for (const json& s : j) {
    spec::Spread spread{s.at("attribute"), s.at("weight"), {}};
    for (const json& t : s.at("targets")) spread.targets.push_back({t.at("value"), t.at("percent")});
    out.push_back(spread);
  }
  return out;
}

std::optional<spec::UpdatePolicy> update(const json& j) {
  if (j.is_null()) return std::nullopt;
  spec::UpdatePolicy u;
  u.max_parallel = j.at("max_parallel");
  u.health_check = health_check(j.at("health_check"));
  u.min_healthy_time = dur(j, "min_healthy_time");
  u.healthy_deadline = dur(j, "healthy_deadline");
  u.progress_deadline = dur(j, "progress_deadline");
  u.auto_revert = j.at("auto_revert");
  u.auto_promote = j.at("auto_promote");
  u.canary = j.at("canary");
  u.stagger = dur(j, "stagger");
  return u;
}

spec::RestartPolicy restart(const json& j) {
  spec::RestartPolicy r;
  r.attempts = j.at("attempts");
  r.interval = dur(j, "interval");
  r.delay = dur(j, "delay");
  r.mode = j.at("mode") == "delay" ? spec::RestartMode::kDelay : spec::RestartMode::kFail;
  r.render_templates = j.at("render_templates");
  return r;
}

std::optional<spec::ReschedulePolicy> reschedule(const json& j) {
  if (j.is_null()) return std::nullopt;
  spec::ReschedulePolicy r;
  r.attempts = j.at("attempts");
  r.interval = dur(j, "interval");
  r.delay = dur(j, "delay");
  const std::string f = j.at("delay_function");
  r.delay_function = f == "constant" ? spec::DelayFunction::kConstant : f == "fibonacci" ? spec::DelayFunction::kFibonacci : spec::DelayFunction::kExponential;
  r.max_delay = dur(j, "max_delay");
  r.unlimited = j.at("unlimited");
  return r;
}

std::vector<spec::Service> services(const json& j) {
  std::vector<spec::Service> out;
  for (const json& s : j) {
    spec::Service service;
    service.name = s.at("name");
    service.port = s.at("port");
    service.tags = s.at("tags").get<std::vector<std::string>>();
    service.canary_tags = s.at("canary_tags").get<std::vector<std::string>>();
    service.provider = s.at("provider");
    service.address_mode = s.at("address_mode");
    service.task = s.at("task");
    service.meta = s.at("meta").get<std::map<std::string, std::string>>();
    for (const json& c : s.at("checks")) {
      spec::Check check;
      check.name = c.at("name");
      check.type = c.at("type");
      check.port = c.at("port");
      check.path = c.at("path");
      check.method = c.at("method");
      check.protocol = c.at("protocol");
      check.command = c.at("command");
      check.args = c.at("args").get<std::vector<std::string>>();
      check.task = c.at("task");
      check.interval = dur(c, "interval");
      check.timeout = dur(c, "timeout");
      check.headers = c.at("headers").get<std::map<std::string, std::vector<std::string>>>();
      check.on_update = c.at("on_update");
      if (c.contains("check_restart"))
        check.check_restart = spec::CheckRestart{c["check_restart"].at("limit"), dur(c["check_restart"], "grace"),
                                                 c["check_restart"].at("ignore_warnings")};
      service.checks.push_back(check);
    }
    out.push_back(service);
  }
  return out;
}

spec::Task task(const json& j) {
  spec::Task t;
  t.name = j.at("name");
  t.driver = j.at("driver");
  t.config = value_of(j.at("config"));
  t.env = j.at("env").get<std::map<std::string, std::string>>();
  t.user = j.at("user");
  t.leader = j.at("leader");
  t.kill_timeout = dur(j, "kill_timeout");
  t.kill_signal = j.at("kill_signal");
  t.shutdown_delay = dur(j, "shutdown_delay");
  t.meta = j.at("meta").get<std::map<std::string, std::string>>();
  const json& r = j.at("resources");
  t.resources.cpu = r.at("cpu");
  t.resources.cores = r.at("cores");
  t.resources.memory_mb = r.at("memory_mb");
  t.resources.memory_max_mb = r.at("memory_max_mb");
  t.resources.disk_mb = r.at("disk_mb");
  for (const json& dev : r.at("devices"))
    t.resources.devices.push_back({dev.at("name"), dev.at("count"), constraints(dev.at("constraints")), affinities(dev.at("affinities"))});
  for (const json& a : j.at("artifacts"))
    t.artifacts.push_back({a.at("source"), a.at("destination"), a.at("mode"), a.at("options").get<std::map<std::string, std::string>>(),
                           a.at("headers").get<std::map<std::string, std::string>>()});
  for (const json& tp : j.at("templates")) {
    spec::Template tmpl;
    tmpl.source = tp.at("source");
    tmpl.destination = tp.at("destination");
    tmpl.data = tp.at("data");
    tmpl.change_mode = tp.at("change_mode");
    tmpl.change_signal = tp.at("change_signal");
    tmpl.splay = dur(tp, "splay");
    tmpl.perms = tp.at("perms");
    tmpl.left_delimiter = tp.at("left_delimiter");
    tmpl.right_delimiter = tp.at("right_delimiter");
    tmpl.env = tp.at("env");
    tmpl.error_on_missing_key = tp.at("error_on_missing_key");
    t.templates.push_back(tmpl);
  }
  t.services = services(j.at("services"));
  for (const json& m : j.at("volume_mounts")) t.volume_mounts.push_back({m.at("volume"), m.at("destination"), m.at("read_only")});
  if (const json& l = j.at("lifecycle"); !l.is_null()) {
    const std::string hook = l.at("hook");
    t.lifecycle = spec::Lifecycle{hook == "poststart" ? spec::LifecycleHook::kPoststart
                                  : hook == "poststop" ? spec::LifecycleHook::kPoststop
                                                       : spec::LifecycleHook::kPrestart,
                                  l.at("sidecar")};
  }
  const json& logs = j.at("logs");
  t.logs = {logs.at("max_files"), logs.at("max_file_size_mb"), logs.at("disabled")};
  if (!j.at("restart").is_null()) t.restart = restart(j.at("restart"));
  t.constraints = constraints(j.at("constraints"));
  t.affinities = affinities(j.at("affinities"));
  return t;
}

spec::Group group(const json& j) {
  spec::Group g;
  g.name = j.at("name");
  g.count = j.at("count");
  g.constraints = constraints(j.at("constraints"));
  g.affinities = affinities(j.at("affinities"));
  g.spreads = spreads(j.at("spreads"));
  if (const json& n = j.at("network"); !n.is_null()) {
    spec::Network network{n.at("mode"), n.at("hostname"), {}};
    for (const json& p : n.at("ports")) network.ports.push_back({p.at("label"), p.at("static"), p.at("to"), p.at("host_network")});
    g.network = network;
  }
  g.services = services(j.at("services"));
  for (const json& v : j.at("volumes")) g.volumes.push_back({v.at("name"), v.at("type"), v.at("source"), v.at("read_only")});
  g.restart = restart(j.at("restart"));
  g.reschedule = reschedule(j.at("reschedule"));
  g.update = update(j.at("update"));
  const json& m = j.at("migrate");
  g.migrate = {m.at("max_parallel"), health_check(m.at("health_check")), dur(m, "min_healthy_time"), dur(m, "healthy_deadline")};
  const json& e = j.at("ephemeral_disk");
  g.ephemeral_disk = {e.at("size_mb"), e.at("sticky"), e.at("migrate")};
  g.meta = j.at("meta").get<std::map<std::string, std::string>>();
  for (const json& t : j.at("tasks")) g.tasks.push_back(task(t));
  return g;
}

spec::JobType job_type(const std::string& s) {
  if (s == "batch") return spec::JobType::kBatch;
  if (s == "system") return spec::JobType::kSystem;
  if (s == "sysbatch") return spec::JobType::kSysbatch;
  return spec::JobType::kService;
}

}  // namespace

Result<spec::Job> job_from_json(const nlohmann::json& j, const std::string& source_path) {
  try {
    spec::Job job;
    job.id = j.at("id");
    job.name = j.at("name");
    job.source_path = source_path;
    job.region = j.at("region");
    job.ns = j.at("namespace");
    job.type = job_type(j.at("type"));
    job.datacenters = j.at("datacenters").get<std::vector<std::string>>();
    job.node_pool = j.at("node_pool");
    job.priority = j.at("priority");
    job.all_at_once = j.at("all_at_once");
    job.meta = j.at("meta").get<std::map<std::string, std::string>>();
    job.constraints = constraints(j.at("constraints"));
    job.affinities = affinities(j.at("affinities"));
    job.spreads = spreads(j.at("spreads"));
    job.update = update(j.at("update"));
    if (const json& p = j.at("periodic"); !p.is_null())
      job.periodic = spec::Periodic{p.at("crons").get<std::vector<std::string>>(), p.at("prohibit_overlap"), p.at("time_zone"), p.at("enabled")};
    if (const json& p = j.at("parameterized"); !p.is_null())
      job.parameterized = spec::Parameterized{p.at("payload"), p.at("meta_required").get<std::vector<std::string>>(),
                                              p.at("meta_optional").get<std::vector<std::string>>()};
    for (const json& g : j.at("groups")) job.groups.push_back(group(g));
    return job;
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::kParse, "job spec JSON: " + std::string(e.what()));
  } catch (const BadJobJson& e) {
    return make_error(ErrorCode::kParse, "job spec JSON: " + e.what);
  }
}

}  // namespace skiff::parser
