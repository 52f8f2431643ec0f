# Three sh functions that keep what skiff writes, truncates or removes in a
# folder a task can reach (its allocation's) from following a symbolic link
# the task planted there (toward /etc/shadow, say) out of it:
# `no_links VERB BASE PATH`: 0 when neither BASE nor any folder or file on
# the way from it down to PATH (PATH included; REQUIRES: PATH is BASE or
# below it) is a symbolic link; else sets $refused to "refusing to VERB
# PATH: LINK is a symbolic link" ("it is", when PATH is the link), prints
# that on stderr and returns 1. A component that does not exist yet is no
# link.
# `temp_beside BASE PATH`: no_links, then $temp is a new empty file
# (mktemp: created, never opened through a link, mode 0600) in PATH's
# folder, to be renamed over PATH: a rename replaces a link at PATH rather
# than following it. Returns 1 when PATH is refused, is a folder, or no
# file can be made there.
# `write_whole BASE PATH TEXT [MODE]`: writes TEXT (printf %s) to PATH
# through temp_beside and `mv -f`, then with MODE (chmod) when given, else
# 0600; returns 1, leaving no temporary file behind, when it cannot.
# A check and the write after it are two steps: this shuts out a link
# planted between two runs, not one swapped in during the few milliseconds
# between them (a POSIX shell has no openat).
# no_links uses builtins only ([, parameter expansion): the supervisor calls
# it at each look at the logs.
# Defines the functions and prints nothing.
# shellcheck shell=sh
# shellcheck disable=SC2034 # $refused and $temp are these functions' results, read by their callers
# shellcheck disable=SC1007 # "refused= _nl_at=..." empties $refused on purpose
# --- skiff embeds the text below, byte for byte ---
no_links() {
  refused= _nl_at=$2 _nl_rest=${3#"$2"}
  while :; do
    if [ -L "$_nl_at" ]; then
      if [ "$_nl_at" = "$3" ]; then refused="refusing to $1 $3: it is a symbolic link"
      else refused="refusing to $1 $3: $_nl_at is a symbolic link"; fi
      echo "$refused" >&2
      return 1
    fi
    _nl_rest=${_nl_rest#/}
    [ -n "$_nl_rest" ] || return 0
    _nl_at=$_nl_at/${_nl_rest%%/*}
    case $_nl_rest in */*) _nl_rest=${_nl_rest#*/} ;; *) _nl_rest= ;; esac
  done
}
temp_beside() {
  temp=
  no_links write "$1" "$2" || return 1
  if [ -d "$2" ]; then
    refused="refusing to write $2: it is a folder"
    echo "$refused" >&2
    return 1
  fi
  temp=$(mktemp "$2.XXXXXX" 2>/dev/null) || {
    temp= refused="cannot write $2: no file can be made in its folder"
    echo "$refused" >&2
    return 1
  }
}
write_whole() {
  temp_beside "$1" "$2" || return 1
  if printf '%s' "$3" > "$temp" && { [ -z "${4:-}" ] || chmod "$4" "$temp"; } && mv -f "$temp" "$2"; then return 0; fi
  rm -f "$temp"
  return 1
}
