// The exec driver's isolation, as a shell prologue of the task's run script:
// before the task's command is exec'd, the process joins cgroups of its own
// with the task's `resources` as limits, where the host's cgroup tree is
// writable (v2, or v1 with its controllers under /sys/fs/cgroup/<name> as on
// hybrid hosts), and records what it really enforced in .skiff/limits
// ("memory=300MB cpu_shares=100", or "none: <why>") and the files whose
// oom_kill counter the supervisor reads in .skiff/oom. Nothing is pretended:
// a limit the host cannot enforce is not listed.
#pragma once

#include <string>

#include "drivers/task/task_env.hpp"

namespace skiff::drivers {

// The prologue for `context`'s task (cgroup name skiff/<alloc id>-<task>).
std::string exec_limits_prologue(const TaskContext& context);

// The words before a command that run it as `user` with the user's primary
// group and supplementary groups (setpriv), for the exec driver's `user`;
// empty for no user. Shell text: the group is looked up on the host.
std::string drop_privileges_prefix(const std::string& user);

}  // namespace skiff::drivers
