#include "drivers/task/container.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "drivers/scripts/scripts.hpp"
#include "drivers/shell_quote.hpp"
#include "drivers/task/stop_timeout.hpp"
#include "drivers/task/supervisor.hpp"
#include "drivers/task/task_config.hpp"

namespace skiff::drivers {

namespace {

// The start command's program: fragments of drivers/scripts/ in the order
// they run.
std::string start_program() {
  return scripts::join(
      {scripts::kSymlinkGuardSh, scripts::kContainerStartVariablesSh, scripts::kAllocationFoldersSh, scripts::kContainerStartSh});
}

// --volume flags for the task's volume_mount blocks: group volume (type
// host) -> the host's host_volume from the inventory -> its path.
Result<std::vector<std::string>> host_volume_flags(const TaskContext& c) {
  std::vector<std::string> flags;
  for (const spec::VolumeMount& mount : c.task.volume_mounts) {
    const spec::Volume* volume = nullptr;
    for (const spec::Volume& v : c.group.volumes)
      if (v.name == mount.volume) volume = &v;
    if (!volume)
      return make_error(ErrorCode::kInvalidArgument,
                        "task \"" + c.task.name + "\": no volume \"" + mount.volume + "\" in its group");
    const spec::HostVolume* on_host = nullptr;
    for (const spec::HostVolume& hv : c.host.host_volumes)
      if (hv.name == volume->source) on_host = &hv;
    if (!on_host) {
      return make_error(ErrorCode::kUnavailable,
                        "task \"" + c.task.name + "\": host " + c.host.name + " has no host_volume \"" + volume->source +
                            "\" in the inventory");
    }
    const bool read_only = mount.read_only || volume->read_only || on_host->read_only;
    flags.insert(flags.end(), {"--volume", on_host->path + ":" + mount.destination + (read_only ? ":ro" : "")});
  }
  return flags;
}

// A bind mount's source from a job file as a host path: a relative one is
// under the task's folder, as Nomad's docker driver takes it, and may reach
// the allocation's folder but not leave it; an absolute one only where the
// host's inventory allows it (docker { volumes_enabled = true }).
Result<std::string> bind_source(const TaskContext& c, const std::string& source) {
  if (!source.empty() && source.front() == '/') {
    if (c.host.docker_volumes_enabled) return source;
    return make_error(ErrorCode::kInvalidArgument,
                      "task \"" + c.task.name + "\": volume source \"" + source + "\" is a path on host " + c.host.name +
                          ", which its inventory does not allow: set docker { volumes_enabled = true } for it in "
                          "hosts.hcl, or use a host_volume");
  }
  if (!base::stays_inside(source, 1)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "task \"" + c.task.name + "\": volume source \"" + source + "\" leaves the allocation's folder");
  }
  return c.allocation.task_dir(c.task.name) + "/" + source;
}

// config.volumes ("src:dst[:ro]").
Result<std::vector<std::string>> config_volume_flags(const TaskContext& c, const parser::Value& config) {
  std::vector<std::string> flags;
  for (const std::string& volume : config_strings(config, "volumes")) {
    const size_t colon = volume.find(':');
    Result<std::string> source = bind_source(c, volume.substr(0, colon));
    if (!source.ok()) return source.error();
    flags.insert(flags.end(), {"--volume", *source + (colon == std::string::npos ? "" : volume.substr(colon))});
  }
  return flags;
}

// `mount { type = "bind" source = "conf" target = "/etc/app" readonly = true }`
// -> --mount; type defaults to "volume", as in Nomad's docker driver.
Result<std::vector<std::string>> config_mount_flags(const TaskContext& c, const parser::Value& config) {
  std::vector<std::string> flags;
  const parser::Value* mounts =
      config.is_object() && config.as_object().count("mount") ? &config.as_object().at("mount") : nullptr;
  if (!mounts || !mounts->is_list()) return flags;
  for (const parser::Value& mount : mounts->as_list()) {
    const std::string type = config_string(mount, "type").value_or("volume");
    std::string source = config_string(mount, "source").value_or("");
    if (type == "bind" && !source.empty()) {
      Result<std::string> on_host = bind_source(c, source);
      if (!on_host.ok()) return on_host.error();
      source = *on_host;
    }
    std::string spec =
        "type=" + type + (source.empty() ? "" : ",source=" + source) + ",target=" + config_string(mount, "target").value_or("");
    if (config_bool(mount, "readonly")) spec += ",readonly";
    flags.insert(flags.end(), {"--mount", spec});
  }
  return flags;
}

// The items of a map written as an attribute (`labels = { a = "b" }`) or as
// a block (`labels { a = "b" }`, a list of one object).
std::map<std::string, std::string> config_map(const parser::Value& config, const std::string& key) {
  std::map<std::string, std::string> out;
  if (!config.is_object()) return out;
  auto it = config.as_object().find(key);
  if (it == config.as_object().end()) return out;
  std::vector<parser::Value> objects = it->second.is_list() ? it->second.as_list() : std::vector<parser::Value>{it->second};
  for (const parser::Value& object : objects)
    if (object.is_object())
      for (const auto& [k, v] : object.as_object())
        if (v.is_string()) out[k] = v.as_string();
  return out;
}

// `logging { type = "journald" config { tag = "web" } }` (the podman
// plugin's `logging { driver = "journald" options { tag = "web" } }`) ->
// --log-driver and --log-opt. Without it the runtime's json-file (k8s-file for podman) log
// is capped by the task's `logs` block, as Nomad does; `logs { disabled }`
// turns logging off.
std::vector<std::string> logging_flags(const TaskContext& c, const parser::Value& config, const std::string& cli) {
  std::vector<std::string> flags;
  auto flag = [&](const std::string& name, const std::string& value) { flags.insert(flags.end(), {name, value}); };
  const parser::Value* block = nullptr;
  if (config.is_object() && config.as_object().count("logging")) {
    const parser::Value& v = config.as_object().at("logging");
    block = v.is_list() && !v.as_list().empty() ? &v.as_list().front() : &v;
  }
  if (c.task.logs.disabled) {
    flag("--log-driver", "none");
  } else if (block && block->is_object()) {
    std::optional<std::string> type = config_string(*block, "type");
    if (!type) type = config_string(*block, "driver");
    if (type) flag("--log-driver", *type);
    for (const char* options : {"config", "options"})
      for (const auto& [k, v] : config_map(*block, options)) flag("--log-opt", k + "=" + v);
  } else {
    flag("--log-opt", "max-size=" + std::to_string(c.task.logs.max_file_size_mb) + "m");
    // podman keeps one file and has no max-file option.
    if (cli == "docker") flag("--log-opt", "max-file=" + std::to_string(c.task.logs.max_files));
  }
  return flags;
}

}  // namespace

