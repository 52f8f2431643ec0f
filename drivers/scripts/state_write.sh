# Writes the ssh state store's state: the same steps as
# LocalStateStore::write_files: temp file, fsync, the backup replaced
# atomically, rename, directory fsync. `sync FILE` is fsync(2) on that file
# (coreutils 8.24 and later). The temp files are made by mktemp in the
# state's folder: names nobody can guess, so no one can plant a file or a
# symlink there beforehand.
# Arguments: $1 the state's path; $2 1 to keep the current state as the
# backup ($1.backup); $3 the new state's size in bytes. stdin: the new state.
# A state that arrives shorter than $3 (the connection was lost while it
# was sent) is never renamed over the current one.
# Prints nothing. Exits 1 when a step failed or the shell was told to end
# (the temp files removed); else with the status of the folder's sync.
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---

path=$1
backup=$1.backup
tmp=
backup_tmp=
umask 077
fail() {
  if [ -n "$tmp" ]; then rm -f -- "$tmp"; fi
  if [ -n "$backup_tmp" ]; then rm -f -- "$backup_tmp"; fi
  exit 1
}
trap fail HUP INT PIPE TERM
dir=$(dirname -- "$path") && mkdir -p -- "$dir" || exit 1
tmp=$(mktemp -- "$path.tmp.XXXXXXXXXX") || fail
cat >"$tmp" && [ "$(wc -c <"$tmp")" -eq "$3" ] && chmod 600 "$tmp" && sync -- "$tmp" || fail
if [ "$2" = 1 ]; then
  backup_tmp=$(mktemp -- "$backup.tmp.XXXXXXXXXX") || fail
  cp -- "$path" "$backup_tmp" && chmod 600 "$backup_tmp" && sync -- "$backup_tmp" &&
    mv -f -- "$backup_tmp" "$backup" || fail
  backup_tmp=
fi
mv -f -- "$tmp" "$path" || fail
tmp=
sync -- "$dir"
