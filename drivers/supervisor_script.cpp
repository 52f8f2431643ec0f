// The supervisor skiff leaves beside each task on a host (see supervisor.hpp).
#include "drivers/supervisor.hpp"

namespace skiff::drivers {

// supervise.sh ALLOC_DIR TASK, started with setsid so that it outlives the
// SSH session. Reads .skiff/policy, runs .skiff/run in a process group of
// its own (setsid again: its PID is the group's ID), appends its output to
// the alloc's logs, keeps .skiff/status (written whole, then renamed) and
// applies the restart policy. SIGTERM stops the task: kill_signal to the
// whole group, SIGKILL after kill_timeout seconds.
const char* const kSupervisorAliveFunction = R"SH(supervisor_alive() {
  set -- $(cat "$1/supervisor.pid" 2>/dev/null)
  [ -n "${1:-}" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20)" = "${2:-}" ]
}
)SH";

const char* const kSupervisorScript = R"SH(a=$1 t=$2
c="$a/$t/.skiff"
. "$c/policy"
# "PID STARTTIME": a PID alone may name another process after a reboot.
echo "$$ $(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)" > "$c/supervisor.pid"
out="$a/alloc/logs/$t.stdout.0" err="$a/alloc/logs/$t.stderr.0"
[ "$logs_disabled" = true ] && out=/dev/null err=/dev/null
# Copy-truncate rotation: <task>.stdout.0 is always the current file, .1
# the one before, up to max_files in all. Checked every 2 s per MB of
# max_file_size (2-30 s) with one `find`: a host runs many tasks, and a check
# that forks often would cost it more than the tasks.
rotate() {
  for f in $(find "$out" "$err" -size +"$((max_file_mb * 1024))"k 2>/dev/null); do
    base=${f%.0} i=$((max_files - 1))
    while [ "$i" -gt 1 ]; do
      [ -f "$base.$((i - 1))" ] && mv -f "$base.$((i - 1))" "$base.$i"
      i=$((i - 1))
    done
    [ "$max_files" -gt 1 ] && cp "$f" "$base.1"
    : > "$f"
  done
}
sup=$$
every=$((max_file_mb * 2)); [ "$every" -gt 30 ] && every=30
[ "$logs_disabled" = true ] || ( trap - TERM INT HUP; while kill -0 "$sup" 2>/dev/null; do sleep "$every"; rotate; done ) </dev/null >/dev/null 2>&1 &
rotator=$!
# The exec driver's cgroups (listed by the run script) go when the task has.
cleanup() {
  kill "$rotator" 2>/dev/null
  [ -f "$c/cgroups" ] && while read -r g; do rmdir "$g" 2>/dev/null; done < "$c/cgroups"
}
trap cleanup EXIT
# Kills by the kernel's OOM killer in the task's memory cgroup so far.
oom_kills() {
  f=$(cat "$c/oom" 2>/dev/null)
  n=
  [ -n "$f" ] && n=$(sed -n 's/^oom_kill //p' "$f" 2>/dev/null)
  echo "${n:-0}"
}
restarts=0 used=0 window=$(date +%s) child= code= reason= stopping=0 sleeper=
status() {
  printf 'state=%s\nrestarts=%s\nexit_code=%s\nreason=%s\nsince=%s\npid=%s\n' \
    "$1" "$restarts" "$code" "$reason" "$(date +%s)" "$child" > "$c/status.tmp"
  mv -f "$c/status.tmp" "$c/status"
}
# kill_group SIGNAL PGID: dash's kill needs "--" before a group, busybox's refuses it.
kill_group() { kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" "-$2" 2>/dev/null; }
on_stop() {
  stopping=1
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  [ -n "$child" ] || return 0
  kill_group "$kill_signal" "$child"
  ( sleep "$kill_timeout"; kill_group KILL "$child" ) </dev/null >/dev/null 2>&1 &
}
trap on_stop TERM INT HUP
while :; do
  ooms=$(oom_kills)
  setsid sh "$c/run" </dev/null >>"$out" 2>>"$err" &
  child=$! reason=
  status running
  wait "$child"; code=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
  if [ "$stopping" = 1 ]; then reason=stopped; status dead; exit 0; fi
  oom=
  [ "$(oom_kills)" -gt "$ooms" ] && oom=" (killed for using more memory than its limit)"
  if [ -f "$c/restart-requested" ]; then
    rm -f "$c/restart-requested"
    restarts=$((restarts + 1)) reason="restarted on request (exited with status $code)"
    continue
  fi
  if [ "$code" = 0 ] && [ "$job_type" != service ] && [ "$job_type" != system ]; then
    reason=completed; status dead; exit 0
  fi
  now=$(date +%s)
  if [ $((now - window)) -ge "$interval" ]; then window=$now used=0; fi
  if [ "$used" -ge "$attempts" ]; then
    if [ "$mode" != delay ]; then
      reason="exited with status $code$oom; $attempts restart attempts in ${interval}s used up"; status dead; exit 0
    fi
    left=$((interval - (now - window)))
    reason="exited with status $code$oom; waiting ${left}s for the restart interval"; status restarting
    sleep "$left" & sleeper=$!; wait "$sleeper"; sleeper=
    if [ "$stopping" = 1 ]; then reason=stopped; status dead; exit 0; fi
    window=$(date +%s) used=0
  fi
  used=$((used + 1)) restarts=$((restarts + 1))
  reason="exited with status $code$oom; restarting in ${delay}s"; status restarting
  sleep "$delay" & sleeper=$!; wait "$sleeper"; sleeper=
  if [ "$stopping" = 1 ]; then reason=stopped; status dead; exit 0; fi
done
)SH";

}  // namespace skiff::drivers
