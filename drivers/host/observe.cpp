#include "drivers/host/observe.hpp"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "base/digest.hpp"
#include "base/text.hpp"
#include "drivers/host/fingerprint.hpp"
#include "drivers/scripts/scripts.hpp"
#include "drivers/task/allocation.hpp"
#include "drivers/task/container.hpp"
#include "drivers/task/task_driver.hpp"

namespace skiff::drivers {

namespace {

std::optional<int64_t> number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  const std::string& s = it->get_ref<const std::string&>();
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18) return std::nullopt;
  return std::stoll(s);
}

ObservedTask task_from(const nlohmann::json& j) {
  ObservedTask t;
  t.state = parse_task_state(j.value("state", ""));
  t.restarts = static_cast<int>(number(j, "restarts").value_or(0));
  if (auto code = number(j, "exit_code")) t.exit_code = static_cast<int>(*code);
  t.reason = base::terminal_safe(j.value("reason", ""));
  t.since_unix = number(j, "since");
  t.supervisor_alive = j.value("supervisor_alive", false);
  t.driver = j.value("driver", "");
  if (t.driver.empty()) t.driver = "raw_exec";
  t.container = j.value("container", "");
  t.cli = j.value("cli", "");
  t.limits = j.value("limits", "");
  if (is_supervised(t.state) && !t.supervisor_alive) {
    t.reason = std::string(driver_of(t).keeper()) + " is gone (was " + to_string(t.state) +
        (t.reason.empty() ? "" : ": " + t.reason) + ")";
    t.state = TaskState::kLost;
  }
  return t;
}

}  // namespace

namespace {

std::string installed_script_path(const std::string& data_dir) {
  // Named by the hash of its text: a host keeps the copy it was given
  // until the program changes.
  return data_dir + "/bin/observe-" + base::sha256_hex_prefix(scripts::kObserveAwk, 16) + ".awk";
}

Result<Observation> observation_from(const Result<CommandResult>& run, const HostToObserve& from) {
  if (!run.ok()) return run.error();
  if (!run->success()) {
    return make_error(
        ErrorCode::kUnavailable,
        "observe exited with status " + std::to_string(run->exit_status) + ": " + base::terminal_safe(run->stderr_data));
  }
  return parse_observation(run->stdout_data, &from);
}

}  // namespace

Command observe_installed_command(const std::string& data_dir) {
  return Command{{"sh", "-c", std::string(scripts::kObserveSh), "skiff-observe", data_dir, installed_script_path(data_dir)},
                 std::nullopt,
                 std::chrono::milliseconds{30000},
                 ScriptShell::kSubshell};
}

bool is_observe_script_missing(const CommandResult& result, const std::string& data_dir) {
  return result.exit_status == 127 && result.stderr_data.find(installed_script_path(data_dir)) != std::string::npos;
}

Command observe_install_command(const std::string& data_dir) {
  // A new temporary name (mktemp, never opened through a link) renamed over
  // the script: a link or file planted at a fixed name is never written
  // through.
  const std::string install =
      "mkdir -p \"${2%/*}\" && t=$(mktemp \"$2.XXXXXX\") || exit 1\n"
      "printf '%s' \"$3\" > \"$t\" && mv -f \"$t\" \"$2\" || { rm -f \"$t\"; exit 1; }\n";
  return Command{{"sh", "-c", install + std::string(scripts::kObserveSh), "skiff-observe-install", data_dir,
                  installed_script_path(data_dir), std::string(scripts::kObserveAwk)},
                 std::nullopt,
                 std::chrono::milliseconds{30000}};
}

std::vector<Result<Observation>> observe_hosts(Fleet& fleet, const std::vector<HostToObserve>& hosts) {
  std::vector<HostCommand> batch;
  for (const HostToObserve& h : hosts) batch.push_back({h.host, observe_installed_command(h.data_dir)});
  std::vector<Result<CommandResult>> runs = fleet.run_all(batch);
  std::vector<size_t> missing;
  std::vector<HostCommand> installs;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].ok() && is_observe_script_missing(*runs[i], hosts[i].data_dir)) {
      missing.push_back(i);
      installs.push_back({hosts[i].host, observe_install_command(hosts[i].data_dir)});
    }
  }
  if (!installs.empty()) {
    std::vector<Result<CommandResult>> installed = fleet.run_all(installs);
    for (size_t k = 0; k < missing.size(); ++k) runs[missing[k]] = std::move(installed[k]);
  }
  std::vector<Result<Observation>> out;
  out.reserve(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) out.emplace_back(observation_from(runs[i], hosts[i]));
  return out;
}

Command observe_command(const std::string& data_dir) {
  return Command{
      {"sh", "-c", std::string(scripts::kObserveSh), "skiff-observe", data_dir, "-e", std::string(scripts::kObserveAwk)},
      std::nullopt,
      std::chrono::milliseconds{30000}};
}

