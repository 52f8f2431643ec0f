// What skiff does to a task, whichever driver runs it: raw_exec tasks under
// skiff's supervisor (supervisor.hpp), docker tasks as containers of the
// host's docker or podman (container.hpp). Every function returns the
// remote command; a Transport runs it.
#pragma once

#include "drivers/host/observe.hpp"
#include "drivers/task/task_env.hpp"
#include "drivers/transport.hpp"
#include "base/result.hpp"

namespace skiff::drivers {

// Starts the task; prints "state=..." first. Fails for a driver skiff cannot
// run (yet), a config it cannot read, or a host without what it needs.
Result<Command> start_task_command(const TaskContext& context);

// The rest act on an observed task (the observation says which driver).
Command stop_task_command(const Allocation& allocation, const std::string& task, const ObservedTask& observed);
Command restart_task_command(const Allocation& allocation, const std::string& task, const ObservedTask& observed);
Command signal_task_command(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                            const std::string& signal);
// The last `lines` lines on stdout, and on stderr a cursor (a file size, or
// the host's time for a container) from which logs_since_command goes on.
Command logs_command(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                     const std::string& stream, int lines);
Command logs_since_command(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                           const std::string& stream, const std::string& cursor);

// Removes the allocation's containers and folder. REQUIRES: tasks stopped.
Command purge_command(const std::string& data_dir, const ObservedAllocation& observed);

}  // namespace skiff::drivers
