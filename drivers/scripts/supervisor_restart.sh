# Restarts a supervised task in place: marks the restart as requested (so
# the supervisor starts the task again at once, without counting it against
# the restart policy), sends the task's process group its kill_signal, and
# waits up to kill_timeout + 5 s for a new PID in .skiff/status.
# Prints the status then. Exits 0 (cat's status).
# The request is a file written whole, never through a symbolic link the
# task put in its folder (symlink_guard.sh): the restart fails, naming the
# link, instead.
# Joined: after symlink_guard.sh and running_task.sh, which sets $a, $c and
# $pid (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $a, $c and $pid come from running_task.sh, the rest from .skiff/policy
# --- skiff embeds the text below, byte for byte ---
. "$c/policy"
write_whole "$a" "$c/restart-requested" "" || exit 1
kill -s "$kill_signal" -- "-$pid" 2>/dev/null || kill -s "$kill_signal" "-$pid"
i=0
while [ "$(sed -n 's/^pid=//p' "$c/status")" = "$pid" ] && [ "$i" -lt $((kill_timeout * 10 + 50)) ]; do
  sleep 0.1; i=$((i + 1))
done
cat "$c/status"
