# Stops a supervised task: SIGTERM to its supervisor (which sends the
# task's kill_signal to its process group, then SIGKILL after kill_timeout),
# then waits up to kill_timeout + 5 s for the supervisor to end (a poststop
# task, which that SIGTERM lets run, 5 minutes more, then a second one). When the
# supervisor does not run (lost: SIGKILLed, OOM-killed, a zombie), what is
# left of the task is found and killed instead (task_leftovers.sh), so that
# no process of it outlives its allocation folder; the status of a task lost
# while running then says dead (reason "stopped"), written whole and never
# through a symbolic link the task put in its folder (symlink_guard.sh).
# Arguments: $1 the task's control dir.
# Prints the final status, or "state=dead" when there is none (or it is a
# link). Exits 0, or 1 (naming the link on stderr) when the status of a
# lost task cannot be written.
# Joined: after start_time.sh, supervisor_alive.sh, symlink_guard.sh and
# task_leftovers.sh (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $_pid_line comes from supervisor_alive, $kill_timeout from .skiff/policy
# --- skiff embeds the text below, byte for byte ---
c=$1 a=${1%/*/.skiff}
# Waits up to $1 seconds for the supervisor to end.
await_end() {
  i=0
  while supervisor_alive "$c" && [ "$i" -lt $(($1 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
}
if supervisor_alive "$c"; then
  . "$c/policy"
  kill -TERM "${_pid_line%% *}"
  if [ "${hook:-}" = poststop ]; then
    # The task runs now (that SIGTERM only let it start): it has 5 minutes
    # to end, then a second SIGTERM stops it as any task.
    await_end $((kill_timeout + 305))
    supervisor_alive "$c" && kill -TERM "${_pid_line%% *}"
  fi
  await_end $((kill_timeout + 5))
else
  kill_leftovers "$c"
  # A task lost while running or restarting: nothing supervises it any
  # more, and nothing of it runs. Its status says so, as the supervisor's
  # own would after a stop.
  if grep -q -x -e state=running -e state=restarting -e state=pending "$c/status" 2>/dev/null; then
    _text=$(sed -e 's/^state=.*/state=dead/' -e 's/^reason=.*/reason=stopped/' "$c/status") &&
      { write_whole "$a" "$c/status" "$_text
" || exit 1; }
  fi
fi
if no_links read "$a" "$c/status" 2>/dev/null && cat "$c/status" 2>/dev/null; then :; else echo "state=dead"; fi
