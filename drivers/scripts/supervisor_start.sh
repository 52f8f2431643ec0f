# Starts a supervised task: writes .skiff/run, .skiff/policy and
# .skiff/supervise.sh from stdin, $4 and $5 (whole, never through a symbolic
# link: symlink_guard.sh), then starts supervise.sh with
# setsid and waits for its first status on a pipe (fd 3). A task whose
# supervisor still runs is left alone; one whose supervisor is gone has what
# is left of it killed first (task_leftovers.sh), so that two copies never
# run.
# Prints the task's status (state=..., restarts=..., ...; see supervise.sh).
# Exits 0 once the task runs (or already ran); 1, with a message on stderr,
# when the supervisor ended before starting it; else the status of the
# first failing step (set -e).
# Joined: last, after start_time.sh, supervisor_alive.sh, symlink_guard.sh,
# task_leftovers.sh, supervisor_start_variables.sh and allocation_folders.sh
# (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $a, $t and $c come from supervisor_start_variables.sh
# shellcheck disable=SC2164 # `set -e`, from supervisor_start_variables.sh, ends the script when cd fails
# --- skiff embeds the text below, byte for byte ---
if supervisor_alive "$c"; then
  cat "$c/status"; exit 0
fi
# run holds the command line and its environment: the owner's alone
# (write_whole's files are 0600). $(...) drops its last newline: put back.
run_text=$(cat)
write_whole "$a" "$c/run" "$run_text
"
write_whole "$a" "$c/policy" "$4"
write_whole "$a" "$c/supervise.sh" "$5"
if [ -e "$c/status" ] || [ -e "$c/supervisor.pid" ]; then
  kill_leftovers "$c"
  rm -f "$c/status" "$c/supervisor.pid"
fi
no_links write "$a" "$c/supervisor.log"
cd "$a/$t"
# The supervisor prints its first status to fd 3, a pipe to the reader
# here, once the task runs, then closes it: no polling. An end without a
# line is a supervisor that died first.
{ setsid sh "$c/supervise.sh" "$a" "$t" 3>&1 </dev/null >>"$c/supervisor.log" 2>&1 & } | {
  started=
  while IFS= read -r line; do printf '%s\n' "$line"; started=1; done
  [ -n "$started" ] || { echo "the supervisor ended before starting the task (see $c/supervisor.log)" >&2; exit 1; }
}
