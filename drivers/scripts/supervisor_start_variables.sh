# The opening of a supervised task's start command: `set -e`, and the
# names the rest of it uses: $a (the alloc dir, $1), $t (the task, $2) and
# $c (its control dir).
# Arguments of the whole start command: $1 alloc dir, $2 task, $3 alloc.json,
# $4 the policy file, $5 supervise.sh's text, $6 and $7 the payload's file
# and printf format (allocation_folders.sh). Its stdin: the run script,
# which holds the task's environment (never an argument: the host's
# process list shows arguments to every user).
# Joined: after start_time.sh and supervisor_alive.sh, before
# allocation_folders.sh and supervisor_start.sh (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2034 # the variables are read by the fragments after it
# --- skiff embeds the text below, byte for byte ---
set -e
a=$1 t=$2 c="$1/$2/.skiff" pf=$6 pp=$7
