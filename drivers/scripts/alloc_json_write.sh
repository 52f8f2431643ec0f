# Writes alloc.json files back whole: those of the allocations a state
# adopts, now carrying its lineage (reconciler/ownership.hpp), or one an
# apply updates in place. Each goes to a new file renamed over the old one,
# so that observation never reads half of one, and none is written through
# a symbolic link a task put in its allocation's folder (symlink_guard.sh).
# A folder that is gone (its allocation was removed in the meantime) is
# skipped when the first argument is `skip-gone`: there is nothing left to
# adopt; with `require`, it is an error.
# Arguments: `skip-gone` or `require`, then pairs of an allocation's folder
# and its alloc.json's text (one line of JSON).
# Prints nothing. Exits 1, naming the file (or the link refused) on stderr,
# when one cannot be written; else 0.
# Joined: after symlink_guard.sh (see alloc_json_write.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $refused comes from symlink_guard.sh
# --- skiff embeds the text below, byte for byte ---
gone=$1
shift
while [ $# -ge 2 ]; do
  if [ -d "$1" ] || [ -L "$1" ] || [ "$gone" != skip-gone ]; then
    write_whole "$1" "$1/alloc.json" "$2
" 0644 || { [ -n "$refused" ] || echo "skiff: cannot write $1/alloc.json" >&2; exit 1; }
  fi
  shift 2
done
