# A container's logs. The host's clock bounds this read (--until) and
# starts the next one (--since), so following prints each line once.
# Arguments: $1 the CLI, $2 the container's name, $3 the stream (stdout or
# stderr), $4 how many lines (without a since), $5 since (empty: the last
# $4 lines).
# Prints the stream's lines on stdout and the time to continue from on
# stderr. Exits with the runtime's status.
# shellcheck shell=sh
# shellcheck disable=SC2069 # "2>&1 >/dev/null" keeps the container's stderr and drops its stdout, on purpose
# --- skiff embeds the text below, byte for byte ---
cli=$1 name=$2 stream=$3 lines=$4 since=$5
now=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
case $now in *N*) now=$(date -u +%Y-%m-%dT%H:%M:%SZ) ;; esac
set -- "$cli" logs --until "$now"
if [ -n "$since" ]; then set -- "$@" --since "$since"; else set -- "$@" --tail "$lines"; fi
if [ "$stream" = stderr ]; then "$@" "$name" 2>&1 >/dev/null; else "$@" "$name" 2>/dev/null; fi
status=$?
echo "$now" >&2
exit $status
