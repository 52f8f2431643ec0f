// Groups: count, placement rules, network, services, volumes, policies and tasks.
#include "parser/job_decode.hpp"

namespace skiff::parser::detail {

namespace {

spec::Volume decode_volume(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  spec::Volume v;
  v.name = block.labels.at(0);
  BodyReader reader(*block.body, where_of("volume", v.name, where), d);
  v.type = reader.string("type").value_or("host");
  v.source = reader.string("source").value_or("");
  v.read_only = reader.boolean("read_only").value_or(false);
  if (v.type == "csi") {
    d.error(block.body->file, block.type_range,
            "volume \"" + v.name + "\" in " + where + " is a CSI volume; CSI volumes are not supported by skiff");
  } else if (v.type != "host") {
    reader.attribute_error(*reader.value("type"),
                           "volume type in " + reader.where() + " must be \"host\" (or \"csi\"), not \"" + v.type + "\"");
  } else if (v.source.empty()) {
    d.error(block.body->file, block.type_range,
            "volume \"" + v.name + "\" in " + where + " needs a source: the name of a host_volume in the inventory");
  }
  for (const char* name : {"access_mode", "attachment_mode", "per_alloc", "sticky"}) reader.not_supported_attribute(name);
  reader.not_supported_block("mount_options");
  reader.finish();
  return v;
}

// Policies every group reads the same way, whether from its own body or
// the job's (for a job-level task).
void decode_group_policies(BodyReader& reader, const GroupDefaults& defaults, spec::Group& g) {
  Diagnostics& d = reader.diagnostics();
  g.restart = default_restart(defaults.type);
  if (const EvalBlock* restart = reader.single_block("restart")) decode_restart(*restart, reader.where(), d, g.restart);
  g.reschedule = defaults.reschedule;
  if (const EvalBlock* reschedule = reader.single_block("reschedule")) {
    if (!g.reschedule) {
      d.error(reschedule->body->file, reschedule->type_range,
              "reschedule in " + reader.where() + " is not allowed for " + spec::to_string(defaults.type) + " jobs");
    } else {
      decode_reschedule(*reschedule, reader.where(), d, *g.reschedule);
    }
  }
  g.update = defaults.update;
  if (const EvalBlock* update = reader.single_block("update")) {
    if (!g.update) g.update = spec::UpdatePolicy{};
    decode_update(*update, reader.where(), d, *g.update);
  }
  g.migrate = defaults.migrate;
  if (const EvalBlock* migrate = reader.single_block("migrate")) decode_migrate(*migrate, reader.where(), d, g.migrate);
  if (const EvalBlock* disk = reader.single_block("ephemeral_disk"))
    g.ephemeral_disk = decode_ephemeral_disk(*disk, reader.where(), d);
}

void not_supported_in_group(BodyReader& reader) {
  for (const char* name : {"consul", "vault", "scaling", "disconnect"}) reader.not_supported_block(name);
  for (const char* name : {"max_client_disconnect", "stop_after_client_disconnect", "prevent_reschedule_on_lost",
                           "shutdown_delay", "max_run_duration"}) {
    reader.not_supported_attribute(name);
  }
}

}  // namespace

spec::Group decode_group(const EvalBlock& block, const std::string& job_where, const GroupDefaults& defaults, Diagnostics& d) {
  spec::Group g;
  g.name = block.labels.at(0);
  std::string where = where_of("group", g.name, job_where);
  BodyReader reader(*block.body, where, d);
  if (auto count = reader.integer("count")) {
    g.count = static_cast<int>(*count);
    if (g.count < 0) reader.attribute_error(*reader.value("count"), "count in " + where + " must not be negative");
  }
  g.constraints = decode_constraints(reader);
  g.affinities = decode_affinities(reader);
  g.spreads = decode_spreads(reader);
  if (const EvalBlock* network = reader.single_block("network")) g.network = decode_network(*network, where, d);
  g.services = decode_services(reader);
  for (const EvalBlock* volume : reader.blocks("volume", 1)) g.volumes.push_back(decode_volume(*volume, where, d));
  g.meta = reader.string_map("meta");
  decode_group_policies(reader, defaults, g);
  for (const EvalBlock* task : reader.blocks("task", 1)) g.tasks.push_back(decode_task(*task, where, g.restart, d));
  // A Connect gateway group has no task of its own (Nomad injects one);
  // its connect block is already reported as not supported.
  bool gateway = false;
  for (const EvalBlock* service : block.body->blocks_of("service"))
    gateway = gateway || !service->body->blocks_of("connect").empty();
  if (block.body->blocks_of("task").empty() && !gateway) {
    d.error(block.body->file, block.type_range, where + " has no task; a group needs at least one task block");
  }
  not_supported_in_group(reader);
  reader.finish();
  return g;
}

spec::Group decode_task_as_group(const EvalBlock& block, const std::string& job_where, const GroupDefaults& defaults,
                                 Diagnostics& d) {
  spec::Group g;
  g.name = block.labels.at(0);
  g.restart = default_restart(defaults.type);
  g.reschedule = defaults.reschedule;
  g.update = defaults.update;
  g.migrate = defaults.migrate;
  g.tasks.push_back(decode_task(block, job_where, g.restart, d));
  return g;
}

}  // namespace skiff::parser::detail
