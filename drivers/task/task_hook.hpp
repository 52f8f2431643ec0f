// A task's place in its allocation's lifecycle (Nomad's `lifecycle` block):
// a main task, or a hook that runs before (prestart), beside (poststart) or
// after (poststop) the main tasks, ephemeral or a sidecar that keeps
// running. alloc.json records each hook task's, so that observation, health,
// stopping and `alloc status` know it without the job file.
//
// On the host, each task's supervisor waits for its siblings before its
// first start (drivers/scripts/supervise.sh, from .skiff/policy):
//   main tasks    after every ephemeral prestart task completed (exit 0) and
//                 every prestart sidecar runs; a prestart task that failed
//                 for good ends them unstarted
//   poststart     after every main task runs
//   poststop      after every main task ended (stopped or completed)
// An ephemeral hook task that exits 0 is complete, in a service job too.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "parser/spec/task.hpp"

namespace skiff::drivers {

struct TaskHook {
  std::string hook;  // "prestart" | "poststart" | "poststop"
  bool sidecar = false;
};

// The hook tasks of a group, by task name; main tasks are not in it.
std::map<std::string, TaskHook> task_hooks(const std::vector<spec::Task>& tasks);

// "prestart", "prestart sidecar", ...; "main" for a task without a hook.
std::string describe_hook(const std::map<std::string, TaskHook>& hooks, const std::string& task);

// An ephemeral hook: it runs to an end, and exit 0 completes it.
bool is_ephemeral_hook(const std::map<std::string, TaskHook>& hooks, const std::string& task);

// Whether the allocation's health waits for the task to run: main tasks and
// sidecars do; ephemeral hooks only count when they fail.
bool runs_for_health(const std::map<std::string, TaskHook>& hooks, const std::string& task);

// The order in which an allocation's tasks are stopped, one after the
// other: main tasks and ephemeral hooks (0), then sidecars (1), then
// poststop tasks (2), which run once the rest has stopped.
int stop_rank(const std::map<std::string, TaskHook>& hooks, const std::string& task);

// What a task's supervisor waits for before its first start (see above):
// sibling tasks that must have completed, must run, or must have ended.
struct StartGate {
  std::vector<std::string> completed;
  std::vector<std::string> running;
  std::vector<std::string> ended;
};
StartGate start_gate(const std::vector<spec::Task>& tasks, const std::string& task);

// Whom a task's end for good stops (supervise.sh's finish): a leader, every
// sibling but the poststop tasks, which then run (leader_ends, empty for
// other tasks); a main task, the sidecars, once it and every other main
// task (other_mains) have ended (both empty for hook tasks).
struct SiblingStops {
  std::vector<std::string> leader_ends;
  std::vector<std::string> other_mains;
  std::vector<std::string> sidecars;
};
SiblingStops sibling_stops(const std::vector<spec::Task>& tasks, const std::string& task);

}  // namespace skiff::drivers
