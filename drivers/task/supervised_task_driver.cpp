#include "drivers/task/supervised_task_driver.hpp"

#include "drivers/task/supervisor.hpp"

namespace skiff::drivers {

Result<Command> SupervisedTaskDriver::start(const TaskContext& context) const { return start_supervised_task_command(context); }

Command SupervisedTaskDriver::stop(const Allocation& a, const std::string& task, const ObservedTask&) const {
  return stop_supervised_task_command(a, task);
}

Command SupervisedTaskDriver::restart(const Allocation& a, const std::string& task, const ObservedTask&) const {
  return restart_supervised_task_command(a, task);
}

Command SupervisedTaskDriver::signal(const Allocation& a, const std::string& task, const ObservedTask&,
                                     const std::string& signal) const {
  return signal_supervised_task_command(a, task, signal);
}

Command SupervisedTaskDriver::logs(const Allocation& a, const std::string& task, const ObservedTask&, const std::string& stream,
                                   int lines) const {
  return task_logs_command(a, task, stream, lines);
}

Command SupervisedTaskDriver::logs_since(const Allocation& a, const std::string& task, const ObservedTask&,
                                         const std::string& stream, const std::string& cursor) const {
  return task_log_since_command(a, task, stream, cursor);
}

std::string SupervisedTaskDriver::purge_script(const ObservedTask&) const { return ""; }

}  // namespace skiff::drivers
