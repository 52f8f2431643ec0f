# Writes alloc.json files back whole: those of the allocations a state
# adopts, now carrying its lineage (reconciler/ownership.hpp). Each goes to
# a temporary file renamed over the old one, so that observation never
# reads half of one. A folder that is gone (its allocation was removed in
# the meantime) is skipped: there is nothing left to adopt.
# Arguments: pairs of an allocation's folder and its alloc.json's text (one
# line of JSON).
# Prints nothing. Exits 1, naming the file on stderr, when one cannot be
# written; else 0.
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---
while [ $# -ge 2 ]; do
  if [ -d "$1" ]; then
    { printf '%s\n' "$2" >"$1/alloc.json.tmp" && mv -f "$1/alloc.json.tmp" "$1/alloc.json"; } ||
      { echo "skiff: cannot write $1/alloc.json" >&2; exit 1; }
  fi
  shift 2
done
