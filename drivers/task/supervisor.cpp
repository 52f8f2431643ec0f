#include "drivers/task/supervisor.hpp"

#include <cctype>
#include <cmath>

#include "drivers/task/exec_limits.hpp"
#include "drivers/shell_quote.hpp"
#include "drivers/task/task_config.hpp"

namespace skiff::drivers {

namespace {

// $1 alloc dir, $2 task, $3 alloc.json, $4 run, $5 policy, $6 supervisor.
// The start command is kStartVariables, kMakeAllocationFolders, kStartScript.
constexpr const char* kStartVariables = R"SH(set -e
a=$1 t=$2 c="$1/$2/.skiff"
)SH";
constexpr const char* kStartScript = R"SH(if supervisor_alive "$c"; then
  cat "$c/status"; exit 0
fi
printf '%s' "$4" > "$c/run"
printf '%s' "$5" > "$c/policy"
printf '%s' "$6" > "$c/supervise.sh"
if [ -e "$c/status" ] || [ -e "$c/supervisor.pid" ]; then rm -f "$c/status" "$c/supervisor.pid"; fi
cd "$a/$t"
# The supervisor prints its first status to fd 3, a pipe to the reader
# here, once the task runs, then closes it: no polling. An end without a
# line is a supervisor that died first.
{ setsid sh "$c/supervise.sh" "$a" "$t" 3>&1 </dev/null >>"$c/supervisor.log" 2>&1 & } | {
  started=
  while IFS= read -r line; do printf '%s\n' "$line"; started=1; done
  [ -n "$started" ] || { echo "the supervisor ended before starting the task (see $c/supervisor.log)" >&2; exit 1; }
}
)SH";

// $1 control dir.
constexpr const char* kStopScript = R"SH(c=$1
if supervisor_alive "$c"; then
  . "$c/policy"
  kill -TERM "${_pid_line%% *}"
  i=0
  while supervisor_alive "$c" && [ "$i" -lt $(((kill_timeout + 5) * 10)) ]; do sleep 0.1; i=$((i + 1)); done
fi
cat "$c/status" 2>/dev/null || echo "state=dead"
)SH";

// Shared opening of the restart and signal scripts ($1: control dir): the
// supervisor must run, and $pid becomes the task's PID (its process group).
constexpr const char* kRunningTaskPrologue = R"SH(c=$1
supervisor_alive "$c" || { echo "the task's supervisor is not running" >&2; exit 1; }
pid=$(sed -n 's/^pid=//p' "$c/status")
case $pid in ''|*[!0-9]*) echo "the task has no running process" >&2; exit 1 ;; esac
)SH";

// Then: the restart request, the kill signal, and a wait for the new PID.
constexpr const char* kRestartScript = R"SH(. "$c/policy"
touch "$c/restart-requested"
kill -s "$kill_signal" -- "-$pid" 2>/dev/null || kill -s "$kill_signal" "-$pid"
i=0
while [ "$(sed -n 's/^pid=//p' "$c/status")" = "$pid" ] && [ "$i" -lt $((kill_timeout * 10 + 50)) ]; do
  sleep 0.1; i=$((i + 1))
done
cat "$c/status"
)SH";

// $2: the signal's name.
constexpr const char* kSignalScript = R"SH(kill -s "$2" -- "-$pid" 2>/dev/null || kill -s "$2" "-$pid"
)SH";



// The sh functions start_time and supervisor_alive.
std::string alive_functions() { return std::string(kProcStartTimeFunction) + kSupervisorAliveFunction; }

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
  return out;
}

}  // namespace

std::optional<std::string> signal_name(const std::string& kill_signal) {
  if (kill_signal.empty()) return std::string("TERM");
  std::string s;
  for (char ch : kill_signal) s += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (s.rfind("SIG", 0) == 0) s = s.substr(3);
  if (s.empty()) return std::nullopt;
  for (char ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) return std::nullopt;
  return s;
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
    return make_error(ErrorCode::kUnsupported, "task \"" + c.task.name +
                                                   "\": the supervisor runs raw_exec, exec and java tasks, not \"" + driver + "\"");
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
    return make_error(ErrorCode::kInvalidArgument, "task \"" + c.task.name + "\": kill_signal \"" + c.task.kill_signal +
                                                       "\" is not a signal name");
  }
  const Allocation& a = c.allocation;
  return Command{{"sh", "-c", alive_functions() + kStartVariables + kMakeAllocationFolders + kStartScript, "skiff-start", a.dir(),
                  c.task.name, allocation_to_json(a).dump(), *run, policy_file(c, *kill_signal),
                  std::string(kProcStartTimeFunction) + kLogWatchFunctions + kSupervisorScript},
                 std::nullopt,
                 std::chrono::milliseconds{30000}};
}

Command stop_supervised_task_command(const Allocation& a, const std::string& task) {
  return Command{{"sh", "-c", alive_functions() + kStopScript, "skiff-stop", a.control_dir(task)},
                 std::nullopt,
                 std::chrono::hours{1}};
}

Command task_logs_command(const Allocation& a, const std::string& task, const std::string& stream, int lines) {
  // The size is read first and the last lines are taken from the bytes up
  // to it: a line written meanwhile comes with the first -f call, not lost
  // between what tail printed and a size read after it.
  constexpr const char* kScript = R"SH(size=$(wc -c < "$1") || exit 1
head -c "$size" "$1" | tail -n "$2"
echo "$size" >&2
)SH";
  return Command{{"sh", "-c", kScript, "skiff-logs", a.log_path(task, stream), std::to_string(lines)},
                 std::nullopt,
                 std::chrono::milliseconds{30000}};
}

Command task_log_since_command(const Allocation& a, const std::string& task, const std::string& stream, const std::string& cursor) {
  // The size is read first and exactly the bytes up to it are printed, so a
  // line written meanwhile comes with the next call, once. A log smaller
  // than the cursor was rotated or truncated: it is printed from its start.
  constexpr const char* kScript = R"SH(f=$1 from=$2
case $from in ''|*[!0-9]*) from=0 ;; esac
size=$(wc -c < "$f") || exit 1
[ "$size" -ge "$from" ] || from=0
tail -c +$((from + 1)) "$f" | head -c $((size - from))
echo "$size" >&2
)SH";
  return Command{{"sh", "-c", kScript, "skiff-logs", a.log_path(task, stream), cursor},
                 std::nullopt,
                 std::chrono::milliseconds{30000}};
}

Command purge_allocation_command(const std::string& data_dir, const std::string& id) {
  // Only ids skiff makes reach a path; anything else removes nothing.
  if (!is_allocation_id(id)) return Command{{"false"}, std::nullopt, std::chrono::milliseconds{0}};
  return Command{{"rm", "-rf", data_dir + "/allocs/" + id}, std::nullopt, std::chrono::milliseconds{60000}};
}

Command restart_supervised_task_command(const Allocation& a, const std::string& task) {
  return Command{{"sh", "-c", alive_functions() + kRunningTaskPrologue + kRestartScript, "skiff-restart", a.control_dir(task)},
                 std::nullopt,
                 std::chrono::milliseconds{60000}};
}

Command signal_supervised_task_command(const Allocation& a, const std::string& task, const std::string& signal) {
  return Command{{"sh", "-c", alive_functions() + kRunningTaskPrologue + kSignalScript, "skiff-signal", a.control_dir(task), signal},
                 std::nullopt,
                 std::chrono::milliseconds{30000}};
}

}  // namespace skiff::drivers
