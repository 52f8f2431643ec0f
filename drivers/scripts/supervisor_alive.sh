# A sh function, `supervisor_alive CONTROL_DIR`: true (0) when the process
# CONTROL_DIR/supervisor.pid names ("PID STARTTIME") still runs, 1 when it
# does not or the file is missing; leaves the file's line in $_pid_line.
# A PID alone could name another process after a reboot or a wrap.
# Defines the function and prints nothing.
# Joined: after start_time.sh, whose function it calls (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $start_time is set by start_time.sh's function
# --- skiff embeds the text below, byte for byte ---
supervisor_alive() {
  _pid_line=
  read -r _pid_line 2>/dev/null < "$1/supervisor.pid" || return 1
  set -- $_pid_line
  [ -n "${1:-}" ] && [ -n "${2:-}" ] || return 1
  start_time "$1"
  [ "$start_time" = "$2" ]
}
