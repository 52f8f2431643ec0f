// Placement rules (constraint, affinity, spread) and lifecycle policies
// (update, migrate, restart, reschedule, ephemeral_disk, periodic,
// parameterized, logs).
#include <algorithm>

#include "parser/did_you_mean.hpp"
#include "parser/job_decode.hpp"

namespace skiff::parser::detail {

namespace {

const std::vector<std::string> kOperators = {"=",
                                             "==",
                                             "is",
                                             "!=",
                                             "not",
                                             ">",
                                             ">=",
                                             "<",
                                             "<=",
                                             "regexp",
                                             "set_contains",
                                             "set_contains_all",
                                             "set_contains_any",
                                             "version",
                                             "semver",
                                             "is_set",
                                             "is_not_set",
                                             "distinct_hosts",
                                             "distinct_property"};

// Nomad's shorthand attributes: `distinct_hosts = true`, `regexp = "..."`.
const std::vector<std::string> kShorthands = {"distinct_hosts", "distinct_property", "regexp",           "version",
                                              "semver",         "set_contains",      "set_contains_any", "set_contains_all"};

void check_operator(BodyReader& reader, const std::string& op) {
  if (std::find(kOperators.begin(), kOperators.end(), op) != kOperators.end()) return;
  const EvalAttribute* attribute = reader.value("operator");
  if (!attribute) return;
  std::string hint = did_you_mean_suffix(op, kOperators);
  reader.attribute_error(*attribute,
                         "unknown constraint operator \"" + op + "\" in " + reader.where() +
                             (hint.empty() ? "; valid operators are =, !=, >, >=, <, <=, regexp, set_contains, "
                                             "set_contains_any, version, semver, is_set, is_not_set, distinct_hosts, "
                                             "distinct_property"
                                           : hint));
}

spec::Constraint decode_constraint(const EvalBlock& block, const std::string& parent, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("constraint", "", parent), d);
  spec::Constraint c;
  c.attribute = reader.string("attribute").value_or("");
  c.op = reader.string("operator").value_or("=");
  c.value = reader.string("value").value_or("");
  for (const std::string& shorthand : kShorthands) {
    const EvalAttribute* attribute = reader.value(shorthand);
    if (!attribute) continue;
    c.op = shorthand;
    std::optional<std::string> text = to_string_value(attribute->value);
    if (shorthand == "distinct_hosts") c.value = text.value_or("true");
    else if (shorthand == "distinct_property") c.attribute = text.value_or("");
    else c.value = text.value_or("");
  }
  if (c.op == "==" || c.op == "is") c.op = "=";
  if (c.op == "not") c.op = "!=";
  check_operator(reader, c.op);
  reader.finish();
  return c;
}

}  // namespace

std::vector<spec::Constraint> decode_constraints(BodyReader& reader) {
  std::vector<spec::Constraint> out;
  for (const EvalBlock* block : reader.blocks("constraint"))
    out.push_back(decode_constraint(*block, reader.where(), reader.diagnostics()));
  return out;
}

std::vector<spec::Affinity> decode_affinities(BodyReader& parent) {
  std::vector<spec::Affinity> out;
  for (const EvalBlock* block : parent.blocks("affinity")) {
    BodyReader reader(*block->body, where_of("affinity", "", parent.where()), parent.diagnostics());
    spec::Affinity a;
    a.attribute = reader.string("attribute").value_or("");
    a.op = reader.string("operator").value_or("=");
    a.value = reader.string("value").value_or("");
    if (a.op == "==" || a.op == "is") a.op = "=";
    check_operator(reader, a.op);
    if (auto weight = reader.integer("weight")) {
      a.weight = static_cast<int>(*weight);
      if (a.weight == 0 || a.weight < -100 || a.weight > 100) {
        reader.attribute_error(*reader.value("weight"),
                               "affinity weight in " + parent.where() + " must be between -100 and 100 and not 0");
      }
    }
    reader.finish();
    out.push_back(a);
  }
  return out;
}

std::vector<spec::Spread> decode_spreads(BodyReader& parent) {
  std::vector<spec::Spread> out;
  for (const EvalBlock* block : parent.blocks("spread")) {
    BodyReader reader(*block->body, where_of("spread", "", parent.where()), parent.diagnostics());
    spec::Spread s;
    reader.require("attribute");
    s.attribute = reader.string("attribute").value_or("");
    s.weight = static_cast<int>(reader.integer("weight").value_or(0));
    for (const EvalBlock* target_block : reader.blocks("target", 1)) {
      BodyReader target(*target_block->body, where_of("target", target_block->labels[0], reader.where()), parent.diagnostics());
      s.targets.push_back(spec::SpreadTarget{target_block->labels[0], static_cast<int>(target.integer("percent").value_or(0))});
      target.finish();
    }
    reader.finish();
    out.push_back(s);
  }
  return out;
}

namespace {

std::optional<spec::HealthCheckMode> health_check_mode(BodyReader& reader) {
  std::optional<std::string> text = reader.string("health_check");
  if (!text) return std::nullopt;
  if (*text == "checks") return spec::HealthCheckMode::kChecks;
  if (*text == "task_states") return spec::HealthCheckMode::kTaskStates;
  if (*text == "manual") return spec::HealthCheckMode::kManual;
  reader.attribute_error(
      *reader.value("health_check"),
      "health_check in " + reader.where() + " must be \"checks\", \"task_states\" or \"manual\", not \"" + *text + "\"");
  return std::nullopt;
}

template <typename T>
void set_if(std::optional<T> value, T& into) {
  if (value) into = *value;
}

void set_int(std::optional<int64_t> value, int& into) {
  if (value) into = static_cast<int>(*value);
}

}  // namespace

