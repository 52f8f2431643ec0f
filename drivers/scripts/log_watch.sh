# Two sh functions for supervise.sh: `rotate FILE` (copy-truncate FILE, a
# <task>.<stream>.0 log, into .1, .2, ... keeping $max_files in all) and
# `watch_logs`, the loop that rotates $out and $err when they pass
# $max_file_mb, looking at them less often while they grow slowly. It reads
# $out, $err, $max_files, $max_file_mb, $mark (a file of its own, touched at
# each look), $sup (the supervisor's PID: watching ends with it) and $a (the
# allocation's folder: nothing below it is copied to, truncated or touched
# through a symbolic link the task put there; a log that is one is not
# rotated, and the refusal, naming the link, goes to stderr).
# Defines the functions and prints nothing; watch_logs returns once $sup has
# ended (gone, or a zombie: see start_time.sh).
# Joined: after start_time.sh and symlink_guard.sh, before supervise.sh (see
# supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $a, $out, $err, $mark, $sup, $max_files, $max_file_mb are set by supervise.sh, $temp by symlink_guard.sh
# shellcheck disable=SC2046 # `set -- $(stat ...)` splits the two sizes into $1 and $2 on purpose
# shellcheck disable=SC3013 # test -nt is not POSIX, but dash, bash and busybox sh all have it
# --- skiff embeds the text below, byte for byte ---
# Copy-truncate rotation: <task>.stdout.0 is always the current file, .1
# the one before, up to max_files in all. mv renames a link itself, never
# what it points to; the copy goes to a new file renamed over .1.
rotate() {
  no_links write "$a" "$1" || return 1
  base=${1%.0} i=$((max_files - 1))
  while [ "$i" -gt 1 ]; do
    [ -f "$base.$((i - 1))" ] && mv -f "$base.$((i - 1))" "$base.$i"
    i=$((i - 1))
  done
  if [ "$max_files" -gt 1 ] && temp_beside "$a" "$base.1"; then
    { cp "$1" "$temp" && mv -f "$temp" "$base.1"; } || rm -f "$temp"
  fi
  no_links write "$a" "$1" && : > "$1"
}
# The logs' sizes are read (one stat) when, at the rate they grew since
# the last look, the larger could reach max_file_size: half that time, 2 s
# at least, 120 s at most; a quiet task's wait doubles up to 120 s, and a
# look finds it quiet without a stat when neither log is newer than $mark
# (the shell's own test; touched, by a redirection, at every stat). The
# first look is after 2 s per MB of max_file_size (2-30 s). A host runs many
# tasks, and a fixed short period would cost it more than the tasks.
watch_logs() {
  limit=$((max_file_mb * 1048576)) last=0
  wait_s=$((max_file_mb * 2)); [ "$wait_s" -gt 30 ] && wait_s=30
  no_links write "$a" "$out" && : >> "$out"
  no_links write "$a" "$err" && : >> "$err"
  no_links write "$a" "$mark" && : > "$mark"
  # Not `kill -0`: a supervisor SIGKILLed where nothing reaps it stays a
  # zombie, and this loop would watch it for good.
  start_time "$sup"; sup_start=$start_time
  while start_time "$sup" && [ -n "$start_time" ] && [ "$start_time" = "$sup_start" ]; do
    sleep "$wait_s"
    if [ "$out" -nt "$mark" ] || [ "$err" -nt "$mark" ]; then
      no_links write "$a" "$mark" && : > "$mark"
      set -- $(stat -c %s "$out" "$err" 2>/dev/null)
    else
      set -- "$so" "$se"
    fi
    so=${1:-0} se=${2:-0}
    big=$so; [ "$se" -gt "$big" ] && big=$se
    grown=$((big - last)) room=$((limit - big)) last=$big
    if [ "$big" -ge "$limit" ]; then
      [ "$so" -ge "$limit" ] && rotate "$out" && so=0
      [ "$se" -ge "$limit" ] && rotate "$err" && se=0
      room=$limit last=0
    fi
    if [ "$grown" -gt 0 ]; then wait_s=$((room * wait_s / grown / 2)); else wait_s=$((wait_s * 2)); fi
    [ "$wait_s" -lt 2 ] && wait_s=2
    [ "$wait_s" -gt 120 ] && wait_s=120
  done
}
