# Starts a container task: keeps stdin (the container's --env-file text)
# in .skiff/env (0600), removes a container of the same name, runs the new
# one detached with that env file and the arguments after $8, records the CLI and name
# in .skiff/container and the data dir's `containers` file (which tells
# observation to ask that CLI), and writes .skiff/status: each file whole,
# never through a symbolic link the task put in its folder
# (symlink_guard.sh).
# Prints "state=running". Exits 0, or the status of the first failing step
# (set -e), e.g. the runtime's when `run` fails.
# Joined: last, after symlink_guard.sh, container_start_variables.sh and
# allocation_folders.sh (see container.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $a, $c, $cli, $name and $attempts come from container_start_variables.sh
# --- skiff embeds the text below, byte for byte ---
shift 8
# The environment comes on stdin, never in an argument: the host's process
# list shows arguments to every user. $(...) drops trailing newlines: the
# last line's is put back.
env_text=$(cat)
write_whole "$a" "$c/env" "${env_text:+$env_text
}"
"$cli" rm -f "$name" >/dev/null 2>&1 || true
"$cli" run -d --name "$name" --env-file "$c/env" "$@" >/dev/null
write_whole "$a" "$c/container" "$cli $name
"
write_whole "${a%/*/*}/containers" "${a%/*/*}/containers" "$cli
" 0644
write_whole "$a" "$c/status" "state=running
restarts=0
exit_code=
reason=
since=$(date +%s)
driver=docker
cli=$cli
container=$name
attempts=$attempts
"
echo state=running
