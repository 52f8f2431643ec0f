// Tasks: driver and its generic config, env, resources, artifacts,
// templates, volume mounts, lifecycle, logs and per-task restart.
#include <algorithm>
#include <cctype>

#include "base/signals.hpp"
#include "base/text.hpp"
#include "parser/job_decode.hpp"

namespace skiff::parser::detail {

namespace {

// kill_signal and change_signal name a signal, which reaches a host's kill
// command: nothing but a signal's name passes.
void check_signal(BodyReader& reader, std::string_view name, const std::string& value) {
  const EvalAttribute* attribute = reader.value(name);
  if (!attribute || value.empty() || base::signal_name(value)) return;
  reader.attribute_error(*attribute,
                         std::string(name) + " \"" + base::printable(value) + "\" in " + reader.where() +
                             " is not a signal name: write one such as \"SIGTERM\", \"SIGINT\" or \"SIGHUP\"");
}

// A template's or artifact's destination is taken from the task's folder
// and may reach the allocation's (../alloc/), as in Nomad's file sandbox.
void check_destination(BodyReader& reader, const std::string& destination) {
  const EvalAttribute* attribute = reader.value("destination");
  std::string relative = destination;
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);  // Nomad joins it to the task's folder
  if (!attribute || relative.empty() || relative.find("${") != std::string::npos || base::stays_inside(relative, 1)) return;
  reader.attribute_error(*attribute,
                         "destination \"" + base::printable(destination) + "\" in " + reader.where() +
                             " leaves the allocation's folder: it is taken from the task's folder");
}

// env = { "NAME" = ... } takes any key; env { NAME = ... } only identifiers.
void check_env_names(BodyReader& reader) {
  const EvalAttribute* env = reader.value("env");
  if (!env || !env->value.is_object()) return;
  for (const auto& [name, value] : env->value.as_object()) {
    if (base::is_env_name(name)) continue;
    reader.attribute_error(*env,
                           "\"" + base::printable(name) + "\" in env of " + reader.where() +
                               " is not a variable name: start with a letter or \"_\", then letters, digits, \"_\", "
                               "\".\" or \"-\"");
  }
}

spec::Resources decode_resources(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("resources", "", where), d);
  spec::Resources r;
  if (auto cpu = reader.integer("cpu")) r.cpu = static_cast<int>(*cpu);
  if (auto cores = reader.integer("cores")) r.cores = static_cast<int>(*cores);
  if (auto memory = reader.integer("memory")) r.memory_mb = static_cast<int>(*memory);
  if (auto memory_max = reader.integer("memory_max")) r.memory_max_mb = static_cast<int>(*memory_max);
  if (auto disk = reader.integer("disk")) r.disk_mb = static_cast<int>(*disk);
  if (reader.value("cpu") && reader.value("cores")) {
    reader.attribute_error(*reader.value("cores"), "resources in " + where + " set both cpu and cores; use one");
  }
  if (r.cpu < 1) d.error(block.body->file, block.type_range, "resources in " + where + ": cpu must be at least 1 MHz");
  if (r.memory_mb < 10) d.error(block.body->file, block.type_range, "resources in " + where + ": memory must be at least 10 MB");
  for (const EvalBlock* device_block : reader.blocks("device", 1)) {
    BodyReader device(*device_block->body, where_of("device", device_block->labels[0], reader.where()), d);
    spec::Device dev;
    dev.name = device_block->labels[0];
    dev.count = static_cast<int>(device.integer("count").value_or(1));
    dev.constraints = decode_constraints(device);
    dev.affinities = decode_affinities(device);
    device.finish();
    r.devices.push_back(dev);
  }
  reader.not_supported_block("network");
  reader.not_supported_block("numa");
  reader.not_supported_attribute("secrets");
  reader.finish();
  return r;
}

std::map<std::string, std::string> map_attribute(BodyReader& reader, const char* name) {
  std::map<std::string, std::string> out;
  const EvalAttribute* attribute = reader.value(name);
  if (!attribute || attribute->value.is_null()) return out;
  if (!attribute->value.is_object()) {
    reader.attribute_error(*attribute, std::string(name) + " in " + reader.where() + " must be a map of strings");
    return out;
  }
  for (const auto& [key, value] : attribute->value.as_object()) out[key] = to_string_value(value).value_or("");
  return out;
}

