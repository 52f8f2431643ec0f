// How long skiff waits for a task's stop command before it gives up on
// that host: bounded by the task's kill_timeout, never an hour.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "drivers/task/task_hook.hpp"

namespace skiff::drivers {

// The kill_timeout a stop assumes when the task's job is not at hand:
// Nomad's default max_kill_timeout, the most its clients allow a task.
inline constexpr std::chrono::milliseconds kAssumedKillTimeout{30'000};

// `kill_timeout`, the 5 s the stop scripts give the task beyond it, and a
// margin for a slow host; for a poststop hook task of `hooks` (which the
// stop lets run first: 5 minutes, then its kill_timeout again) that much
// more. A host whose stop takes longer fails that stop, and the next
// apply tries again.
std::chrono::milliseconds stop_timeout(std::chrono::milliseconds kill_timeout, const std::map<std::string, TaskHook>& hooks,
                                       const std::string& task);

}  // namespace skiff::drivers
