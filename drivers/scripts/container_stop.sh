# Stops a container task (the runtime sends its stop signal, then SIGKILL
# after its stop timeout) and writes .skiff/status with its exit code and
# restart count, as the runtime reports them.
# Arguments: $1 the task's control dir, $2 the CLI, $3 the container's name.
# Prints "state=dead". Exits 0.
# shellcheck shell=sh
# shellcheck disable=SC2046 # inspect's two numbers are split into $4 and $5 on purpose
# --- skiff embeds the text below, byte for byte ---
c=$1
"$2" stop "$3" >/dev/null 2>&1
set -- "$@" $("$2" inspect --format '{{.State.ExitCode}} {{.RestartCount}}' "$3" 2>/dev/null)
printf 'state=dead\nrestarts=%s\nexit_code=%s\nreason=stopped\nsince=%s\ndriver=docker\ncli=%s\ncontainer=%s\n' \
  "${5:-0}" "${4:-}" "$(date +%s)" "$2" "$3" > "$c/status.tmp"
mv -f "$c/status.tmp" "$c/status"
echo state=dead
