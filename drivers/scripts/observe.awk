# A whole host's allocations in one process: reads every alloc.json, every
# task's status and supervisor.pid, and the supervisors' /proc/PID/stat, so
# a host with many allocations costs one process per observation, not a
# few per file. Every value is printed as a JSON string (escaped; control
# characters dropped): alloc.json too, so that a damaged one makes its
# entry unreadable rather than the whole output.
# Arguments: the data dir's allocs/*/alloc.json and allocs/*/*/.skiff/status
# files (a pattern that matched nothing is skipped). stdin: the containers
# skiff labelled, one per line, "name|" or "name|status|exit code|restarts"
# (see observe.sh). The environment's SKIFF_DATA_DIR names the data dir,
# SKIFF_LINGERING the removed allocations' live process groups ("ID.TASK:PGID"
# words).
# Prints one line: {"format":1,"allocs":[...],"facts":"...","boot_id":"...",
# "orphans":[...],"lingering":[...]}. Exits 0.
# Hosts keep this program installed under a name made of the hash of its
# text (observe.cpp): a change to it installs a new copy on each host.
# The text ends without a newline, as it always has: one more byte would
# change the hash, and so reinstall the program on every host.
# --- skiff embeds the text below, byte for byte ---
# "\\\\&" is POSIX for "a backslash, then the match"; mawk and busybox awk agree.
function esc(s) {
  if (s !~ /[\\"[:cntrl:]]/) return s  # the common case: nothing to do
  if (s ~ /[[:cntrl:]]/) gsub(/[[:cntrl:]]/, "", s)
  gsub(/\\/, "\\\\&", s)
  gsub(/"/, "\\\\&", s)
  return s
}
function first_line(path,   line, ok) {
  ok = (getline line < path) > 0
  close(path)
  return ok ? line : ""
}
# The supervisor recorded "PID STARTTIME"; it lives if /proc says the same
# and it is not a zombie (state Z or X: ended, not reaped by its parent).
function alive(ctl,   rec, f, st, g) {
  rec = first_line(ctl "/supervisor.pid")
  if (split(rec, f, " ") < 2) return "false"
  st = first_line("/proc/" f[1] "/stat")
  if (st == "") return "false"
  sub(/.*\) /, "", st)
  split(st, g, " ")
  return g[20] == f[2] && g[1] != "Z" && g[1] != "X" ? "true" : "false"
}
# A container task: its state from the runtime; "alive" means it exists.
function container_state(fields,   c) {
  if (!(fields["container"] in container)) return "false"
  split(container[fields["container"]], c, "|")
  if (c[1] == "running" || c[1] == "restarting") fields["state"] = c[1]
  else if (c[2] != 0 && c[3] + 0 < fields["attempts"] + 0 && fields["reason"] != "stopped") {
    fields["state"] = "restarting"  # exited; the runtime restarts it in a moment
    fields["reason"] = "exited with status " c[2] "; the runtime restarts it"
  } else {
    fields["state"] = "dead"
    if (fields["reason"] != "stopped") fields["reason"] = "exited with status " c[2]
  }
  fields["exit_code"] = c[2]; fields["restarts"] = c[3]
  return "true"
}
function task_json(path,   ctl, task, n, parts, line, k, v, fields, live) {
  ctl = path; sub(/\/status$/, "", ctl)
  n = split(ctl, parts, "/"); task = parts[n - 1]
  split("", fields)
  while ((getline line < path) > 0) {
    k = line; sub(/=.*/, "", k); v = line; sub(/^[^=]*=/, "", v); fields[k] = v
  }
  close(path)
  if (fields["container"] != "") claimed[fields["container"]] = 1
  live = fields["container"] != "" ? container_state(fields) : alive(ctl)
  return "\"" esc(task) "\":{\"state\":\"" esc(fields["state"]) "\",\"restarts\":\"" esc(fields["restarts"]) \
    "\",\"exit_code\":\"" esc(fields["exit_code"]) "\",\"reason\":\"" esc(fields["reason"]) \
    "\",\"since\":\"" esc(fields["since"]) "\",\"driver\":\"" esc(fields["driver"]) \
    "\",\"container\":\"" esc(fields["container"]) "\",\"cli\":\"" esc(fields["cli"]) \
    "\",\"limits\":\"" esc(first_line(ctl "/limits")) \
    "\",\"supervisor_alive\":" live "}"
}
BEGIN {
  while ((getline line < "/dev/stdin") > 0) {  # name| or name|status|exit code|restarts
    name = line; sub(/\|.*/, "", name); sub(/^\//, "", name)  # docker says "/name"
    rest = line; sub(/^[^|]*\|/, "", rest)
    if (rest == "") labelled[name] = 1
    else container[name] = rest
  }
  count = 0
  for (i = 1; i < ARGC; i++) {
    p = ARGV[i]
    if (index(p, "/allocs/*/")) continue  # a pattern that matched nothing
    if (p ~ /\/alloc\.json$/) {
      line = first_line(p)
      dir = p; sub(/\/alloc\.json$/, "", dir)
      order[++count] = dir; json[dir] = line; tasks[dir] = ""
    } else if (p ~ /\/\.skiff\/status$/) {
      dir = p; sub(/\/[^\/]*\/\.skiff\/status$/, "", dir)
      if (!(dir in tasks)) continue
      tasks[dir] = tasks[dir] (tasks[dir] == "" ? "" : ",") task_json(p)
    }
  }
  printf "{\"format\":1,\"allocs\":["
  for (i = 1; i <= count; i++) {
    dir = order[i]
    printf "%s{\"dir\":\"%s\",\"alloc\":\"%s\",\"tasks\":{%s}}", (i > 1 ? "," : ""), esc(dir), esc(json[dir]), tasks[dir]
  }
  # The facts the last fingerprint kept, and this boot: stale after a reboot.
  printf "],\"facts\":\"%s\",\"boot_id\":\"%s\"", esc(first_line(ENVIRON["SKIFF_DATA_DIR"] "/facts.json")), \
    esc(first_line("/proc/sys/kernel/random/boot_id"))
  printf ",\"orphans\":["
  n = 0
  for (name in labelled) if (!(name in claimed)) printf "%s\"%s\"", (n++ ? "," : ""), esc(name)
  # Removed allocations' process groups still alive (observe.sh checks them).
  printf "],\"lingering\":["
  n = split(ENVIRON["SKIFF_LINGERING"], lingering, " ")
  for (i = 1; i <= n; i++) printf "%s\"%s\"", (i > 1 ? "," : ""), esc(lingering[i])
  printf "]}\n"
}