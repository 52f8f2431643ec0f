# Who holds the ssh state store's lock, without taking it: a shared flock is
# refused while an exclusive one is held.
# Arguments: $1 the lock file.
# Prints "held" or "free", then the record in the file.
# Exits 10 when there is no lock file; 4 when flock is not installed; 5
# when the file cannot be opened; 7 when flock fails for another reason.
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---

[ -e "$1" ] || exit 10
exec 9<"$1" || exit 5
command -v flock >/dev/null 2>&1 || { echo "flock is not installed (util-linux)" >&2; exit 4; }
if flock -n -s -E 3 9; then echo free; else [ "$?" = 3 ] || exit 7; echo held; fi
exec cat <&9
