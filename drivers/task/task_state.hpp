// A task's state as observation reports it: the words the supervisor and
// the container runtime write into .skiff/status, plus the two observation
// itself concludes (lost, unknown). One parser and one printer, so that the
// word a host wrote and the word skiff prints are the same.
#pragma once

#include <string>
#include <string_view>

namespace skiff::drivers {

enum class TaskState {
  kUnknown,     // no status file, or a word skiff does not know
  kRunning,     // the task's process (or container) runs
  kRestarting,  // it exited and its supervisor (or runtime) starts it again
  kPending,     // its supervisor waits for sibling tasks before the first start (task_hook.hpp)
  kDead,        // it ended for good: completed, stopped, or out of restarts
  kLost,        // it said running or restarting, but its supervisor (or container) is gone
};

// "running", "restarting", "pending", "dead", "lost"; anything else, the empty word
// included, is kUnknown, never an error: a damaged status file must not stop
// an observation.
TaskState parse_task_state(std::string_view word);

// The word parse_task_state reads back ("unknown" for kUnknown).
std::string to_string(TaskState state);

// Running or restarting: the task is meant to be up.
inline bool is_active(TaskState state) { return state == TaskState::kRunning || state == TaskState::kRestarting; }

// Active or pending: a supervisor (or runtime) is meant to look after it.
inline bool is_supervised(TaskState state) { return is_active(state) || state == TaskState::kPending; }

}  // namespace skiff::drivers
