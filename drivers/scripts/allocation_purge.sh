# Removes an allocation's folder. rm -rf never follows a symbolic link
# below the folder (it removes the link); the folder itself must not be
# one: a task that can write its data dir's allocs/ could have put a link
# there, and what it points to is not the allocation's.
# Arguments: $1 the allocation's folder (DATA/allocs/ID).
# Prints nothing. Exits 1, naming the link on stderr, when the folder is a
# link; else with rm's status.
# Joined: after symlink_guard.sh (see supervisor.cpp).
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---
no_links remove "$1" "$1" || exit 1
rm -rf "$1"
