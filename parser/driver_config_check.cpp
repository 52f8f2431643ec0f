// A task's driver and its `config` block, checked at validate against what
// skiff's drivers carry out (drivers/task/supervisor.cpp for raw_exec, exec
// and java; drivers/task/container.cpp for docker and podman). A key that
// Nomad's driver takes but skiff's would ignore is refused by name: a job
// file that validates runs as written. Keep the tables in step with those
// two files.
#include <algorithm>
#include <cctype>
#include <optional>

#include "base/text.hpp"
#include "parser/did_you_mean.hpp"
#include "parser/job_decode.hpp"

namespace skiff::parser::detail {

namespace {

enum class KeyType { kString, kStrings, kStringOrStrings, kBool, kStringMap, kLogging, kMounts };

struct ConfigKey {
  const char* name;
  KeyType type;
};

struct DriverSchema {
  const char* driver;
  std::vector<ConfigKey> keys;
  // Each entry: the config needs at least one of these keys.
  std::vector<std::vector<std::string>> required;
  // Keys of Nomad's driver (or plugin) that skiff does not carry out.
  std::vector<const char*> refused;
  // The logging block's spelling: docker's `type` + `config`, the podman
  // plugin's `driver` + `options`.
  const char* log_driver_key;
  const char* log_options_key;
};

const std::vector<const char*> kExecRefused = {"pid_mode", "ipc_mode", "cap_add", "cap_drop", "work_dir", "oom_score_adj"};

const std::vector<const char*> kDockerRefused = {"auth",
                                                 "cgroupns",
                                                 "container_exists_attempts",
                                                 "cpuset_cpus",
                                                 "cpu_hard_limit",
                                                 "cpu_cfs_period",
                                                 "devices",
                                                 "dns_search_domains",
                                                 "dns_options",
                                                 "dns_servers",
                                                 "extra_hosts",
                                                 "group_add",
                                                 "healthchecks",
                                                 "hostname",
                                                 "image_pull_timeout",
                                                 "init",
                                                 "interactive",
                                                 "isolation",
                                                 "ipc_mode",
                                                 "ipv4_address",
                                                 "ipv6_address",
                                                 "advertise_ipv6_address",
                                                 "load",
                                                 "mac_address",
                                                 "memory_hard_limit",
                                                 "mounts",
                                                 "network_aliases",
                                                 "oom_score_adj",
                                                 "pid_mode",
                                                 "pids_limit",
                                                 "port_map",
                                                 "readonly_rootfs",
                                                 "runtime",
                                                 "security_opt",
                                                 "shm_size",
                                                 "storage_opt",
                                                 "sysctl",
                                                 "tty",
                                                 "ulimit",
                                                 "uts_mode",
                                                 "userns_mode",
                                                 "volume_driver",
                                                 "work_dir",
                                                 "cap_add",
                                                 "cap_drop",
                                                 "gpus",
                                                 "platform"};

const std::vector<const char*> kPodmanRefused = {"auth",
                                                 "cap_add",
                                                 "cap_drop",
                                                 "cpu_hard_limit",
                                                 "cpu_cfs_period",
                                                 "devices",
                                                 "extra_hosts",
                                                 "hostname",
                                                 "image_pull_timeout",
                                                 "init",
                                                 "init_path",
                                                 "memory_swap",
                                                 "memory_swappiness",
                                                 "pids_limit",
                                                 "port_map",
                                                 "readonly_rootfs",
                                                 "security_opt",
                                                 "selinux_opts",
                                                 "socket",
                                                 "sysctl",
                                                 "tmpfs",
                                                 "tty",
                                                 "ulimit",
                                                 "userns",
                                                 "apparmor_profile",
                                                 "dns",
                                                 "cpuset_cpus"};

const std::vector<DriverSchema>& schemas() {
  static const std::vector<DriverSchema> all = {
      {"raw_exec", {{"command", KeyType::kString}, {"args", KeyType::kStrings}}, {{"command"}}, kExecRefused, "", ""},
      {"exec", {{"command", KeyType::kString}, {"args", KeyType::kStrings}}, {{"command"}}, kExecRefused, "", ""},
      {"java",
       {{"jar_path", KeyType::kString},
        {"class", KeyType::kString},
        {"class_path", KeyType::kString},
        {"jvm_options", KeyType::kStrings},
        {"args", KeyType::kStrings}},
       {{"jar_path", "class"}},
       kExecRefused,
       "",
       ""},
      {"docker",
       {{"image", KeyType::kString},
        {"command", KeyType::kString},
        {"args", KeyType::kStrings},
        {"entrypoint", KeyType::kStrings},
        {"ports", KeyType::kStrings},
        {"volumes", KeyType::kStrings},
        {"labels", KeyType::kStringMap},
        {"network_mode", KeyType::kString},
        {"force_pull", KeyType::kBool},
        {"privileged", KeyType::kBool},
        // skiff sends no credentials of its own (the host's docker login
        // pulls), so there is no job auth to fail: nothing to soften.
        {"auth_soft_fail", KeyType::kBool},
        {"mount", KeyType::kMounts},
        {"logging", KeyType::kLogging}},
       {{"image"}},
       kDockerRefused,
       "type",
       "config"},
      {"podman",
       {{"image", KeyType::kString},
        {"command", KeyType::kString},
        {"args", KeyType::kStrings},
        {"entrypoint", KeyType::kStringOrStrings},
        {"ports", KeyType::kStrings},
        {"volumes", KeyType::kStrings},
        {"labels", KeyType::kStringMap},
        {"network_mode", KeyType::kString},
        {"force_pull", KeyType::kBool},
        {"working_dir", KeyType::kString},
        {"memory_reservation", KeyType::kString},
        {"privileged", KeyType::kBool},
        {"auth_soft_fail", KeyType::kBool},
        {"logging", KeyType::kLogging}},
       {{"image"}},
       kPodmanRefused,
       "driver",
       "options"},
  };
  return all;
}

// Drivers of Nomad and its community plugins that skiff does not run.
const std::vector<std::string> kOtherNomadDrivers = {
    "qemu",
    "lxc",
    "rkt",
    "containerd-driver",
    "singularity",
    "nspawn",
    "firecracker-task-driver",
    "pot",
    "jail-task-driver",
    "win_iis",
    "iis",
    "ecs",
    "exec2",
    "vz",
    "virt",
    "libvirt",
    "wasm",
    "wasmtime",
    "nix",
    "pledge",
};

const DriverSchema* schema_of(const std::string& driver) {
  for (const DriverSchema& schema : schemas())
    if (driver == schema.driver) return &schema;
  return nullptr;
}

std::string runnable_list() { return "raw_exec, exec, java, docker and podman"; }

std::vector<std::string> runnable_names() {
  std::vector<std::string> names;
  for (const DriverSchema& schema : schemas()) names.push_back(schema.driver);
  return names;
}

// docker's logging takes `type` (or Nomad's older `driver`) and `config`;
// the podman plugin's takes `driver` and `options`. The other one's
// spelling is answered with this one's.
void check_logging(BodyReader& config, const DriverSchema& schema) {
  const bool podman = std::string(schema.driver) == "podman";
  const std::vector<std::string> foreign =
      podman ? std::vector<std::string>{"type", "config"} : std::vector<std::string>{"options"};
  for (const EvalBlock* logging : config.blocks("logging")) {
    BodyReader reader(*logging->body, where_of("logging", "", config.where()), config.diagnostics());
    reader.string(schema.log_driver_key);
    reader.string_map(schema.log_options_key);
    if (!podman) reader.string("driver");
    for (const std::string& other : foreign) {
      auto misspelt = [&](const SourceRange& range) {
        reader.diagnostics().error(reader.body().file, range,
                                   "\"" + other + "\" in " + reader.where() + ": the " + schema.driver +
                                       " driver's logging takes \"" + schema.log_driver_key + "\" and \"" +
                                       schema.log_options_key + "\"");
      };
      if (const EvalAttribute* attribute = reader.value(other)) misspelt(attribute->name_range);
      for (const EvalBlock* block : reader.blocks(other)) misspelt(block->type_range);
    }
    reader.finish();
  }
  if (const EvalAttribute* attribute = config.value("logging"))
    config.attribute_error(*attribute, "logging in " + config.where() + " is a block: logging { ... }");
}

// docker's `mount { type target source readonly }`: bind, volume or tmpfs;
// the per-type option blocks are not carried out.
// A relative path from a config resolves against the task's folder and may
// reach the allocation's folder (../alloc), never leave it.
void check_inside(BodyReader& reader, const EvalAttribute& attribute, const std::string& path, const std::string& what) {
  if (path.empty() || path.front() == '/' || path.find("${") != std::string::npos || base::stays_inside(path, 1)) return;
  reader.attribute_error(attribute,
                         what + " \"" + base::printable(path) + "\" in " + reader.where() +
                             " leaves the allocation's folder: a relative path is taken from the task's folder");
}

// volumes = ["src:dst"], jar_path, class_path: relative paths stay inside.
void check_config_paths(BodyReader& reader) {
  const EvalBody& body = reader.body();
  if (const EvalAttribute* volumes = body.attribute("volumes"); volumes && volumes->value.is_list()) {
    for (const Value& volume : volumes->value.as_list())
      if (volume.is_string())
        check_inside(reader, *volumes, volume.as_string().substr(0, volume.as_string().find(':')), "volume source");
  }
  for (const char* name : {"jar_path", "class_path"}) {
    const EvalAttribute* attribute = body.attribute(name);
    if (!attribute || !attribute->value.is_string()) continue;
    const std::string& text = attribute->value.as_string();
    for (size_t at = 0; at <= text.size();) {  // class_path: a:b:c
      const size_t colon = std::min(text.find(':', at), text.size());
      check_inside(reader, *attribute, text.substr(at, colon - at), name);
      at = colon + 1;
    }
  }
}

void check_mounts(BodyReader& config) {
  for (const EvalBlock* mount : config.blocks("mount")) {
    BodyReader reader(*mount->body, where_of("mount", "", config.where()), config.diagnostics());
    reader.require("target");
    reader.string("target");
    std::optional<std::string> source = reader.string("source");
    reader.boolean("readonly");
    if (source && reader.string("type").value_or("volume") == "bind")
      check_inside(reader, *reader.value("source"), *source, "bind source");
    if (std::optional<std::string> type = reader.string("type");
        type && *type != "bind" && *type != "volume" && *type != "tmpfs") {
      reader.attribute_error(
          *reader.value("type"),
          "mount type in " + config.where() + " must be \"bind\", \"volume\" or \"tmpfs\", not \"" + *type + "\"");
    }
    for (const char* options : {"bind_options", "volume_options", "tmpfs_options"}) reader.not_supported_block(options);
    reader.finish();
  }
}

// An image reference as docker and podman read it: [host[:port]/]path
// [:tag][@digest]. Above all it may not start with "-", where the container
// CLI would read it as an option (image = "--privileged").
bool is_image_reference(std::string_view image) {
  if (image.empty() || !std::isalnum(static_cast<unsigned char>(image[0]))) return false;
  return std::all_of(image.begin(), image.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._-/:@+").find(c) != std::string_view::npos;
  });
}

void check_image(BodyReader& reader) {
  std::optional<std::string> image = reader.string("image");
  const EvalAttribute* attribute = reader.value("image");
  if (!image || !attribute || image->find("${") != std::string::npos || is_image_reference(*image)) return;
  reader.attribute_error(*attribute,
                         "image \"" + base::printable(*image) + "\" in " + reader.where() +
                             " is not an image reference such as \"redis:7\" or \"ghcr.io/org/app@sha256:...\"");
}

void check_key(BodyReader& reader, const ConfigKey& key, const DriverSchema& schema) {
  if (key.name == std::string_view("image")) return check_image(reader);
  switch (key.type) {
    case KeyType::kString: reader.string(key.name); break;
    case KeyType::kStrings: reader.strings(key.name); break;
    case KeyType::kStringOrStrings: {
      const EvalAttribute* attribute = reader.value(key.name);
      if (attribute && !attribute->failed && !attribute->value.is_null() && !to_string_value(attribute->value))
        reader.strings(key.name);
      break;
    }
    case KeyType::kBool: reader.boolean(key.name); break;
    case KeyType::kStringMap: reader.string_map(key.name); break;
    case KeyType::kLogging: check_logging(reader, schema); break;
    case KeyType::kMounts: check_mounts(reader); break;
  }
}

void refuse_keys(BodyReader& reader, const DriverSchema& schema) {
  for (const char* name : schema.refused) {
    auto refuse = [&](const SourceRange& range) {
      reader.diagnostics().error(reader.body().file, range,
                                 "\"" + std::string(name) + "\" in " + reader.where() + " is not supported by skiff: its " +
                                     schema.driver + " driver would ignore it");
    };
    if (const EvalAttribute* attribute = reader.value(name)) refuse(attribute->name_range);
    for (const EvalBlock& block : reader.body().blocks)
      if (block.type == name) refuse(block.type_range);
    reader.blocks(name);  // known, so that finish() does not report it again
  }
}

void check_required(BodyReader& reader, const DriverSchema& schema) {
  for (const std::vector<std::string>& any_of : schema.required) {
    // A misspelt required key is reported once, as the typo.
    bool present = std::any_of(any_of.begin(), any_of.end(), [&](const std::string& name) {
      for (const EvalAttribute& attribute : reader.body().attributes)
        if (attribute.name == name || did_you_mean(attribute.name, {name})) return true;
      return false;
    });
    if (present) continue;
    if (any_of.size() == 1) {
      reader.require(any_of[0]);
      continue;
    }
    reader.diagnostics().error(reader.body().file, reader.body().range,
                               reader.where() + " needs \"" + any_of[0] + "\" or \"" + any_of[1] + "\"");
  }
}

}  // namespace

