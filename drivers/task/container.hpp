// The docker driver: tasks as containers of the host's `docker` CLI, or of
// `podman` when that is what the host has (same commands, no daemon).
//
// Each container is named skiff-<alloc id>-<task> and labelled with the
// allocation's metadata (skiff.alloc, skiff.job, skiff.group, skiff.task,
// skiff.index, skiff.job_version). The task's folders are created as for
// raw_exec and mounted at /alloc, /local and /secrets, as Nomad does.
// Restarts are the runtime's: `--restart on-failure:<attempts>` from the
// group's restart policy, read back through `inspect` (RestartCount, exit
// code), so they stay observable; interval and delay are not honoured by
// the runtime and mode "delay" behaves as "fail". Stopping is `stop` with
// the task's kill_signal and kill_timeout. Logs are the runtime's: `logging`
// sets its log driver; without it the log is capped by the task's `logs`.
#pragma once

#include <map>
#include <string>

#include "base/result.hpp"
#include "drivers/task/task_env.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

// docker if the host's docker works, else podman if that works (for a task
// of the podman driver, podman first); an error when the host has neither,
// naming what was found.
Result<std::string> container_cli(const HostFacts& facts, const std::string& driver = "docker");

std::string container_name(const Allocation& allocation, const std::string& task);

// The task's environment inside the container: task_environment with the
// task's folders at Nomad's paths (/alloc, /local, /secrets).
std::map<std::string, std::string> container_environment(const TaskContext& context);

// Whether docker's and podman's --env-file can carry `value` on one
// `NAME=value` line as it is: valid UTF-8 without a newline, a carriage
// return or a NUL.
bool fits_env_file(const std::string& value);

// The container's --env-file text: a `NAME=value` line for each variable
// that fits_env_file. It reaches the host on the start command's stdin and
// is kept in .skiff/env (0600), so values never show in the host's process
// list; the others go as `--env NAME=value` arguments.
std::string container_env_file(const std::map<std::string, std::string>& env);

// `CLI run -d ...` arguments after "run" for `cli` (docker or podman):
// flags, image, command and args, with runtime references filled in at any
// depth of the config, and `--env` for the variables container_env_file
// cannot carry. Exposed for tests. Fails without config.image.
Result<std::vector<std::string>> container_run_args(const TaskContext& context, const std::string& cli);

// Creates the allocation's folders and alloc.json, removes a container left
// with the same name, runs the new one detached (its environment from
// .skiff/env, written from stdin) and records it in .skiff/status and
// .skiff/container.
Result<Command> start_container_command(const TaskContext& context, const std::string& cli);

Command stop_container_command(const Allocation& allocation, const std::string& task, const std::string& cli);
Command restart_container_command(const std::string& cli, const std::string& name);
Command signal_container_command(const std::string& cli, const std::string& name, const std::string& signal);
// The last `lines` lines of the container's stdout or stderr, or with
// `since` (a cursor this printed before) the lines after it; the next
// cursor, the host's time, goes to stderr.
Command container_logs_command(const std::string& cli, const std::string& name, const std::string& stream, int lines,
                               const std::string& since = "");
Command remove_container_command(const std::string& cli, const std::string& name);

}  // namespace skiff::drivers
