# The exec and java drivers' resource limits, the opening of a task's run
# script (.skiff/run): puts the run script's own shell into a memory and
# cpu cgroup of its own (cgroup v2 under /sys/fs/cgroup/skiff, or v1's
# memory and cpu controllers), so that the task it execs next inherits it.
# Joined: after the line exec_limits_prologue() writes, which sets $name (the
# cgroup's name), $mem (bytes), $shares (cpu shares) and $c (the control
# dir), and symlink_guard.sh; before the task's `cd ... && exec ...` line.
# Writes: $c/limits (e.g. "memory=300MB cpu_shares=100", or "none: <why>"),
# $c/oom (the memory cgroup's events file, for counting OOM kills, or an
# empty line) and $c/cgroups (the folders the supervisor removes at the end),
# each whole, never through a symbolic link in the task's folder.
# Prints nothing on stdout and never stops the script: a host without
# writable cgroups runs the task without limits, and $c/limits says why.
# shellcheck shell=sh
# shellcheck disable=SC1007 # "limits= why=" empties each variable on purpose
# shellcheck disable=SC2154 # $name, $mem, $shares and $c come from the line before
# --- skiff embeds the text below, byte for byte ---
limits= why= oom= dirs=
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
a=${c%/*/.skiff}
write_whole "$a" "$c/limits" "${limits:-none: $why}
"
write_whole "$a" "$c/oom" "$oom
"
write_whole "$a" "$c/cgroups" "$(printf '%s\n' $dirs)
"
