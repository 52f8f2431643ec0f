// What skiff does to a task, whichever driver runs it: Nomad's DriverPlugin
// (start, stop, signal, inspect, logs) as the remote commands that do it.
// A driver runs no I/O itself: every method returns a Command, and a
// Transport (or a Fleet) runs it.
//
// Two implementations: SupervisedTaskDriver (raw_exec, exec, java: a POSIX
// sh supervisor per task; supervised_task_driver.hpp) and
// ContainerTaskDriver (docker, podman: a container of the host's runtime;
// container_task_driver.hpp). A task's driver is chosen once, by
// driver_for from its job's `driver` when it starts, and afterwards by
// driver_of from its observation: a task is stopped by the driver that
// started it, whatever its job file says now.
//
// Drivers hold no state. The ones these functions return live as long as
// the program and may be used from any thread.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "drivers/host/observe.hpp"
#include "drivers/task/driver_kind.hpp"
#include "drivers/task/stop_timeout.hpp"
#include "drivers/task/task_env.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

class TaskDriver {
 public:
  virtual ~TaskDriver() = default;

  // Creates the allocation's folders and starts the task; the command
  // prints "state=..." first. Fails for a config the driver cannot read or
  // a host without what it needs (no container runtime, say).
  virtual Result<Command> start(const TaskContext& context) const = 0;

  // The rest act on a task as observation found it (`observed`), of
  // `allocation`, named `task` in its group.

  // Stops the task with its kill_signal, then kills it after kill_timeout;
  // prints the final status. The command's timeout is stop_timeout() of
  // kAssumedKillTimeout: a caller that knows the task's kill_timeout (from
  // its job) sets stop_timeout() of that instead.
  virtual Command stop(const Allocation& allocation, const std::string& task, const ObservedTask& observed) const = 0;
  // Restarts it in place, not counted against its restart policy.
  virtual Command restart(const Allocation& allocation, const std::string& task, const ObservedTask& observed) const = 0;
  // Sends `signal` (a name from signal_name: "HUP", "USR1") to its processes.
  virtual Command signal(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                         const std::string& signal) const = 0;
  // The last `lines` lines of its "stdout" or "stderr" on stdout, and on
  // stderr a cursor (a file size, or the host's time for a container) from
  // which logs_since goes on.
  virtual Command logs(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                       const std::string& stream, int lines) const = 0;
  // What was written after `cursor`, and on stderr the next cursor.
  virtual Command logs_since(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                             const std::string& stream, const std::string& cursor) const = 0;

  // Its part of removing a stopped allocation from the host: sh lines that
  // run before the allocation's folder goes, or "" when removing the folder
  // is all there is to it. Errors in them are ignored: purge is tidying up.
  virtual std::string purge_script(const ObservedTask& observed) const = 0;

  // What observation tells about a task of this driver: what
  // ObservedTask::supervisor_alive watches ("the supervisor", "the
  // container"), named in the reason of a task that is lost because it is gone.
  virtual std::string_view keeper() const = 0;
};

// The driver of each kind (docker and podman share one).
const TaskDriver& task_driver(DriverKind kind);

// The driver a job's task names. Fails, naming the task, for a driver skiff
// cannot run (yet).
Result<const TaskDriver*> driver_for(const spec::Task& task);

// The driver an observed task was started with: the container driver when
// observation found a container name, else the supervisor.
const TaskDriver& driver_of(const ObservedTask& observed);

// Removes the allocation's containers and folder: each task's driver's
// purge_script, then the folder under `data_dir` (the host's, from the
// inventory). REQUIRES: every task stopped.
Command purge_command(const std::string& data_dir, const ObservedAllocation& observed);

}  // namespace skiff::drivers