namespace {

// "ID.TASK:PGID", as observe.sh writes it (an allocation ID has no dot).
// The parts reach a drift line on the terminal: an entry whose ID is not an
// allocation ID, whose group is not a number or whose task name holds a
// control character is not one task_leftovers.sh wrote, and is dropped.
std::optional<Observation::LingeringGroup> lingering_group_from(const std::string& entry) {
  const size_t dot = entry.find('.');
  const size_t colon = entry.rfind(':');
  if (dot == std::string::npos || colon == std::string::npos || colon < dot) return std::nullopt;
  Observation::LingeringGroup group{entry.substr(0, dot), entry.substr(dot + 1, colon - dot - 1), entry.substr(colon + 1)};
  const auto digit = [](unsigned char c) { return c >= '0' && c <= '9'; };
  const auto control = [](unsigned char c) { return c < 0x20 || c == 0x7f; };
  if (!is_allocation_id(group.allocation_id) || group.process_group.empty() ||
      !std::all_of(group.process_group.begin(), group.process_group.end(), digit) ||
      std::any_of(group.task.begin(), group.task.end(), control))
    return std::nullopt;
  return group;
}

// A host names the container CLI and the container of each of its tasks,
// and skiff's commands for that task use them: only docker or podman, and
// only the container skiff names after the allocation and task, so that a
// host cannot make skiff run another program or remove another container.
bool acts_only_on_itself(const ObservedAllocation& observed) {
  for (const auto& [name, task] : observed.tasks) {
    if (!task.cli.empty() && task.cli != "docker" && task.cli != "podman") return false;
    if (!task.container.empty() && task.container != container_name(observed.allocation, name)) return false;
  }
  return true;
}

// Why an alloc.json that reads well speaks for another than the folder
// and host it was read from, or "" when it does not. Its values are the
// host's: printable only, for they reach the terminal.
std::string speaks_for_another(const Allocation& allocation, const std::string& folder, const HostToObserve* from) {
  const size_t slash = folder.rfind('/');
  if (folder.compare(slash == std::string::npos ? 0 : slash + 1, std::string::npos, allocation.id) != 0)
    return "names allocation " + allocation.id + ", not its folder's";
  if (!from) return "";
  if (allocation.host != from->host) return "names host \"" + base::printable(allocation.host) + "\", not " + from->host;
  if (allocation.data_dir != from->data_dir)
    return "names data dir \"" + base::printable(allocation.data_dir) + "\", not " + from->data_dir;
  return "";
}

// REQUIRES: j is an object. Throws nlohmann's type_error where a value
// the awk program always writes as a string or an object is something else:
// parse_observation turns it into an error.
Observation read_observation(const nlohmann::json& j, const HostToObserve* from) {
  Observation observation;
  for (const auto& entry : j["allocs"]) {
    Result<Allocation> allocation =
        allocation_from_json(nlohmann::json::parse(entry.value("alloc", ""), nullptr, /*allow_exceptions=*/false));
    if (!allocation.ok()) {
      observation.unreadable.push_back(entry.value("dir", ""));
      continue;
    }
    const std::string folder = entry.value("dir", "");
    if (std::string why = speaks_for_another(*allocation, folder, from); !why.empty()) {
      observation.rejected.push_back({folder, std::move(why)});
      continue;
    }
    ObservedAllocation observed{*allocation, {}};
    if (entry.contains("tasks") && entry["tasks"].is_object())
      for (const auto& [name, task] : entry["tasks"].items()) observed.tasks[name] = task_from(task);
    if (!acts_only_on_itself(observed)) {
      observation.unreadable.push_back(entry.value("dir", ""));
      continue;
    }
    observation.allocations.push_back(std::move(observed));
  }
  // Cached facts count only from this boot: a rebooted host may have
  // changed (memory, drivers); the caller fingerprints it again.
  if (auto facts = parse_fingerprint(j.value("facts", ""));
      facts.ok() && !facts->boot_id.empty() && facts->boot_id == j.value("boot_id", "")) {
    observation.facts = std::move(*facts);
  }
  if (j.contains("orphans") && j["orphans"].is_array())
    for (const auto& name : j["orphans"])
      if (name.is_string()) observation.orphan_containers.push_back(name.get<std::string>());
  if (j.contains("lingering") && j["lingering"].is_array())
    for (const auto& entry : j["lingering"])
      if (entry.is_string())
        if (auto group = lingering_group_from(entry.get<std::string>())) observation.lingering_groups.push_back(*group);
  return observation;
}

}  // namespace

Result<Observation> parse_observation(const std::string& output, const HostToObserve* from) {
  nlohmann::json j = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  const auto format = j.is_object() ? j.find("format") : j.end();
  if (!j.is_object() || format == j.end() || *format != 1 || !j.contains("allocs") || !j["allocs"].is_array()) {
    return make_error(ErrorCode::kParse,
                      "observe: not skiff's observation JSON; the host printed: " +
                          nlohmann::json(output.substr(0, 200)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  try {
    return read_observation(j, from);
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::kParse,
                      std::string("observe: a value of the wrong type in the host's observation: ") + e.what());
  }
}

}  // namespace skiff::drivers
