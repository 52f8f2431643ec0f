# The shared opening of the restart and signal commands: the task's
# supervisor must run, and $pid becomes the task's PID (the ID of its
# process group), read from .skiff/status.
# Arguments: $1 the task's control dir (also kept in $c; $a is its
# allocation's folder).
# Exits 1, with a message on stderr, when the supervisor does not run or
# the task has no process; else prints nothing and goes on.
# Joined: after start_time.sh and supervisor_alive.sh, before
# supervisor_restart.sh or supervisor_signal.sh (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2034 # $a is read by supervisor_restart.sh, joined after it
# --- skiff embeds the text below, byte for byte ---
c=$1 a=${1%/*/.skiff}
supervisor_alive "$c" || { echo "the task's supervisor is not running" >&2; exit 1; }
pid=$(sed -n 's/^pid=//p' "$c/status")
case $pid in ''|*[!0-9]*) echo "the task has no running process" >&2; exit 1 ;; esac
