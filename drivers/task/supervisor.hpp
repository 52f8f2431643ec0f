// Supervised tasks (raw_exec): the remote commands that start, stop and
// read a task, the programs of drivers/scripts/ given their arguments as
// quoted pieces. Drivers run no I/O themselves; a Transport runs these
// commands.
//
// On the host each task is run by a small POSIX sh supervisor
// (drivers/scripts/supervise.sh; works with dash and busybox sh) written to
// D/allocs/<id>/<task>/.skiff/supervise.sh and started with setsid, so it
// outlives the SSH session. It applies the group's restart policy
// (attempts per interval, delay, mode delay|fail), appends the task's
// output to alloc/logs/<task>.stdout.0 / .stderr.0, and keeps
// .skiff/status: state (running | restarting | dead), restarts, the last
// exit code, the reason, since (unix time), the task's PID (the ID of its
// process group: the task runs under setsid). Stopping sends kill_signal to
// the task's whole process group, then SIGKILL after kill_timeout. A task
// whose supervisor is gone (SIGKILLed, OOM-killed, a zombie) is found again
// from the folder alone, by its allocation's ID and its name in the
// processes' environments and by its group (task_leftovers.sh), and killed
// the same way before anything replaces it.
#pragma once

#include <string>

#include "base/result.hpp"
#include "drivers/task/task_env.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

// Creates the allocation's folders and files and starts the task's
// supervisor; prints the first status. Fails for a driver other than
// raw_exec, or a config without `command`.
Result<Command> start_supervised_task_command(const TaskContext& context);

// Stops the task (SIGTERM to its supervisor) and waits up to its
// kill_timeout + 5 s for it to end; prints the final status. When the
// supervisor is gone, kills what is left of the task instead.
Command stop_supervised_task_command(const Allocation& allocation, const std::string& task);

// The last `lines` lines of the task's "stdout" or "stderr" on stdout, and
// the file's size in bytes on stderr (where a follow continues).
Command task_logs_command(const Allocation& allocation, const std::string& task, const std::string& stream, int lines);

// The log's bytes from `cursor` (a size task_logs_command or this printed)
// on (stdout), and its size (stderr), the next cursor.
Command task_log_since_command(const Allocation& allocation, const std::string& task, const std::string& stream,
                               const std::string& cursor);

// Restarts the task in place: its process group gets the kill_signal and
// the supervisor starts it again at once, without counting it against the
// restart policy. Prints the status once the new process runs.
Command restart_supervised_task_command(const Allocation& allocation, const std::string& task);

// Removes the allocation's folder under `data_dir` (the host's, from the
// inventory, not the one alloc.json names). REQUIRES: every task stopped.
Command purge_allocation_command(const std::string& data_dir, const std::string& allocation_id);

// Sends `signal` (a name from signal_name) to the task's process group.
Command signal_supervised_task_command(const Allocation& allocation, const std::string& task, const std::string& signal);

// The command line .skiff/run holds: cd to the task dir, then exec env
// NAME=VALUE... COMMAND ARGS..., every piece quoted. Exposed for tests.
Result<std::string> task_run_script(const TaskContext& context);

// "SIGTERM" / "term" / "" -> "TERM"; nullopt for anything but a signal name.
std::optional<std::string> signal_name(const std::string& kill_signal);

}  // namespace skiff::drivers
