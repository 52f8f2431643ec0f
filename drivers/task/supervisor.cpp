#include "drivers/task/supervisor.hpp"

#include <cctype>
#include <cmath>

#include "base/signals.hpp"
#include "drivers/scripts/scripts.hpp"
#include "drivers/shell_quote.hpp"
#include "drivers/task/exec_limits.hpp"
#include "drivers/task/stop_timeout.hpp"
#include "drivers/task/task_config.hpp"
#include "drivers/task/task_hook.hpp"

namespace skiff::drivers {

namespace {

// The programs these commands run, each joined from fragments of
// drivers/scripts/ in the order they run (each fragment's header says what
// it needs before it).
std::string start_program() {
  return scripts::join({scripts::kStartTimeSh, scripts::kSupervisorAliveSh, scripts::kSymlinkGuardSh, scripts::kTaskLeftoversSh,
                        scripts::kSupervisorStartVariablesSh, scripts::kAllocationFoldersSh, scripts::kSupervisorStartSh});
}

// What the start program writes to .skiff/supervise.sh.
std::string supervise_program() {
  return scripts::join({scripts::kStartTimeSh, scripts::kSymlinkGuardSh, scripts::kLogWatchSh, scripts::kSuperviseSh});
}

std::string stop_program() {
  return scripts::join({scripts::kStartTimeSh, scripts::kSupervisorAliveSh, scripts::kSymlinkGuardSh, scripts::kTaskLeftoversSh,
                        scripts::kSupervisorStopSh});
}

std::string restart_program() {
  return scripts::join({scripts::kStartTimeSh, scripts::kSupervisorAliveSh, scripts::kSymlinkGuardSh, scripts::kRunningTaskSh,
                        scripts::kSupervisorRestartSh});
}

std::string signal_program() {
  return scripts::join(
      {scripts::kStartTimeSh, scripts::kSupervisorAliveSh, scripts::kRunningTaskSh, scripts::kSupervisorSignalSh});
}

std::string policy_file(const TaskContext& c, const std::string& kill_signal) {
  const spec::RestartPolicy& r = c.task.restart ? *c.task.restart : c.group.restart;
  std::string out;
  auto line = [&](const std::string& k, const std::string& v) { out += k + "=" + shell_quote(v) + "\n"; };
  line("attempts", std::to_string(r.attempts));
  line("interval", std::to_string(whole_seconds(r.interval, 1)));
  line("delay", std::to_string(whole_seconds(r.delay)));
  line("mode", r.mode == spec::RestartMode::kDelay ? "delay" : "fail");
  line("kill_signal", kill_signal);
  line("kill_timeout", std::to_string(whole_seconds(c.task.kill_timeout)));
  line("job_type", c.allocation.job_type);
  line("max_files", std::to_string(std::max(1, c.task.logs.max_files)));
  line("max_file_mb", std::to_string(std::max(1, c.task.logs.max_file_size_mb)));
  line("logs_disabled", c.task.logs.disabled ? "true" : "false");
  // Its place in the allocation's lifecycle (task_hook.hpp): what it waits
  // for before its first start (task names, one per line), and whether
  // exit 0 completes it.
  const std::map<std::string, TaskHook> hooks = task_hooks(c.group.tasks);
  auto it = hooks.find(c.task.name);
  line("hook", it == hooks.end() ? "" : it->second.hook);
  line("ephemeral", is_ephemeral_hook(hooks, c.task.name) ? "true" : "false");
  const StartGate gate = start_gate(c.group.tasks, c.task.name);
  auto words = [](const std::vector<std::string>& names) {
    std::string joined;
    for (const std::string& n : names) joined += (joined.empty() ? "" : "\n") + n;
    return joined;
  };
  line("after_completed", words(gate.completed));
  line("after_running", words(gate.running));
  line("after_ended", words(gate.ended));
  const SiblingStops stops = sibling_stops(c.group.tasks, c.task.name);
  line("leader", c.task.leader ? "true" : "false");
  line("leader_ends", words(stops.leader_ends));
  line("other_mains", words(stops.other_mains));
  line("sidecars", words(stops.sidecars));
  return out;
}

}  // namespace

std::optional<std::string> signal_name(const std::string& kill_signal) {
  if (kill_signal.empty()) return std::string("TERM");
  return base::signal_name(kill_signal);
}

namespace {

// The command and arguments of a raw_exec / exec task (config.command and
// config.args) or a java task (java, jvm_options, then -jar jar_path or
// -cp class_path class, then args), with runtime references filled in.
Result<std::vector<std::string>> task_command(const TaskContext& c, const std::map<std::string, std::string>& env) {
  const parser::Value config = interpolate_config(c.task.config, env, c);
  std::vector<std::string> argv;
  if (c.task.driver == "java") {
    argv.push_back("java");
    for (const std::string& option : config_strings(config, "jvm_options")) argv.push_back(option);
    std::optional<std::string> jar = config_string(config, "jar_path");
    std::optional<std::string> main_class = config_string(config, "class");
    if (jar && !jar->empty()) {
      argv.insert(argv.end(), {"-jar", *jar});
    } else if (main_class && !main_class->empty()) {
      if (auto class_path = config_string(config, "class_path")) argv.insert(argv.end(), {"-cp", *class_path});
      argv.push_back(*main_class);
    } else {
      return make_error(ErrorCode::kInvalidArgument, "task \"" + c.task.name + "\": java config needs jar_path or class");
    }
  } else {
    std::optional<std::string> command = config_string(config, "command");
    if (!command || command->empty()) {
      return make_error(ErrorCode::kInvalidArgument, "task \"" + c.task.name + "\": config needs a command");
    }
    argv.push_back(*command);
  }
  for (const std::string& arg : config_strings(config, "args")) argv.push_back(arg);
  return argv;
}

}  // namespace

Result<std::string> task_run_script(const TaskContext& c) {
  const std::string& driver = c.task.driver;
  if (driver != "raw_exec" && driver != "exec" && driver != "java") {
    return make_error(ErrorCode::kUnsupported,
                      "task \"" + c.task.name + "\": the supervisor runs raw_exec, exec and java tasks, not \"" + driver + "\"");
  }
  // exec and java tasks get limits and their user; raw_exec runs as given.
  const bool isolated = driver != "raw_exec";
  std::map<std::string, std::string> env = task_environment(c);
  Result<std::vector<std::string>> command = task_command(c, env);
  if (!command.ok()) return command.error();
  std::vector<std::string> argv = {"env"};
  for (const auto& [k, v] : env) argv.push_back(k + "=" + v);
  argv.insert(argv.end(), command->begin(), command->end());
  return (isolated ? exec_limits_prologue(c) : std::string()) + "cd " + shell_quote(c.allocation.task_dir(c.task.name)) +
      " && exec " + (isolated ? drop_privileges_prefix(c.task.user) : std::string()) + shell_join(argv) + "\n";
}

Result<Command> start_supervised_task_command(const TaskContext& c) {
  Result<std::string> run = task_run_script(c);
  if (!run.ok()) return run.error();
  std::optional<std::string> kill_signal = signal_name(c.task.kill_signal);
  if (!kill_signal) {
    return make_error(ErrorCode::kInvalidArgument,
                      "task \"" + c.task.name + "\": kill_signal \"" + c.task.kill_signal + "\" is not a signal name");
  }
  const Allocation& a = c.allocation;
  // The run script, which holds the environment, goes on stdin.
  return Command{{"sh", "-c", start_program(), "skiff-start", a.dir(), c.task.name, allocation_to_json(a).dump(),
                  policy_file(c, *kill_signal), supervise_program(), payload_file(c), payload_format(c)},
                 *run,
                 std::chrono::milliseconds{30000}};
}

Command stop_supervised_task_command(const Allocation& a, const std::string& task) {
  return Command{{"sh", "-c", stop_program(), "skiff-stop", a.control_dir(task)},
                 std::nullopt,
                 stop_timeout(kAssumedKillTimeout, a.task_hooks, task)};
}

Command task_logs_command(const Allocation& a, const std::string& task, const std::string& stream, int lines) {
  return Command{{"sh", "-c", scripts::join({scripts::kSymlinkGuardSh, scripts::kTaskLogsSh}), "skiff-logs",
                  a.log_path(task, stream), std::to_string(lines)},
                 std::nullopt,
                 std::chrono::milliseconds{30000}};
}

Command task_log_since_command(const Allocation& a, const std::string& task, const std::string& stream,
                               const std::string& cursor) {
  return Command{{"sh", "-c", scripts::join({scripts::kSymlinkGuardSh, scripts::kTaskLogSinceSh}), "skiff-logs",
                  a.log_path(task, stream), cursor},
                 std::nullopt,
                 std::chrono::milliseconds{30000}};
}

Command purge_allocation_command(const std::string& data_dir, const std::string& id) {
  // Only ids skiff makes reach a path; anything else removes nothing.
  if (!is_allocation_id(id)) return Command{{"false"}, std::nullopt, std::chrono::milliseconds{10000}};
  return Command{{"sh", "-c", scripts::join({scripts::kSymlinkGuardSh, scripts::kAllocationPurgeSh}), "skiff-purge",
                  data_dir + "/allocs/" + id},
                 std::nullopt,
                 std::chrono::milliseconds{60000}};
}

Command restart_supervised_task_command(const Allocation& a, const std::string& task) {
  return Command{
      {"sh", "-c", restart_program(), "skiff-restart", a.control_dir(task)}, std::nullopt, std::chrono::milliseconds{60000}};
}

Command signal_supervised_task_command(const Allocation& a, const std::string& task, const std::string& signal) {
  return Command{{"sh", "-c", signal_program(), "skiff-signal", a.control_dir(task), signal},
                 std::nullopt,
                 std::chrono::milliseconds{30000}};
}

}  // namespace skiff::drivers
