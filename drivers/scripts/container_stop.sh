# Stops a container task (the runtime sends its stop signal, then SIGKILL
# after its stop timeout) and writes .skiff/status with its exit code and
# restart count, as the runtime reports them (whole, never through a
# symbolic link the task put in its folder: symlink_guard.sh).
# Arguments: $1 the task's control dir, $2 the CLI, $3 the container's name.
# Prints "state=dead". Exits 0, or 1 when the status cannot be written.
# Joined: after symlink_guard.sh (see container.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2046 # inspect's two numbers are split into $4 and $5 on purpose
# --- skiff embeds the text below, byte for byte ---
c=$1
"$2" stop "$3" >/dev/null 2>&1
set -- "$@" $("$2" inspect --format '{{.State.ExitCode}} {{.RestartCount}}' "$3" 2>/dev/null)
write_whole "${c%/*/.skiff}" "$c/status" "state=dead
restarts=${5:-0}
exit_code=${4:-}
reason=stopped
since=$(date +%s)
driver=docker
cli=$2
container=$3
" || exit 1
echo state=dead
