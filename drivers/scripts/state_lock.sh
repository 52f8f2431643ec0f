# The ssh state store's lock: flock(2) on the lock file, held for as long
# as this shell runs. fd 9 keeps the lock file open, and with it the flock,
# until the shell exits, which it does once its stdin (the SSH channel)
# gives a line or EOF. The check after flock is local_lock.cpp's
# still_at_path(): force_unlock may have removed the file we opened, and a
# lock on it guards nothing.
# Arguments: $1 the lock file, $2 the holder's record (written into it),
# $3 seconds to wait (fractional; 0: none).
# Prints "locked" once it holds the lock. Reading "release" then clears the
# record before exiting; a bare EOF (a lost connection) leaves it in place.
# Exits 0 after release or EOF; 3 when another holder has the lock; 4 when
# flock is not installed; 5 when the lock file or its folder cannot be
# made, opened or written; 6 when it keeps being replaced while we lock it;
# flock's own status when it fails otherwise.
# shellcheck shell=sh
# shellcheck disable=SC3013 # test -ef is not POSIX, but dash, bash and busybox sh all have it
# --- skiff embeds the text below, byte for byte ---

lock=$1
command -v flock >/dev/null 2>&1 || { echo "flock is not installed (util-linux)" >&2; exit 4; }
umask 077
dir=$(dirname -- "$lock") && mkdir -p -- "$dir" || exit 5
tries=0
while :; do
  exec 9<>"$lock" || exit 5
  if [ "$3" = 0 ]; then flock -n -E 3 9; else flock -w "$3" -E 3 9; fi
  status=$?
  [ "$status" = 0 ] || exit "$status"
  [ /proc/self/fd/9 -ef "$lock" ] && break
  exec 9>&-
  tries=$((tries + 1))
  [ "$tries" -lt 10 ] || { echo "lock file $lock keeps being replaced while skiff locks it" >&2; exit 6; }
done
printf '%s' "$2" >/proc/self/fd/9 || exit 5
echo locked
if read -r word && [ "$word" = release ]; then : >/proc/self/fd/9; fi
