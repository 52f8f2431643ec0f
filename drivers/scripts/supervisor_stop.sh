# Stops a supervised task: SIGTERM to its supervisor (which sends the
# task's kill_signal to its process group, then SIGKILL after kill_timeout),
# then waits up to kill_timeout + 5 s for the supervisor to end.
# Arguments: $1 the task's control dir.
# Prints the final status, or "state=dead" when there is none. Exits 0.
# Joined: after start_time.sh and supervisor_alive.sh (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $_pid_line comes from supervisor_alive, $kill_timeout from .skiff/policy
# --- skiff embeds the text below, byte for byte ---
c=$1
if supervisor_alive "$c"; then
  . "$c/policy"
  kill -TERM "${_pid_line%% *}"
  i=0
  while supervisor_alive "$c" && [ "$i" -lt $(((kill_timeout + 5) * 10)) ]; do sleep 0.1; i=$((i + 1)); done
fi
cat "$c/status" 2>/dev/null || echo "state=dead"