spec::Artifact decode_artifact(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("artifact", "", where), d);
  spec::Artifact a;
  reader.require("source");
  a.source = reader.string("source").value_or("");
  a.destination = reader.string("destination").value_or("local/");
  check_destination(reader, a.destination);
  a.mode = reader.string("mode").value_or("any");
  a.options = map_attribute(reader, "options");
  a.headers = map_attribute(reader, "headers");
  for (const EvalBlock* options : reader.blocks("options"))
    for (const EvalAttribute& attribute : options->body->attributes)
      a.options[attribute.name] = to_string_value(attribute.value).value_or("");
  for (const EvalBlock* headers : reader.blocks("headers"))
    for (const EvalAttribute& attribute : headers->body->attributes)
      a.headers[attribute.name] = to_string_value(attribute.value).value_or("");
  reader.not_supported_attribute("chown");
  reader.finish();
  return a;
}

spec::Template decode_template(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("template", "", where), d);
  spec::Template t;
  t.source = reader.string("source").value_or("");
  reader.require("destination");
  t.destination = reader.string("destination").value_or("");
  check_destination(reader, t.destination);
  t.data = reader.string("data").value_or("");
  t.change_mode = reader.string("change_mode").value_or("restart");
  t.change_signal = reader.string("change_signal").value_or("");
  check_signal(reader, "change_signal", t.change_signal);
  if (auto splay = reader.duration("splay")) t.splay = *splay;
  t.perms = reader.string("perms").value_or("0644");
  t.left_delimiter = reader.string("left_delimiter").value_or("{{");
  t.right_delimiter = reader.string("right_delimiter").value_or("}}");
  t.env = reader.boolean("env").value_or(false);
  t.error_on_missing_key = reader.boolean("error_on_missing_key").value_or(false);
  // Presence, not value: a data attribute whose expression failed was reported already.
  if ((reader.value("source") != nullptr) == (reader.value("data") != nullptr)) {
    d.error(block.body->file, block.type_range, "template in " + where + " needs exactly one of data or source");
  }
  if (t.change_mode != "restart" && t.change_mode != "signal" && t.change_mode != "noop" && t.change_mode != "script") {
    reader.attribute_error(*reader.value("change_mode"),
                           "change_mode in " + where + " must be \"restart\", \"signal\", \"noop\" or \"script\"");
  }
  for (const char* name : {"uid", "gid", "vault_grace", "once"}) reader.not_supported_attribute(name);
  reader.not_supported_block("wait");
  reader.not_supported_block("change_script");
  reader.finish();
  return t;
}

spec::VolumeMount decode_volume_mount(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("volume_mount", "", where), d);
  spec::VolumeMount m;
  reader.require("volume");
  reader.require("destination");
  m.volume = reader.string("volume").value_or("");
  m.destination = reader.string("destination").value_or("");
  m.read_only = reader.boolean("read_only").value_or(false);
  reader.not_supported_attribute("propagation_mode");
  reader.not_supported_attribute("selinux_label");
  reader.finish();
  return m;
}

spec::Lifecycle decode_lifecycle(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("lifecycle", "", where), d);
  spec::Lifecycle l;
  reader.require("hook");
  if (auto hook = reader.string("hook")) {
    if (*hook == "prestart") l.hook = spec::LifecycleHook::kPrestart;
    else if (*hook == "poststart") l.hook = spec::LifecycleHook::kPoststart;
    else if (*hook == "poststop") l.hook = spec::LifecycleHook::kPoststop;
    else
      reader.attribute_error(
          *reader.value("hook"),
          "lifecycle hook in " + where + " must be \"prestart\", \"poststart\" or \"poststop\", not \"" + *hook + "\"");
  }
  l.sidecar = reader.boolean("sidecar").value_or(false);
  reader.finish();
  return l;
}

// dispatch_payload { file }: where a dispatched run's payload is written,
// inside the task's local/ folder (NOMAD_TASK_DIR), as Nomad does.
std::string decode_dispatch_payload(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("dispatch_payload", "", where), d);
  reader.require("file");
  std::string file = reader.string("file").value_or("");
  if (const EvalAttribute* value = reader.value("file")) {
    if (!base::is_file_path_below(file)) {
      reader.attribute_error(*value,
                             "file in dispatch_payload of " + where +
                                 " must name a file inside the task's local/ folder "
                                 "(a relative path without \"..\"), not \"" +
                                 file + "\"");
      file.clear();
    }
  }
  reader.finish();
  return file;
}

