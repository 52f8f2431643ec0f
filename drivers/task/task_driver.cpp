#include "drivers/task/task_driver.hpp"

#include "drivers/task/container.hpp"
#include "drivers/shell_quote.hpp"
#include "drivers/task/supervisor.hpp"

namespace skiff::drivers {

namespace {

bool is_container(const ObservedTask& observed) { return !observed.container.empty(); }

// Container commands name the CLI the task was started with.
std::string cli_of(const ObservedTask& observed) { return observed.cli.empty() ? "docker" : observed.cli; }

}  // namespace

Result<Command> start_task_command(const TaskContext& context) {
  const std::string& driver = context.task.driver;
  if (driver == "raw_exec" || driver == "exec" || driver == "java") return start_supervised_task_command(context);
  if (driver == "docker" || driver == "podman") {
    Result<std::string> cli = container_cli(context.facts);
    if (!cli.ok()) return cli.error().wrap("task \"" + context.task.name + "\" on " + context.host.name);
    return start_container_command(context, *cli);
  }
  return make_error(ErrorCode::kUnsupported, "task \"" + context.task.name + "\": driver \"" + driver +
                                                 "\" cannot be run yet (raw_exec, exec, java and docker can)");
}

Command stop_task_command(const Allocation& a, const std::string& task, const ObservedTask& observed) {
  return is_container(observed) ? stop_container_command(a, task, cli_of(observed)) : stop_supervised_task_command(a, task);
}

Command restart_task_command(const Allocation& a, const std::string& task, const ObservedTask& observed) {
  return is_container(observed) ? restart_container_command(cli_of(observed), observed.container)
                                : restart_supervised_task_command(a, task);
}

Command signal_task_command(const Allocation& a, const std::string& task, const ObservedTask& observed,
                            const std::string& signal) {
  return is_container(observed) ? signal_container_command(cli_of(observed), observed.container, signal)
                                : signal_supervised_task_command(a, task, signal);
}

Command logs_command(const Allocation& a, const std::string& task, const ObservedTask& observed, const std::string& stream,
                     int lines) {
  return is_container(observed) ? container_logs_command(cli_of(observed), observed.container, stream, lines)
                                : task_logs_command(a, task, stream, lines);
}

Command logs_since_command(const Allocation& a, const std::string& task, const ObservedTask& observed,
                           const std::string& stream, const std::string& cursor) {
  return is_container(observed) ? container_logs_command(cli_of(observed), observed.container, stream, 0, cursor)
                                : task_log_since_command(a, task, stream, cursor);
}

Command purge_command(const std::string& data_dir, const ObservedAllocation& observed) {
  std::string script;
  std::vector<std::string> argv = {"sh", "-c", "", "skiff-purge"};
  for (const auto& [task, t] : observed.tasks) {
    if (!is_container(t)) continue;
    script += shell_join({cli_of(t), "rm", "-f", t.container}) + " >/dev/null 2>&1\n";
  }
  script += shell_join(purge_allocation_command(data_dir, observed.allocation.id).argv) + "\n";
  argv[2] = script;
  return Command{argv, std::nullopt, std::chrono::seconds(120)};
}

}  // namespace skiff::drivers
