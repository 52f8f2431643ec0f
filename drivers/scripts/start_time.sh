# A sh function, `start_time PID`: sets $start_time to the process's start
# time, field 22 of /proc/PID/stat, or to "" when it does not run: no such
# process, or a zombie (state Z, or X while it goes), which has ended and
# only waits for its parent to reap it. Where PID 1 reaps no orphans (a
# container without an init), a SIGKILLed supervisor stays a zombie for
# good, and `kill -0` still succeeds on it. The fields are counted after
# the last ") ": the command name in parentheses may hold spaces. Builtins
# only (read, parameter expansion, case): it runs often.
# Defines the function and prints nothing; the function always returns 0.
# Joined: first, before supervisor_alive.sh or log_watch.sh (see
# supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC1007 # "start_time= _stat=" empties both on purpose
# shellcheck disable=SC2034 # $start_time is this function's result, read by its callers
# --- skiff embeds the text below, byte for byte ---
start_time() {
  start_time= _stat=
  read -r _stat 2>/dev/null < "/proc/$1/stat" || return 0
  set -- ${_stat##*") "}
  case $1 in Z | X) return 0 ;; esac
  [ "$#" -ge 20 ] || return 0
  shift 19
  start_time=$1
}