Result<std::string> container_cli(const HostFacts& facts, const std::string& driver) {
  const bool podman_first = driver == "podman";
  const std::array<const char*, 2> order =
      podman_first ? std::array<const char*, 2>{"podman", "docker"} : std::array<const char*, 2>{"docker", "podman"};
  for (const char* cli : order) {
    auto it = facts.drivers.find(cli);
    if (it != facts.drivers.end() && it->second.healthy) return std::string(cli);
  }
  std::string found;
  for (const char* cli : order) {
    auto it = facts.drivers.find(cli);
    if (it != facts.drivers.end() && it->second.detected)
      found += std::string(found.empty() ? "" : "; ") + cli + ": " + it->second.reason;
  }
  return make_error(
      ErrorCode::kUnavailable,
      std::string(podman_first ? "the podman driver needs podman or docker" : "the docker driver needs docker or podman") +
          " on the host" + (found.empty() ? std::string(", and it has neither") : " (" + found + ")"));
}

std::string container_name(const Allocation& allocation, const std::string& task) {
  return "skiff-" + allocation.id + "-" + clean_env_name(task);
}

std::map<std::string, std::string> container_environment(const TaskContext& c) {
  std::map<std::string, std::string> env = task_environment(c);
  env["NOMAD_ALLOC_DIR"] = "/alloc";
  env["NOMAD_TASK_DIR"] = "/local";
  env["NOMAD_SECRETS_DIR"] = "/secrets";
  return env;
}

