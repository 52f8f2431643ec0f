# Starts a container task: removes a container of the same name, runs the
# new one detached with the arguments after $8, records the CLI and name
# in .skiff/container and the data dir's `containers` file (which tells
# observation to ask that CLI), and writes .skiff/status.
# Prints "state=running". Exits 0, or the status of the first failing step
# (set -e), e.g. the runtime's when `run` fails.
# Joined: last, after container_start_variables.sh and
# allocation_folders.sh (see container.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $a, $c, $cli, $name and $attempts come from container_start_variables.sh
# --- skiff embeds the text below, byte for byte ---
shift 8
"$cli" rm -f "$name" >/dev/null 2>&1 || true
"$cli" run -d --name "$name" "$@" >/dev/null
printf '%s %s\n' "$cli" "$name" > "$c/container"
printf '%s\n' "$cli" > "$a/../../containers"
printf 'state=running\nrestarts=0\nexit_code=\nreason=\nsince=%s\ndriver=docker\ncli=%s\ncontainer=%s\nattempts=%s\n' \
  "$(date +%s)" "$cli" "$name" "$attempts" > "$c/status.tmp"
mv -f "$c/status.tmp" "$c/status"
echo state=running
