# Creates an allocation's folders (alloc/data, alloc/tmp, alloc/logs; the
# task's local and tmp; its secrets and its control dir at 0700) and writes
# alloc.json from $3, and a dispatched run's payload to local/$pf ($pp: a
# printf format that prints it; see printf_literal in shell_quote.hpp), when
# $pf is not empty. Each file is written whole into a new file, then renamed
# over the old one; none of it is done through a symbolic link a task put
# in the allocation's folder (symlink_guard.sh): the start ends, naming the
# link, instead.
# Joined: after symlink_guard.sh, whose functions it calls, and
# supervisor_start_variables.sh or container_start_variables.sh, which set
# $a (alloc dir), $t (task), $c (control dir), $pf, $pp and `set -e`, so
# that a failure here ends the start command with mkdir's or mv's status;
# before supervisor_start.sh or container_start.sh.
# Prints nothing.
# shellcheck shell=sh
# shellcheck disable=SC2154 # $a, $t, $c and $temp come from the start variables and symlink_guard.sh
# --- skiff embeds the text below, byte for byte ---
umask 022
for _d in "$a/alloc/data" "$a/alloc/tmp" "$a/alloc/logs" "$a/$t/local" "$a/$t/tmp" "$a/$t/secrets" "$c"; do
  no_links write "$a" "$_d"
done
mkdir -p "$a/alloc/data" "$a/alloc/tmp" "$a/alloc/logs" "$a/$t/local" "$a/$t/tmp" "$a/$t/secrets" "$c"
chmod 0700 "$a/$t/secrets" "$c"
write_whole "$a" "$a/alloc.json" "$3" 0644
if [ -n "$pf" ]; then
  case $pf in */*) no_links write "$a" "$a/$t/local/${pf%/*}"; mkdir -p "$a/$t/local/${pf%/*}" ;; esac
  temp_beside "$a" "$a/$t/local/$pf"
  # shellcheck disable=SC2059 # the format is the payload, escaped by printf_literal
  { printf "$pp" > "$temp" && chmod 0644 "$temp" && mv -f "$temp" "$a/$t/local/$pf"; } || { rm -f "$temp"; exit 1; }
fi
