# supervise.sh ALLOC_DIR TASK: the supervisor skiff leaves beside each task
# (written to ALLOC_DIR/TASK/.skiff/supervise.sh), started with setsid so
# that it outlives the SSH session. Reads .skiff/policy, runs .skiff/run in
# a process group of its own (setsid again: its PID is the group's ID),
# appends its output to the alloc's logs, keeps .skiff/status (written
# whole, then renamed over the old one) and applies the restart policy.
# SIGTERM stops the task: kill_signal to the whole group, SIGKILL after
# kill_timeout seconds.
# Prints: once the task has been started, its first status goes to fd 3
# (the start command's pipe), which is then closed, so the start command
# returns without polling; its own messages go to .skiff/supervisor.log.
# Exits 0 once the task is dead for good (stopped, completed, or its
# restart attempts used up); .skiff/status says which. Whenever the task's
# process ends, what is left of its process group is killed.
# Lifecycle hooks (task_hook.hpp): before its first start the task waits,
# state "pending", for the siblings the policy names (after_completed,
# after_running, after_ended; one name per line), and ends unstarted when
# one of them never will get there. An ephemeral hook task is complete
# when it exits 0, in a service job too. A poststop task is not stopped by
# the stop that lets it run (the first SIGTERM), only by a second one.
# A leader task (leader=true) that ends for good, not by a stop, stops the
# supervisors of the siblings the policy names (leader_ends): Nomad's leader.
# The last main task to end (of itself and other_mains) stops the sidecars.
# A host runs many of these for weeks, and on some machines starting a
# program costs milliseconds of CPU: what runs often uses the shell's
# builtins (read, parameter expansion, printf), not sed, cut or cat.
# Nothing it writes goes through a symbolic link in the allocation's folder
# (symlink_guard.sh): a log replaced by a link ends the task, dead, with a
# reason naming the link.
# Joined: after start_time.sh, symlink_guard.sh and log_watch.sh, whose
# functions it calls (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC1007 # "child= code= ..." empties each variable on purpose
# shellcheck disable=SC2154 # $start_time and $refused come from start_time.sh and symlink_guard.sh, the policy's variables from .skiff/policy
# shellcheck disable=SC2034 # $sup and $mark are read by log_watch.sh's watch_logs
# --- skiff embeds the text below, byte for byte ---
a=$1 t=$2
c="$a/$t/.skiff"
. "$c/policy"
# "PID STARTTIME": a PID alone may name another process after a reboot.
start_time $$
write_whole "$a" "$c/supervisor.pid" "$$ $start_time
"
out="$a/alloc/logs/$t.stdout.0" err="$a/alloc/logs/$t.stderr.0"
[ "$logs_disabled" = true ] && out=/dev/null err=/dev/null
sup=$$
mark="$c/logs-looked"
# The watcher's messages (a log it refuses to rotate) go to supervisor.log too.
[ "$logs_disabled" = true ] || ( trap - TERM INT HUP; watch_logs ) </dev/null >/dev/null 3>&- &
watcher=$!
# The exec driver's cgroups (listed by the run script) go when the task has;
# only skiff's own: the list is a file in the task's folder.
cleanup() {
  kill "$watcher" 2>/dev/null
  [ -f "$c/cgroups" ] && while read -r g; do
    case $g in *..*) ;; /sys/fs/cgroup/skiff/* | /sys/fs/cgroup/*/skiff/*) rmdir "$g" 2>/dev/null ;; esac
  done < "$c/cgroups"
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
restarts=0 used=0 window= child= code= reason= stopping=0 sleeper= since= announced= killer= terms=0
# The status file's text for state $1, in $_text.
status_text() {
  _text="state=$1
restarts=$restarts
exit_code=$code
reason=$reason
since=$since
pid=$child
"
}
# Written whole, never through a link (symlink_guard.sh): the task can
# reach its own folder.
status() {
  since=$(date +%s)
  status_text "$1"
  write_whole "$a" "$c/status" "$_text"
}
# kill_group SIGNAL PGID (0: does the group still exist): dash's kill needs "--" before a group, busybox's refuses it.
kill_group() { kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" "-$2" 2>/dev/null; }
on_stop() {
  if [ "$hook" = poststop ] && [ "$terms" = 0 ]; then
    terms=1
    [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
    return 0
  fi
  stopping=1
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  [ -n "$child" ] || return 0
  kill_group "$kill_signal" "$child"
  # SIGKILL after kill_timeout to what is left of the group: none of it may
  # be, and then the ID is not the task's any more (it may be reused).
  ( sleep "$kill_timeout"; kill_group 0 "$child" && kill_group KILL "$child" ) </dev/null >/dev/null 2>&1 &
  killer=$!
}
# Once stopped: waits for the rest of the task's group (the timer above
# kills it after kill_timeout), then ends the timer, so that no process of
# the task, nor of its supervisor, outlives the stop. Bounded: where nothing
# reaps them, zombies keep a group in being.
end_stop() {
  _n=0
  while kill_group 0 "$child" && [ "$_n" -lt $(((kill_timeout + 2) * 10)) ]; do sleep 0.1; _n=$((_n + 1)); done
  [ -n "$killer" ] && kill "$killer" 2>/dev/null
  reason=stopped; status dead; exit 0
}
trap on_stop TERM INT HUP
# SIGTERM to the supervisors of the sibling tasks named in $1 (one per line)
# that still run.
stop_siblings() {
  set -f; _ifs=$IFS; IFS='
'
  for _s in $1; do
    IFS=$_ifs _rec=
    read -r _rec 2>/dev/null < "$a/$_s/.skiff/supervisor.pid"
    [ -n "$_rec" ] || continue
    start_time "${_rec%% *}"
    [ "${_rec%% *} $start_time" = "$_rec" ] && kill -TERM "${_rec%% *}" 2>/dev/null
  done
  IFS=$_ifs; set +f
}
# True when every other main task has ended (its status says dead).
mains_ended() {
  set -f; _ifs=$IFS; IFS='
'
  for _s in $other_mains; do
    IFS=$_ifs
    sibling "$_s"
    if [ "$_state" != dead ]; then set +f; return 1; fi
  done
  IFS=$_ifs; set +f
}
# What a task's end for good does to its siblings: a leader stops them all;
# the last main task to end stops the sidecars, as Nomad does.
end_siblings() {
  if [ "$leader" = true ]; then stop_siblings "$leader_ends"
  elif [ -n "$sidecars" ] && mains_ended; then stop_siblings "$sidecars"; fi
}
# Ends the task for good, with $reason.
finish() {
  status dead
  end_siblings
  exit 0
}
# The first status goes to the start command (fd 3), which then returns.
announce() {
  [ -n "$announced" ] && return 0
  announced=1
  status_text "$1"
  printf '%s' "$_text" 2>/dev/null >&3
  exec 3>&-
}
# $_state and $_why of sibling task $1, from its status file ("" before it has one).
sibling() {
  _state= _why=
  while IFS='=' read -r _k _v; do
    case $_k in state) _state=$_v ;; reason) _why=$_v ;; esac
  done 2>/dev/null < "$a/$1/.skiff/status"
}
never_started() {
  IFS=$ifs; set +f
  code= reason="not started: $1"; status dead; announce dead; end_siblings; exit 0
}
# $blocked: what the first start still waits for, or "" when nothing.
gate() {
  blocked= ifs=$IFS
  set -f; IFS='
'
  for _s in $after_completed; do
    sibling "$_s"
    [ "$_state" = dead ] && [ "$_why" = completed ] && continue
    [ "$_state" = dead ] && never_started "prestart task \"$_s\" failed${_why:+: $_why}"
    blocked="prestart task \"$_s\" to complete"; break
  done
  [ -z "$blocked" ] && for _s in $after_running; do
    sibling "$_s"
    [ "$_state" = running ] && continue
    [ "$_state" = dead ] && never_started "task \"$_s\" ended before it ran${_why:+ ($_why)}"
    blocked="task \"$_s\" to run"; break
  done
  [ -z "$blocked" ] && for _s in $after_ended; do
    sibling "$_s"
    [ "$_state" = dead ] && continue
    blocked="task \"$_s\" to end"; break
  done
  IFS=$ifs; set +f
}
if [ -n "$after_completed$after_running$after_ended" ]; then
  _n=0
  while gate; [ -n "$blocked" ]; do
    if [ "$stopping" = 1 ]; then reason=stopped; status dead; announce dead; exit 0; fi
    if [ "$reason" != "waiting for $blocked" ]; then reason="waiting for $blocked"; status pending; fi
    announce pending
    # Often at first (a prestart task is often brief), then every 5 s: a
    # poststop task waits as long as its allocation runs.
    _n=$((_n + 1)) _pause=0.2
    [ "$_n" -gt 50 ] && _pause=1
    [ "$_n" -gt 110 ] && _pause=5
    sleep "$_pause" & sleeper=$!; wait "$sleeper"; sleeper=
  done
  reason=
fi
while :; do
  # The logs are appended to: a link the task put in their place would
  # take its output (and a rotation's truncation) out of the folder.
  if [ "$logs_disabled" != true ] && { ! no_links write "$a" "$out" || ! no_links write "$a" "$err"; }; then
    child= code= reason=$refused; status dead; announce dead; end_siblings; exit 0
  fi
  count_oom_kills; ooms=$oom_kills
  setsid sh "$c/run" </dev/null >>"$out" 2>>"$err" 3>&- &
  child=$! reason=
  status running
  [ -z "$window" ] && window=$since
  announce running
  wait "$child"; code=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
  if [ "$stopping" = 1 ]; then end_stop; fi
  # What the task left in its group (children it did not wait for) ends
  # with it, as in Nomad: a restart must not run beside them.
  kill_group KILL "$child"
  oom=
  count_oom_kills
  [ "$oom_kills" -gt "$ooms" ] && oom=" (killed for using more memory than its limit)"
  if [ -f "$c/restart-requested" ]; then
    rm -f "$c/restart-requested"
    restarts=$((restarts + 1)) reason="restarted on request (exited with status $code)"
    continue
  fi
  if [ "$code" = 0 ] && { [ "$ephemeral" = true ] || { [ "$job_type" != service ] && [ "$job_type" != system ]; }; }; then
    reason=completed; finish
  fi
  now=$(date +%s)
  if [ $((now - window)) -ge "$interval" ]; then window=$now used=0; fi
  if [ "$used" -ge "$attempts" ]; then
    if [ "$mode" != delay ]; then
      reason="exited with status $code$oom; $attempts restart attempts in ${interval}s used up"; finish
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
