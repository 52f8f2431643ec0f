# The last lines of a task's log. The size is read first and the last
# lines are taken from the bytes up to it: a line written meanwhile comes
# with the first follow-up call (task_log_since.sh), not lost between what
# tail printed and a size read after it.
# Arguments: $1 the log file, $2 how many lines.
# Prints the lines on stdout and the size read (the next cursor) on stderr.
# Exits 1 when the log cannot be read, or is (or lies below) a symbolic
# link the task put in its allocation's folder: what it points to is not
# the task's to show.
# Joined: after symlink_guard.sh (see supervisor.cpp).
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---
no_links read "${1%/alloc/logs/*}" "$1" || exit 1
size=$(wc -c < "$1") || exit 1
head -c "$size" "$1" | tail -n "$2"
echo "$size" >&2