bool check_driver_name(const EvalAttribute& driver, const SourceFilePtr& file, const std::string& task_where, Diagnostics& d) {
  if (driver.failed || !driver.value.is_string()) return false;
  const std::string& name = driver.value.as_string();
  if (schema_of(name)) return true;
  if (std::find(kOtherNomadDrivers.begin(), kOtherNomadDrivers.end(), name) != kOtherNomadDrivers.end()) {
    d.error(file, driver.value_range,
            "driver \"" + name + "\" in " + task_where + " is not supported by skiff, which runs " + runnable_list());
    return false;
  }
  d.error(file, driver.value_range,
          "driver \"" + name + "\" in " + task_where + " is not one skiff knows (it runs " + runnable_list() + ")" +
              did_you_mean_suffix(name, runnable_names()));
  return false;
}

void check_driver_config(const std::string& driver, const EvalBlock* config, const EvalBlock& task, const std::string& task_where,
                         Diagnostics& d) {
  const DriverSchema* schema = schema_of(driver);
  if (!schema) return;
  if (!config) {
    std::string needs = schema->required.empty() ? "" : schema->required[0][0];
    d.error(task.body->file, task.type_range,
            task_where + " has no config block; driver \"" + driver + "\" needs config { " + needs + " = ... }");
    return;
  }
  BodyReader reader(*config->body, std::string(schema->driver) + " config in " + task_where, d);
  for (const ConfigKey& key : schema->keys) check_key(reader, key, *schema);
  check_config_paths(reader);
  check_required(reader, *schema);
  refuse_keys(reader, *schema);
  reader.finish();
}

}  // namespace skiff::parser::detail
