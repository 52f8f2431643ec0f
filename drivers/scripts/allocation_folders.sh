# Creates an allocation's folders (alloc/data, alloc/tmp, alloc/logs; the
# task's local and tmp; its secrets and its control dir at 0700) and writes
# alloc.json from $3 (written whole, then renamed), and a dispatched run's
# payload to local/$pf ($pp: a printf format that prints it; see
# printf_literal in shell_quote.hpp), when $pf is not empty.
# Joined: after supervisor_start_variables.sh or container_start_variables.sh,
# which set $a (alloc dir), $t (task), $c (control dir), $pf, $pp and `set -e`, so
# that a failure here ends the start command with mkdir's or mv's status;
# before supervisor_start.sh or container_start.sh.
# Prints nothing.
# shellcheck shell=sh
# shellcheck disable=SC2154 # $a, $t and $c come from the start variables before it
# --- skiff embeds the text below, byte for byte ---
umask 022
mkdir -p "$a/alloc/data" "$a/alloc/tmp" "$a/alloc/logs" "$a/$t/local" "$a/$t/tmp" "$a/$t/secrets" "$c"
chmod 0700 "$a/$t/secrets" "$c"
printf '%s' "$3" > "$a/alloc.json.tmp" && mv -f "$a/alloc.json.tmp" "$a/alloc.json"
if [ -n "$pf" ]; then
  case $pf in */*) mkdir -p "$a/$t/local/${pf%/*}" ;; esac
  # shellcheck disable=SC2059 # the format is the payload, escaped by printf_literal
  printf "$pp" > "$a/$t/local/$pf"
fi
