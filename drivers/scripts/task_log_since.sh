# A task's log from a cursor on. The size is read first and exactly the
# bytes up to it are printed, so a line written meanwhile comes with the
# next call, once. A log smaller than the cursor was rotated or truncated:
# it is printed from its start, as is a cursor that is not a number.
# Arguments: $1 the log file, $2 the cursor (a size this or task_logs.sh
# printed).
# Prints the bytes on stdout and the size read (the next cursor) on stderr.
# Exits 1 when the log cannot be read, or is (or lies below) a symbolic
# link the task put in its allocation's folder.
# Joined: after symlink_guard.sh (see supervisor.cpp).
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---
f=$1 from=$2
no_links read "${f%/alloc/logs/*}" "$f" || exit 1
case $from in ''|*[!0-9]*) from=0 ;; esac
size=$(wc -c < "$f") || exit 1
[ "$size" -ge "$from" ] || from=0
tail -c +$((from + 1)) "$f" | head -c $((size - from))
echo "$size" >&2
