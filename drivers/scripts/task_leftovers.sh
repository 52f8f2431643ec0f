# A sh function, `kill_leftovers CONTROL_DIR`: kills what is left of a task
# whose supervisor no longer runs (SIGKILLed, OOM-killed, a zombie, or ended
# while processes of the task lived on). Such processes run unsupervised
# beside any copy that replaces them, so they are found again from the
# allocation folder alone: every process whose environment holds
# NOMAD_ALLOC_ID and NOMAD_TASK_NAME of this task (the run script sets both;
# the allocation's ID and the task's name come from CONTROL_DIR,
# DATA/allocs/ID/TASK/.skiff), and the task's process group (pid= in
# .skiff/status: supervise.sh starts the task with setsid, so its first
# PID is the group's ID) while one of them is in it. A group ID alone is
# never trusted: once the task's group has ended, its number may name
# another program's group. The dead supervisor's own helpers (forks of
# CONTROL_DIR/supervise.sh, by their command line) are killed too.
# Sends them .skiff/policy's kill_signal, then SIGKILL to what is left after
# kill_timeout, then waits up to 2 s for them to go. What survives even that
# (a process stuck in the kernel) is recorded in DATA/lingering/ID.TASK
# (its group ID; written whole, never through a symbolic link:
# symlink_guard.sh), which observation reports as drift while the group
# lives; a record whose group has ended is removed by the next call.
# Leaves in $left the PIDs still there at the end ("" when none).
# Prints nothing; always returns 0, and may run under `set -e`.
# Joined: after symlink_guard.sh, whose write_whole it calls.
# shellcheck shell=sh
# shellcheck disable=SC1007 # "left= _files=" empties both on purpose
# shellcheck disable=SC1090 # .skiff/policy is written by the start command
# shellcheck disable=SC2086 # $_files, $_helpers and $left are lists of words on purpose
# shellcheck disable=SC2154 # $kill_signal and $kill_timeout come from .skiff/policy
# --- skiff embeds the text below, byte for byte ---
# $left: PIDs of processes carrying allocation $1's ID and task $2's name.
# grep reads every environment in one process; one that ended meanwhile, or
# that is not this user's to read, is skipped (-s).
task_processes() {
  left= _files=
  _files=$(grep -l -s -z -x -F "NOMAD_ALLOC_ID=$1" /proc/[0-9]*/environ) || :
  [ -z "$_files" ] || _files=$(grep -l -s -z -x -F "NOMAD_TASK_NAME=$2" $_files) || :
  for _f in $_files; do _f=${_f#/proc/}; left="$left ${_f%/environ}"; done
}
# Sends $1 to each of $left, and to group $_pgid when one of them is in it.
# dash's kill needs "--" before a group, busybox's refuses it.
signal_leftovers() {
  _in_group=
  for _p in $left; do
    _stat=
    read -r _stat 2>/dev/null < "/proc/$_p/stat" || :
    # After the command name: state, parent, process group.
    set -- "$1" ${_stat##*") "}
    [ -n "$_pgid" ] && [ "${4:-}" = "$_pgid" ] && _in_group=1
    kill -s "$1" "$_p" 2>/dev/null || :
  done
  [ -z "$_in_group" ] || kill -s "$1" -- "-$_pgid" 2>/dev/null || kill -s "$1" "-$_pgid" 2>/dev/null || :
  return 0
}
kill_leftovers() {
  _ctl=$1
  _task=${_ctl%/.skiff}; _alloc=${_task%/*}; _task=${_task##*/}
  _data=${_alloc%/allocs/*}; _alloc=${_alloc##*/}
  kill_signal=TERM kill_timeout=5
  [ -r "$_ctl/policy" ] && . "$_ctl/policy"
  _pgid=
  if [ -r "$_ctl/status" ]; then
    while IFS= read -r _line; do
      case $_line in pid=*) _pgid=${_line#pid=} ;; esac
    done < "$_ctl/status"
  fi
  case $_pgid in '' | *[!0-9]*) _pgid= ;; esac
  # Records of earlier leftovers whose group has ended since.
  for _r in "$_data"/lingering/*; do
    [ -f "$_r" ] || continue
    read -r _g < "$_r" || _g=
    { kill -0 -- "-$_g" || kill -0 "-$_g"; } 2>/dev/null || rm -f "$_r" || :
  done
  # The dead supervisor's helpers (its log watcher, a SIGKILL timer) are
  # forks of it, named by their command line: they go first.
  _helpers=$(grep -l -s -z -x -F "$_ctl/supervise.sh" /proc/[0-9]*/cmdline) || :
  for _f in $_helpers; do _f=${_f#/proc/}; kill -s KILL "${_f%/cmdline}" 2>/dev/null || :; done
  task_processes "$_alloc" "$_task"
  [ -n "$left" ] || return 0
  signal_leftovers "$kill_signal"
  # By the clock, not by a count of naps: each look costs a grep, which a
  # loaded host makes slow.
  _end=$(($(date +%s) + kill_timeout))
  while [ -n "$left" ] && [ "$(date +%s)" -lt "$_end" ]; do
    sleep 0.1
    task_processes "$_alloc" "$_task"
  done
  [ -z "$left" ] || signal_leftovers KILL
  _end=$(($(date +%s) + 2))
  while [ -n "$left" ] && [ "$(date +%s)" -lt "$_end" ]; do
    sleep 0.1
    task_processes "$_alloc" "$_task"
  done
  if [ -n "$left" ] && [ -n "$_pgid" ]; then
    { mkdir -p "$_data/lingering" &&
      write_whole "$_data/lingering" "$_data/lingering/$_alloc.$_task" "$_pgid
" 0644; } 2>/dev/null || :
  fi
  return 0
}