// A driver's config body as one object value: attributes as they are, and
// each nested block (logging, mount, ... at any depth) appended to a list
// under its type, as Nomad's driver specs read them.
parser::Value config_value(const EvalBody& body) {
  parser::ValueMap items;
  for (const EvalAttribute& attribute : body.attributes) items[attribute.name] = attribute.value;
  for (const EvalBlock& inner : body.blocks) {
    parser::ValueList list =
        items.count(inner.type) && items[inner.type].is_list() ? items[inner.type].as_list() : parser::ValueList{};
    list.push_back(config_value(*inner.body));
    items[inner.type] = parser::Value::list(std::move(list));
  }
  return parser::Value::object(std::move(items));
}

// Blocks Nomad carries out that skiff would accept and then ignore: refused
// here, so that a job file that validates runs as written. Templates and
// artifacts go when skiff renders and fetches them.
void refuse_blocks_without_effect(BodyReader& reader, const std::string& driver) {
  auto refuse = [&](const char* type, const std::string& why) {
    for (const EvalBlock& block : reader.body().blocks)
      if (block.type == type)
        reader.diagnostics().error(reader.body().file, block.type_range, std::string(type) + " in " + reader.where() + " " + why);
  };
  refuse("template", "is not supported by skiff yet: it does not render templates, so the file would never be written");
  refuse("artifact", "is not supported by skiff yet: it does not fetch artifacts, so the task would start without them");
  if (driver == "raw_exec" || driver == "exec" || driver == "java") {
    refuse("volume_mount",
           "is not supported with driver \"" + driver +
               "\": the task runs on the host's own filesystem and nothing is mounted; use the "
               "host_volume's path directly (the inventory names it), or run the task with driver \"docker\" "
               "or \"podman\"");
  }
}

}  // namespace

spec::Task decode_task(const EvalBlock& block, const std::string& group_where, const spec::RestartPolicy& group_restart,
                       Diagnostics& d) {
  spec::Task t;
  t.name = block.labels.at(0);
  std::string where = where_of("task", t.name, group_where);
  BodyReader reader(*block.body, where, d);
  reader.require("driver");
  t.driver = reader.string("driver").value_or("");
  const EvalBlock* config = reader.single_block("config");
  t.config = config ? config_value(*config->body) : parser::Value::object({});
  if (const EvalAttribute* driver = reader.value("driver"); driver && check_driver_name(*driver, block.body->file, where, d))
    check_driver_config(t.driver, config, block, where, d);
  t.env = reader.string_map("env");
  check_env_names(reader);
  t.meta = reader.string_map("meta");
  t.user = reader.string("user").value_or("");
  t.leader = reader.boolean("leader").value_or(false);
  if (auto kill_timeout = reader.duration("kill_timeout")) t.kill_timeout = *kill_timeout;
  t.kill_signal = reader.string("kill_signal").value_or("");
  check_signal(reader, "kill_signal", t.kill_signal);
  if (auto delay = reader.duration("shutdown_delay")) t.shutdown_delay = *delay;
  if (const EvalBlock* resources = reader.single_block("resources")) t.resources = decode_resources(*resources, where, d);
  for (const EvalBlock* artifact : reader.blocks("artifact")) t.artifacts.push_back(decode_artifact(*artifact, where, d));
  for (const EvalBlock* tmpl : reader.blocks("template")) t.templates.push_back(decode_template(*tmpl, where, d));
  t.services = decode_services(reader);
  for (const EvalBlock* mount : reader.blocks("volume_mount")) t.volume_mounts.push_back(decode_volume_mount(*mount, where, d));
  refuse_blocks_without_effect(reader, t.driver);
  if (const EvalBlock* lifecycle = reader.single_block("lifecycle")) t.lifecycle = decode_lifecycle(*lifecycle, where, d);
  if (const EvalBlock* logs = reader.single_block("logs")) t.logs = decode_logs(*logs, where, d);
  if (const EvalBlock* payload = reader.single_block("dispatch_payload"))
    t.dispatch_payload_file = decode_dispatch_payload(*payload, where, d);
  if (const EvalBlock* restart = reader.single_block("restart")) {
    t.restart = group_restart;  // the task's attributes override the group's
    decode_restart(*restart, where, d, *t.restart);
  }
  t.constraints = decode_constraints(reader);
  t.affinities = decode_affinities(reader);
  for (const char* name : {"vault", "consul", "identity", "csi_plugin", "scaling", "schedule", "secret", "action", "csi"}) {
    reader.not_supported_block(name);
  }
  reader.not_supported_attribute("kind");
  reader.finish();
  return t;
}

}  // namespace skiff::parser::detail
