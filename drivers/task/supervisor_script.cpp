// The supervisor skiff leaves beside each task on a host (see supervisor.hpp).
//
// A host runs many of these for weeks, and on some machines starting a
// program costs milliseconds of CPU: what runs often uses the shell's
// builtins (read, parameter expansion, printf), not sed, cut or cat.
#include "drivers/task/supervisor.hpp"

namespace skiff::drivers {

// `start_time PID` sets $start_time to the process's start time, field 22 of
// /proc/PID/stat (empty when it does not run). The fields are counted after
// the last ") ": the command name in parentheses may hold spaces.
const char* const kProcStartTimeFunction = R"SH(start_time() {
  start_time= _stat=
  read -r _stat 2>/dev/null < "/proc/$1/stat" || return 0
  set -- ${_stat##*") "}
  [ "$#" -ge 20 ] || return 0
  shift 19
  start_time=$1
}
)SH";

const char* const kSupervisorAliveFunction = R"SH(supervisor_alive() {
  _pid_line=
  read -r _pid_line 2>/dev/null < "$1/supervisor.pid" || return 1
  set -- $_pid_line
  [ -n "${1:-}" ] && [ -n "${2:-}" ] || return 1
  start_time "$1"
  [ "$start_time" = "$2" ]
}
)SH";

// rotate FILE and watch_logs, on $out, $err, $max_files, $max_file_mb, $mark
// (a file of its own) and $sup (the supervisor's PID: watching ends with it).
const char* const kLogWatchFunctions = R"SH(# Copy-truncate rotation: <task>.stdout.0 is always the current file, .1
# the one before, up to max_files in all.
rotate() {
  base=${1%.0} i=$((max_files - 1))
  while [ "$i" -gt 1 ]; do
    [ -f "$base.$((i - 1))" ] && mv -f "$base.$((i - 1))" "$base.$i"
    i=$((i - 1))
  done
  [ "$max_files" -gt 1 ] && cp "$1" "$base.1"
  : > "$1"
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
  : >> "$out"; : >> "$err"; : > "$mark"
  while kill -0 "$sup" 2>/dev/null; do
    sleep "$wait_s"
    if [ "$out" -nt "$mark" ] || [ "$err" -nt "$mark" ]; then
      : > "$mark"
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
)SH";

// supervise.sh ALLOC_DIR TASK, started with setsid so that it outlives the
// SSH session. Reads .skiff/policy, runs .skiff/run in a process group of
// its own (setsid again: its PID is the group's ID), appends its output to
// the alloc's logs, keeps .skiff/status (written whole, then renamed) and
// applies the restart policy. SIGTERM stops the task: kill_signal to the
// whole group, SIGKILL after kill_timeout seconds. Once the task has been
// started, the first status also goes to fd 3 (the start command's pipe),
// which is then closed: the start command returns without polling.
const char* const kSupervisorScript = R"SH(a=$1 t=$2
c="$a/$t/.skiff"
. "$c/policy"
# "PID STARTTIME": a PID alone may name another process after a reboot.
start_time $$
echo "$$ $start_time" > "$c/supervisor.pid"
out="$a/alloc/logs/$t.stdout.0" err="$a/alloc/logs/$t.stderr.0"
[ "$logs_disabled" = true ] && out=/dev/null err=/dev/null
sup=$$
mark="$c/logs-looked"
[ "$logs_disabled" = true ] || ( trap - TERM INT HUP; watch_logs ) </dev/null >/dev/null 2>&1 3>&- &
watcher=$!
# The exec driver's cgroups (listed by the run script) go when the task has.
cleanup() {
  kill "$watcher" 2>/dev/null
  [ -f "$c/cgroups" ] && while read -r g; do rmdir "$g" 2>/dev/null; done < "$c/cgroups"
}
trap cleanup EXIT
# $oom_kills: kills by the kernel's OOM killer in the task's memory cgroup
# so far (.skiff/oom names its memory.events, when there is one).
count_oom_kills() {
  oom_kills=0 _events=
  read -r _events 2>/dev/null < "$c/oom"
  [ -n "$_events" ] || return 0
  while read -r _key _value; do
    [ "$_key" = oom_kill ] && oom_kills=$_value
  done 2>/dev/null < "$_events"
}
restarts=0 used=0 window= child= code= reason= stopping=0 sleeper= since= announced=
status_text() {
  printf 'state=%s\nrestarts=%s\nexit_code=%s\nreason=%s\nsince=%s\npid=%s\n' \
    "$1" "$restarts" "$code" "$reason" "$since" "$child"
}
status() {
  since=$(date +%s)
  status_text "$1" > "$c/status.tmp"
  mv -f "$c/status.tmp" "$c/status"
}
# kill_group SIGNAL PGID (0: does the group still exist): dash's kill needs "--" before a group, busybox's refuses it.
kill_group() { kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" "-$2" 2>/dev/null; }
on_stop() {
  stopping=1
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  [ -n "$child" ] || return 0
  kill_group "$kill_signal" "$child"
  # SIGKILL after kill_timeout to what is left of the group: none of it may
  # be, and then the ID is not the task's any more (it may be reused).
  ( sleep "$kill_timeout"; kill_group 0 "$child" && kill_group KILL "$child" ) </dev/null >/dev/null 2>&1 &
}
trap on_stop TERM INT HUP
while :; do
  count_oom_kills; ooms=$oom_kills
  setsid sh "$c/run" </dev/null >>"$out" 2>>"$err" 3>&- &
  child=$! reason=
  status running
  if [ -z "$announced" ]; then
    announced=1 window=$since
    status_text running 2>/dev/null >&3
    exec 3>&-
  fi
  wait "$child"; code=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
  if [ "$stopping" = 1 ]; then reason=stopped; status dead; exit 0; fi
  oom=
  count_oom_kills
  [ "$oom_kills" -gt "$ooms" ] && oom=" (killed for using more memory than its limit)"
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