void decode_update(const EvalBlock& block, const std::string& where, Diagnostics& d, spec::UpdatePolicy& into) {
  BodyReader reader(*block.body, where_of("update", "", where), d);
  set_int(reader.integer("max_parallel"), into.max_parallel);
  set_if(health_check_mode(reader), into.health_check);
  set_if(reader.duration("min_healthy_time"), into.min_healthy_time);
  set_if(reader.duration("healthy_deadline"), into.healthy_deadline);
  set_if(reader.duration("progress_deadline"), into.progress_deadline);
  set_if(reader.boolean("auto_revert"), into.auto_revert);
  set_if(reader.boolean("auto_promote"), into.auto_promote);
  set_int(reader.integer("canary"), into.canary);
  set_if(reader.duration("stagger"), into.stagger);
  reader.finish();
}

void decode_migrate(const EvalBlock& block, const std::string& where, Diagnostics& d, spec::MigratePolicy& into) {
  BodyReader reader(*block.body, where_of("migrate", "", where), d);
  set_int(reader.integer("max_parallel"), into.max_parallel);
  set_if(health_check_mode(reader), into.health_check);
  set_if(reader.duration("min_healthy_time"), into.min_healthy_time);
  set_if(reader.duration("healthy_deadline"), into.healthy_deadline);
  reader.finish();
}

void decode_restart(const EvalBlock& block, const std::string& where, Diagnostics& d, spec::RestartPolicy& into) {
  BodyReader reader(*block.body, where_of("restart", "", where), d);
  set_int(reader.integer("attempts"), into.attempts);
  set_if(reader.duration("interval"), into.interval);
  set_if(reader.duration("delay"), into.delay);
  set_if(reader.boolean("render_templates"), into.render_templates);
  if (std::optional<std::string> mode = reader.string("mode")) {
    if (*mode == "fail") into.mode = spec::RestartMode::kFail;
    else if (*mode == "delay") into.mode = spec::RestartMode::kDelay;
    else
      reader.attribute_error(*reader.value("mode"),
                             "restart mode in " + where + " must be \"fail\" or \"delay\", not \"" + *mode + "\"");
  }
  reader.finish();
}

void decode_reschedule(const EvalBlock& block, const std::string& where, Diagnostics& d, spec::ReschedulePolicy& into) {
  BodyReader reader(*block.body, where_of("reschedule", "", where), d);
  set_int(reader.integer("attempts"), into.attempts);
  set_if(reader.duration("interval"), into.interval);
  set_if(reader.duration("delay"), into.delay);
  set_if(reader.duration("max_delay"), into.max_delay);
  set_if(reader.boolean("unlimited"), into.unlimited);
  if (std::optional<std::string> f = reader.string("delay_function")) {
    if (*f == "constant") into.delay_function = spec::DelayFunction::kConstant;
    else if (*f == "exponential") into.delay_function = spec::DelayFunction::kExponential;
    else if (*f == "fibonacci") into.delay_function = spec::DelayFunction::kFibonacci;
    else
      reader.attribute_error(
          *reader.value("delay_function"),
          "delay_function in " + where + " must be \"constant\", \"exponential\" or \"fibonacci\", not \"" + *f + "\"");
  }
  reader.finish();
}

spec::EphemeralDisk decode_ephemeral_disk(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("ephemeral_disk", "", where), d);
  spec::EphemeralDisk disk;
  set_int(reader.integer("size"), disk.size_mb);
  set_if(reader.boolean("sticky"), disk.sticky);
  set_if(reader.boolean("migrate"), disk.migrate);
  reader.finish();
  return disk;
}

spec::Periodic decode_periodic(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("periodic", "", where), d);
  spec::Periodic p;
  if (auto cron = reader.string("cron")) p.crons.push_back(*cron);
  if (auto crons = reader.strings("crons")) p.crons.insert(p.crons.end(), crons->begin(), crons->end());
  set_if(reader.boolean("prohibit_overlap"), p.prohibit_overlap);
  set_if(reader.string("time_zone"), p.time_zone);
  set_if(reader.boolean("enabled"), p.enabled);
  if (p.crons.empty()) d.error(block.body->file, block.type_range, "periodic block in " + where + " needs crons (or cron)");
  reader.finish();
  return p;
}

spec::Parameterized decode_parameterized(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("parameterized", "", where), d);
  spec::Parameterized p;
  set_if(reader.string("payload"), p.payload);
  set_if(reader.strings("meta_required"), p.meta_required);
  set_if(reader.strings("meta_optional"), p.meta_optional);
  if (p.payload != "optional" && p.payload != "required" && p.payload != "forbidden") {
    reader.attribute_error(*reader.value("payload"),
                           "payload in " + where + " must be \"optional\", \"required\" or \"forbidden\"");
  }
  reader.finish();
  return p;
}

spec::LogConfig decode_logs(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("logs", "", where), d);
  spec::LogConfig logs;
  set_int(reader.integer("max_files"), logs.max_files);
  set_int(reader.integer("max_file_size"), logs.max_file_size_mb);
  set_if(reader.boolean("disabled"), logs.disabled);
  if (auto enabled = reader.boolean("enabled")) logs.disabled = !*enabled;
  reader.finish();
  return logs;
}

}  // namespace skiff::parser::detail
