# Writes the ssh state store's state: the same steps as
# LocalStateStore::write_files: temp file, fsync, the backup replaced
# atomically, rename, directory fsync. `sync FILE` is fsync(2) on that file
# (coreutils 8.24 and later).
# Arguments: $1 the state's path; $2 1 to keep the current state as the
# backup ($1.backup). stdin: the new state.
# Prints nothing. Exits 1 when a step failed (the temp files removed);
# else with the status of the folder's sync.
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---

path=$1
backup=$1.backup
tmp=$1.tmp.$$
backup_tmp=$backup.tmp.$$
umask 077
fail() { rm -f -- "$tmp" "$backup_tmp"; exit 1; }
dir=$(dirname -- "$path") && mkdir -p -- "$dir" || exit 1
cat >"$tmp" && chmod 600 "$tmp" && sync -- "$tmp" || fail
if [ "$2" = 1 ]; then
  cp -- "$path" "$backup_tmp" && chmod 600 "$backup_tmp" && sync -- "$backup_tmp" &&
    mv -f -- "$backup_tmp" "$backup" || fail
fi
mv -f -- "$tmp" "$path" || fail
sync -- "$dir"
