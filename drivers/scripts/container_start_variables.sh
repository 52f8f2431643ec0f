# The opening of a container task's start command: `set -e`, and the
# names the rest of it uses: $a (the alloc dir), $t (the task), $cli
# (docker or podman), $name (the container's), $attempts (the restart
# policy's: observation tells "exited, restarting" from "dead") and $c (the
# task's control dir).
# Arguments of the whole start command: $1 alloc dir, $2 task, $3
# alloc.json, $4 cli, $5 container name, $6 attempts, $7 and $8 the
# payload's file and printf format (allocation_folders.sh), then `run`
# arguments.
# Joined: first, before allocation_folders.sh and container_start.sh (see
# container.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2034 # the variables are read by the fragments after it
# --- skiff embeds the text below, byte for byte ---
set -e
a=$1 t=$2 cli=$4 name=$5 attempts=$6 c="$1/$2/.skiff" pf=$7 pp=$8
