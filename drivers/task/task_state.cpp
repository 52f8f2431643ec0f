#include "drivers/task/task_state.hpp"

namespace skiff::drivers {

TaskState parse_task_state(std::string_view word) {
  if (word == "running") return TaskState::kRunning;
  if (word == "restarting") return TaskState::kRestarting;
  if (word == "pending") return TaskState::kPending;
  if (word == "dead") return TaskState::kDead;
  if (word == "lost") return TaskState::kLost;
  return TaskState::kUnknown;
}

std::string to_string(TaskState state) {
  switch (state) {
    case TaskState::kRunning: return "running";
    case TaskState::kRestarting: return "restarting";
    case TaskState::kPending: return "pending";
    case TaskState::kDead: return "dead";
    case TaskState::kLost: return "lost";
    case TaskState::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace skiff::drivers
