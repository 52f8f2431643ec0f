#include "drivers/task/exec_limits.hpp"

#include "drivers/shell_quote.hpp"

namespace skiff::drivers {

namespace {

// $name, $mem (bytes), $shares and $c (control dir) are set before this.
constexpr const char* kLimitsScript = R"SH(limits= why= oom= dirs=
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  g=/sys/fs/cgroup/skiff
  if mkdir -p "$g" 2>/dev/null && echo "+memory +cpu" > "$g/cgroup.subtree_control" 2>/dev/null && mkdir -p "$g/$name" &&
     echo "$mem" > "$g/$name/memory.max" && echo $$ > "$g/$name/cgroup.procs"; then
    limits="memory=$((mem / 1048576))MB"; oom="$g/$name/memory.events"; dirs="$g/$name"
    echo "$((shares * 100 / 1024 + 1))" > "$g/$name/cpu.weight" 2>/dev/null && limits="$limits cpu_weight=$((shares * 100 / 1024 + 1))"
  else why="cgroup v2 tree not writable"; fi
elif [ -d /sys/fs/cgroup/memory ]; then
  g=/sys/fs/cgroup/memory/skiff/$name
  if mkdir -p "$g" 2>/dev/null && echo "$mem" > "$g/memory.limit_in_bytes" && echo $$ > "$g/cgroup.procs"; then
    limits="memory=$((mem / 1048576))MB"; oom="$g/memory.oom_control"; dirs="$g"
  else why="/sys/fs/cgroup/memory not writable"; fi
  g=/sys/fs/cgroup/cpu/skiff/$name
  if mkdir -p "$g" 2>/dev/null && echo "$shares" > "$g/cpu.shares" && echo $$ > "$g/cgroup.procs"; then
    limits="$limits cpu_shares=$shares"; dirs="$dirs $g"
  fi
else why="no cgroup tree at /sys/fs/cgroup"; fi
printf '%s\n' "${limits:-none: $why}" > "$c/limits"
printf '%s\n' "$oom" > "$c/oom"
printf '%s\n' $dirs > "$c/cgroups"
)SH";

}  // namespace

std::string exec_limits_prologue(const TaskContext& c) {
  const spec::Resources& r = c.task.resources;
  const int64_t memory_mb = r.memory_max_mb > 0 ? r.memory_max_mb : r.memory_mb;
  const std::string name = c.allocation.id + "-" + clean_env_name(c.task.name);
  return "name=" + shell_quote(name) + " mem=" + std::to_string(memory_mb * 1048576) +
         " shares=" + std::to_string(std::max(2, r.cpu)) + " c=" + shell_quote(c.allocation.control_dir(c.task.name)) + "\n" +
         kLimitsScript;
}

std::string drop_privileges_prefix(const std::string& user) {
  if (user.empty()) return "";
  const std::string quoted = shell_quote(user);
  return "setpriv --reuid=" + quoted + " --regid=\"$(id -g " + quoted + ")\" --init-groups -- ";
}

}  // namespace skiff::drivers
