#include "drivers/task/container_task_driver.hpp"

#include "drivers/shell_quote.hpp"
#include "drivers/task/container.hpp"

namespace skiff::drivers {

namespace {

// The CLI the task was started with; docker for a status file older than
// the `cli` line.
std::string cli_of(const ObservedTask& observed) { return observed.cli.empty() ? "docker" : observed.cli; }

}  // namespace

Result<Command> ContainerTaskDriver::start(const TaskContext& context) const {
  Result<std::string> cli = container_cli(context.facts, context.task.driver);
  if (!cli.ok()) return cli.error().wrap("task \"" + context.task.name + "\" on " + context.host.name);
  return start_container_command(context, *cli);
}

Command ContainerTaskDriver::stop(const Allocation& a, const std::string& task, const ObservedTask& observed) const {
  return stop_container_command(a, task, cli_of(observed));
}

Command ContainerTaskDriver::restart(const Allocation&, const std::string&, const ObservedTask& observed) const {
  return restart_container_command(cli_of(observed), observed.container);
}

Command ContainerTaskDriver::signal(const Allocation&, const std::string&, const ObservedTask& observed,
                                    const std::string& signal) const {
  return signal_container_command(cli_of(observed), observed.container, signal);
}

Command ContainerTaskDriver::logs(const Allocation&, const std::string&, const ObservedTask& observed, const std::string& stream,
                                  int lines) const {
  return container_logs_command(cli_of(observed), observed.container, stream, lines);
}

Command ContainerTaskDriver::logs_since(const Allocation&, const std::string&, const ObservedTask& observed,
                                        const std::string& stream, const std::string& cursor) const {
  return container_logs_command(cli_of(observed), observed.container, stream, 0, cursor);
}

std::string ContainerTaskDriver::purge_script(const ObservedTask& observed) const {
  return shell_join({cli_of(observed), "rm", "-f", observed.container}) + " >/dev/null 2>&1\n";
}

}  // namespace skiff::drivers