bool fits_env_file(const std::string& value) {
  if (value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) return false;
  // docker refuses an env file with invalid UTF-8; nlohmann::json checks it.
  try {
    (void)nlohmann::json(value).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

std::string container_env_file(const std::map<std::string, std::string>& env) {
  std::string text;
  for (const auto& [k, v] : env)
    if (fits_env_file(v)) text += k + "=" + v + "\n";
  return text;
}

Result<std::vector<std::string>> container_run_args(const TaskContext& c, const std::string& cli) {
  const std::map<std::string, std::string> env = container_environment(c);
  const parser::Value config = interpolate_config(c.task.config, env, c);
  std::optional<std::string> image = config_string(config, "image");
  if (!image || image->empty())
    return make_error(ErrorCode::kInvalidArgument, "task \"" + c.task.name + "\": config needs an image");
  std::optional<std::string> kill_signal = signal_name(c.task.kill_signal);
  if (!kill_signal)
    return make_error(ErrorCode::kInvalidArgument,
                      "task \"" + c.task.name + "\": kill_signal \"" + c.task.kill_signal + "\" is not a signal name");
  const Allocation& a = c.allocation;
  std::vector<std::string> args;
  auto flag = [&](const std::string& name, const std::string& value) { args.insert(args.end(), {name, value}); };
  flag("--label", "skiff.alloc=" + a.id);
  flag("--label", "skiff.job=" + a.job);
  flag("--label", "skiff.group=" + a.group);
  flag("--label", "skiff.task=" + c.task.name);
  flag("--label", "skiff.index=" + std::to_string(a.index));
  flag("--label", "skiff.job_version=" + std::to_string(a.job_version));
  for (const auto& [k, v] : config_map(config, "labels"))
    if (k.rfind("skiff.", 0) != 0) flag("--label", k + "=" + v);
  for (const auto& [k, v] : env)
    if (!fits_env_file(v)) flag("--env", k + "=" + v);
  flag("--volume", a.alloc_dir() + ":/alloc");
  flag("--volume", a.task_dir(c.task.name) + "/local:/local");
  flag("--volume", a.task_dir(c.task.name) + "/secrets:/secrets");
  Result<std::vector<std::string>> volumes = host_volume_flags(c);
  if (!volumes.ok()) return volumes.error();
  args.insert(args.end(), volumes->begin(), volumes->end());
  Result<std::vector<std::string>> binds = config_volume_flags(c, config);
  if (!binds.ok()) return binds.error();
  args.insert(args.end(), binds->begin(), binds->end());
  std::vector<std::string> logging = logging_flags(c, config, cli);
  args.insert(args.end(), logging.begin(), logging.end());
  Result<std::vector<std::string>> mounts = config_mount_flags(c, config);
  if (!mounts.ok()) return mounts.error();
  args.insert(args.end(), mounts->begin(), mounts->end());
  if (config_bool(config, "privileged")) args.push_back("--privileged");

  // config.ports names the group's ports to publish; without it, all of them.
  std::vector<std::string> wanted = config_strings(config, "ports");
  for (const AssignedPort& port : a.ports) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), port.label) == wanted.end()) continue;
    flag("--publish", std::to_string(port.host_port) + ":" + std::to_string(port.to > 0 ? port.to : port.host_port));
  }
  if (auto mode = config_string(config, "network_mode")) flag("--network", *mode);
  flag("--memory",
       std::to_string(c.task.resources.memory_max_mb > 0 ? c.task.resources.memory_max_mb : c.task.resources.memory_mb) + "m");
  flag("--cpu-shares", std::to_string(std::max(2, c.task.resources.cpu)));
  const spec::RestartPolicy& restart = c.task.restart ? *c.task.restart : c.group.restart;
  flag("--restart", restart.attempts > 0 ? "on-failure:" + std::to_string(restart.attempts) : "no");
  flag("--stop-signal", *kill_signal);
  flag("--stop-timeout", std::to_string(whole_seconds(c.task.kill_timeout)));
  flag("--pull", config_bool(config, "force_pull") ? "always" : "missing");
  // The podman plugin takes the entrypoint as one string too.
  std::vector<std::string> entrypoint = config_strings(config, "entrypoint");
  if (auto one = config_string(config, "entrypoint")) entrypoint = {*one};
  // The podman plugin's working_dir and memory_reservation.
  if (auto dir = config_string(config, "working_dir")) flag("--workdir", *dir);
  if (auto reservation = config_string(config, "memory_reservation")) flag("--memory-reservation", *reservation);
  if (!entrypoint.empty()) flag("--entrypoint", entrypoint.front());
  // "--": the image and what follows are never read as options.
  args.push_back("--");
  args.push_back(*image);
  args.insert(args.end(), entrypoint.begin() + (entrypoint.empty() ? 0 : 1), entrypoint.end());
  if (auto command = config_string(config, "command")) args.push_back(*command);
  std::vector<std::string> rest = config_strings(config, "args");
  args.insert(args.end(), rest.begin(), rest.end());
  return args;
}

