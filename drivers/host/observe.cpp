#include "drivers/host/observe.hpp"


#include <cstring>

#include <nlohmann/json.hpp>

#include "base/digest.hpp"
#include "drivers/host/fingerprint.hpp"
#include "drivers/task/task_driver.hpp"


namespace skiff::drivers {

namespace {

// One awk reads every alloc.json, every task's status and supervisor.pid,
// and the supervisors' /proc/PID/stat: a host with many allocations costs
// one process per observation, not a few per file. Every value is printed
// as a JSON string (escaped; control characters dropped): alloc.json too,
// so that a damaged one makes its entry unreadable rather than the whole
// output. Its arguments are the data dir's alloc.json and status files.
constexpr const char* kObserveAwk = R"AWK(# "\\\\&" is POSIX for "a backslash, then the match"; mawk and busybox awk agree.
function esc(s) {
  if (s !~ /[\\"[:cntrl:]]/) return s  # the common case: nothing to do
  if (s ~ /[[:cntrl:]]/) gsub(/[[:cntrl:]]/, "", s)
  gsub(/\\/, "\\\\&", s)
  gsub(/"/, "\\\\&", s)
  return s
}
function first_line(path,   line, ok) {
  ok = (getline line < path) > 0
  close(path)
  return ok ? line : ""
}
# The supervisor recorded "PID STARTTIME"; it lives if /proc says the same.
function alive(ctl,   rec, f, st, g) {
  rec = first_line(ctl "/supervisor.pid")
  if (split(rec, f, " ") < 2) return "false"
  st = first_line("/proc/" f[1] "/stat")
  if (st == "") return "false"
  sub(/.*\) /, "", st)
  split(st, g, " ")
  return g[20] == f[2] ? "true" : "false"
}
# A container task: its state from the runtime; "alive" means it exists.
function container_state(fields,   c) {
  if (!(fields["container"] in container)) return "false"
  split(container[fields["container"]], c, "|")
  if (c[1] == "running" || c[1] == "restarting") fields["state"] = c[1]
  else if (c[2] != 0 && c[3] + 0 < fields["attempts"] + 0 && fields["reason"] != "stopped") {
    fields["state"] = "restarting"  # exited; the runtime restarts it in a moment
    fields["reason"] = "exited with status " c[2] "; the runtime restarts it"
  } else {
    fields["state"] = "dead"
    if (fields["reason"] != "stopped") fields["reason"] = "exited with status " c[2]
  }
  fields["exit_code"] = c[2]; fields["restarts"] = c[3]
  return "true"
}
function task_json(path,   ctl, task, n, parts, line, k, v, fields, live) {
  ctl = path; sub(/\/status$/, "", ctl)
  n = split(ctl, parts, "/"); task = parts[n - 1]
  split("", fields)
  while ((getline line < path) > 0) {
    k = line; sub(/=.*/, "", k); v = line; sub(/^[^=]*=/, "", v); fields[k] = v
  }
  close(path)
  if (fields["container"] != "") claimed[fields["container"]] = 1
  live = fields["container"] != "" ? container_state(fields) : alive(ctl)
  return "\"" esc(task) "\":{\"state\":\"" esc(fields["state"]) "\",\"restarts\":\"" esc(fields["restarts"]) \
    "\",\"exit_code\":\"" esc(fields["exit_code"]) "\",\"reason\":\"" esc(fields["reason"]) \
    "\",\"since\":\"" esc(fields["since"]) "\",\"driver\":\"" esc(fields["driver"]) \
    "\",\"container\":\"" esc(fields["container"]) "\",\"cli\":\"" esc(fields["cli"]) \
    "\",\"limits\":\"" esc(first_line(ctl "/limits")) \
    "\",\"supervisor_alive\":" live "}"
}
BEGIN {
  while ((getline line < "/dev/stdin") > 0) {  # name| or name|status|exit code|restarts
    name = line; sub(/\|.*/, "", name); sub(/^\//, "", name)  # docker says "/name"
    rest = line; sub(/^[^|]*\|/, "", rest)
    if (rest == "") labelled[name] = 1
    else container[name] = rest
  }
  count = 0
  for (i = 1; i < ARGC; i++) {
    p = ARGV[i]
    if (index(p, "/allocs/*/")) continue  # a pattern that matched nothing
    if (p ~ /\/alloc\.json$/) {
      line = first_line(p)
      dir = p; sub(/\/alloc\.json$/, "", dir)
      order[++count] = dir; json[dir] = line; tasks[dir] = ""
    } else if (p ~ /\/\.skiff\/status$/) {
      dir = p; sub(/\/[^\/]*\/\.skiff\/status$/, "", dir)
      if (!(dir in tasks)) continue
      tasks[dir] = tasks[dir] (tasks[dir] == "" ? "" : ",") task_json(p)
    }
  }
  printf "{\"format\":1,\"allocs\":["
  for (i = 1; i <= count; i++) {
    dir = order[i]
    printf "%s{\"dir\":\"%s\",\"alloc\":\"%s\",\"tasks\":{%s}}", (i > 1 ? "," : ""), esc(dir), esc(json[dir]), tasks[dir]
  }
  # The facts the last fingerprint kept, and this boot: stale after a reboot.
  printf "],\"facts\":\"%s\",\"boot_id\":\"%s\"", esc(first_line(ENVIRON["SKIFF_DATA_DIR"] "/facts.json")), \
    esc(first_line("/proc/sys/kernel/random/boot_id"))
  printf ",\"orphans\":["
  n = 0
  for (name in labelled) if (!(name in claimed)) printf "%s\"%s\"", (n++ ? "," : ""), esc(name)
  printf "]}\n"
})AWK";

// $1: the data dir; then `-e PROGRAM` (the awk program itself) or the path
// of the installed program (exit 127 when it is not there).
constexpr const char* kObserveScript = R"SH(d=$1
if [ "$2" = -e ]; then set -- "$3"; else
  [ -r "$2" ] || { echo "skiff: $2 is missing" >&2; exit 127; }
  set -- -f "$2"
fi
SKIFF_DATA_DIR=$d
export SKIFF_DATA_DIR
# Once skiff has run a container here, d/containers names the CLI: every
# skiff-labelled container is listed ("name|" lines), so that one without
# a folder is reported, and inspected ("name|status|exit code|restarts").
# Without containers, no pipeline: awk is the only process.
[ -f "$d/containers" ] || exec awk "$@" "$d"/allocs/*/alloc.json "$d"/allocs/*/*/.skiff/status </dev/null
cli=$(cat "$d/containers")
{
  names=$("$cli" ps -a --filter label=skiff.alloc --format '{{.Names}}' 2>/dev/null)
  for n in $names; do echo "$n|"; done
  [ -n "$names" ] && "$cli" inspect --format '{{.Name}}|{{.State.Status}}|{{.State.ExitCode}}|{{.RestartCount}}' $names 2>/dev/null
} | exec awk "$@" "$d"/allocs/*/alloc.json "$d"/allocs/*/*/.skiff/status
)SH";

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
  t.reason = j.value("reason", "");
  t.since_unix = number(j, "since");
  t.supervisor_alive = j.value("supervisor_alive", false);
  t.driver = j.value("driver", "");
  if (t.driver.empty()) t.driver = "raw_exec";
  t.container = j.value("container", "");
  t.cli = j.value("cli", "");
  t.limits = j.value("limits", "");
  if (is_active(t.state) && !t.supervisor_alive) {
    t.reason = std::string(driver_of(t).keeper()) + " is gone (was " + to_string(t.state) +
               (t.reason.empty() ? "" : ": " + t.reason) + ")";
    t.state = TaskState::kLost;
  }
  return t;
}

}  // namespace

namespace {

std::string installed_script_path(const std::string& data_dir) {
  return data_dir + "/bin/observe-" + base::sha256_hex_prefix(kObserveAwk, 16) + ".awk";
}

Result<Observation> observation_from(const Result<CommandResult>& run) {
  if (!run.ok()) return run.error();
  if (!run->success()) {
    return make_error(ErrorCode::kUnavailable,
                      "observe exited with status " + std::to_string(run->exit_status) + ": " + run->stderr_data);
  }
  return parse_observation(run->stdout_data);
}

}  // namespace

Command observe_installed_command(const std::string& data_dir) {
  return Command{{"sh", "-c", kObserveScript, "skiff-observe", data_dir, installed_script_path(data_dir)},
                 std::nullopt,
                 std::chrono::milliseconds{30000},
                 ScriptShell::kSubshell};
}

bool is_observe_script_missing(const CommandResult& result, const std::string& data_dir) {
  return result.exit_status == 127 && result.stderr_data.find(installed_script_path(data_dir)) != std::string::npos;
}

Command observe_install_command(const std::string& data_dir) {
  const std::string install = "mkdir -p \"${2%/*}\" && printf '%s' \"$3\" > \"$2.tmp\" && mv -f \"$2.tmp\" \"$2\" || exit 1\n";
  return Command{{"sh", "-c", install + kObserveScript, "skiff-observe-install", data_dir, installed_script_path(data_dir), kObserveAwk},
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
  for (const auto& run : runs) out.emplace_back(observation_from(run));
  return out;
}

Command observe_command(const std::string& data_dir) {
  return Command{{"sh", "-c", kObserveScript, "skiff-observe", data_dir, "-e", kObserveAwk}, std::nullopt,
                 std::chrono::milliseconds{30000}};
}

Result<Observation> parse_observation(const std::string& output) {
  nlohmann::json j = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("format", 0) != 1 || !j.contains("allocs") || !j["allocs"].is_array()) {
    return make_error(ErrorCode::kParse, "observe: not skiff's observation JSON; the host printed: " +
                                             nlohmann::json(output.substr(0, 200)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  Observation observation;
  for (const auto& entry : j["allocs"]) {
    nlohmann::json alloc_json = nlohmann::json::parse(entry.value("alloc", ""), nullptr, /*allow_exceptions=*/false);
    std::optional<Allocation> allocation = allocation_from_json(alloc_json);
    if (!allocation) {
      observation.unreadable.push_back(entry.value("dir", ""));
      continue;
    }
    ObservedAllocation observed{*allocation, {}};
    if (entry.contains("tasks") && entry["tasks"].is_object())
      for (const auto& [name, task] : entry["tasks"].items()) observed.tasks[name] = task_from(task);
    observation.allocations.push_back(std::move(observed));
  }
  // Cached facts count only from this boot: a rebooted host may have
  // changed (memory, drivers); the caller fingerprints it again.
  if (auto facts = parse_fingerprint(j.value("facts", "")); facts.ok() && !facts->boot_id.empty() &&
                                                             facts->boot_id == j.value("boot_id", "")) {
    observation.facts = std::move(*facts);
  }
  if (j.contains("orphans") && j["orphans"].is_array())
    for (const auto& name : j["orphans"])
      if (name.is_string()) observation.orphan_containers.push_back(name.get<std::string>());
  return observation;
}

}  // namespace skiff::drivers