Result<Command> start_container_command(const TaskContext& c, const std::string& cli) {
  Result<std::vector<std::string>> run = container_run_args(c, cli);
  if (!run.ok()) return run.error();
  const Allocation& a = c.allocation;
  const spec::RestartPolicy& restart = c.task.restart ? *c.task.restart : c.group.restart;
  std::vector<std::string> argv = {"sh",
                                   "-c",
                                   start_program(),
                                   "skiff-start",
                                   a.dir(),
                                   c.task.name,
                                   allocation_to_json(a).dump(),
                                   cli,
                                   container_name(a, c.task.name),
                                   std::to_string(restart.attempts),
                                   payload_file(c),
                                   payload_format(c)};
  argv.insert(argv.end(), run->begin(), run->end());
  // A first pull may take a while.
  return Command{argv, container_env_file(container_environment(c)), std::chrono::minutes(10)};
}

Command stop_container_command(const Allocation& a, const std::string& task, const std::string& cli) {
  return Command{{"sh", "-c", scripts::join({scripts::kSymlinkGuardSh, scripts::kContainerStopSh}), "skiff-stop",
                  a.control_dir(task), cli, container_name(a, task)},
                 std::nullopt,
                 stop_timeout(kAssumedKillTimeout, a.task_hooks, task)};
}

Command restart_container_command(const std::string& cli, const std::string& name) {
  // A restart is a stop and a start of the container.
  return Command{{"sh", "-c", "\"$1\" restart \"$2\" >/dev/null && echo state=running", "skiff-restart", cli, name},
                 std::nullopt,
                 stop_timeout(kAssumedKillTimeout, {}, name) + std::chrono::minutes(1)};
}

Command signal_container_command(const std::string& cli, const std::string& name, const std::string& signal) {
  return Command{{cli, "kill", "--signal", signal, name}, std::nullopt, std::chrono::seconds(30)};
}

Command container_logs_command(const std::string& cli, const std::string& name, const std::string& stream, int lines,
                               const std::string& since) {
  return Command{
      {"sh", "-c", std::string(scripts::kContainerLogsSh), "skiff-logs", cli, name, stream, std::to_string(lines), since},
      std::nullopt,
      std::chrono::seconds(30)};
}

Command remove_container_command(const std::string& cli, const std::string& name) {
  return Command{{cli, "rm", "-f", name}, std::nullopt, std::chrono::seconds(60)};
}

}  // namespace skiff::drivers
