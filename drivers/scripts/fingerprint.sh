# A host's facts: hostname, kernel, OS, cores, cpu MHz, memory, the data
# dir's disk, the cgroup version, boot id, uid, clock, and which task
# drivers it can run (raw_exec, exec, docker, podman, java) with their
# versions. Strings are JSON-escaped by esc (control characters dropped, \
# and " escaped); numbers are printed only when they are digits, else left
# out. Slow probes (docker, podman, java) are bounded by `timeout` when the
# host has it.
# Arguments: $1 the data dir (its disk is measured; facts.json is kept
# there, for observation to report without probing again).
# Prints one line: {"format":1,"hostname":"...",...,"drivers":{...}}.
# Exits 0, or mv's status when facts.json could not be replaced (keeping
# the facts is best effort: an unwritable data dir is not an error here).
# shellcheck shell=sh
# shellcheck disable=SC2046 # `set -- $(df ...)` splits df's two numbers into $1 and $2 on purpose
# --- skiff embeds the text below, byte for byte ---
data_dir=$1
esc() { printf '%s' "$1" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
str() { printf ',"%s":"%s"' "$1" "$(esc "$2")"; }
num() { case $2 in ''|*[!0-9]*) ;; *) printf ',"%s":%s' "$1" "$2" ;; esac; }
drv() { printf '%s"%s":{"detected":%s,"healthy":%s,"version":"%s","reason":"%s"}' "$1" "$2" "$3" "$4" "$(esc "$5")" "$(esc "$6")"; }
osr() { [ -r /etc/os-release ] && sed -n "s/^$1=//p" /etc/os-release | head -n 1 | tr -d "\"'"; }
last() { printf '%s' "$1" | sed -e '/^[[:space:]]*$/d' | tail -n 1; }
bounded=; command -v timeout >/dev/null 2>&1 && bounded='timeout 10'
kernel=$(uname -s)
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null)
mhz=$(awk -F: '/^cpu MHz/ { printf "%d", $2; exit }' /proc/cpuinfo 2>/dev/null)
khz=$(cat /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq 2>/dev/null)
case $khz in ''|*[!0-9]*) ;; *) mhz=$((khz / 1000)) ;; esac
mem_kb=$(awk '/^MemTotal:/ { print $2; exit }' /proc/meminfo 2>/dev/null)
d=$data_dir; while [ -n "$d" ] && [ ! -d "$d" ]; do d=$(dirname "$d"); done
set -- $(df -Pk "${d:-/}" 2>/dev/null | awk 'NR == 2 { print $2, $4 }')
disk_total_kb=${1-}; disk_free_kb=${2-}
case $(stat -fc %T /sys/fs/cgroup 2>/dev/null) in
  cgroup2fs) cgroup=v2 ;;
  tmpfs) if [ -d /sys/fs/cgroup/memory ]; then cgroup=v1; else cgroup=; fi ;;
  *) cgroup= ;;
esac
facts() {
printf '{"format":1'
str hostname "$(uname -n)"; str kernel_name "$kernel"; str kernel_version "$(uname -r)"
str machine "$(uname -m)"; str os_name "$(osr ID)"; str os_version "$(osr VERSION_ID)"
num cores "$cores"; num cpu_mhz "$mhz"; num memory_kb "$mem_kb"
num disk_total_kb "$disk_total_kb"; num disk_free_kb "$disk_free_kb"
str cgroup "$cgroup"; str boot_id "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
num uid "$(id -u)"; num clock "$(date +%s)"
printf ',"drivers":{'
drv '' raw_exec true true '' ''
if [ "$kernel" = Linux ]; then drv , exec true true '' ''; else drv , exec false false '' "exec needs Linux"; fi
if command -v docker >/dev/null 2>&1; then
  if out=$($bounded docker version --format '{{.Server.Version}}' 2>&1); then drv , docker true true "$(last "$out")" ''
  else drv , docker true false '' "$(last "$out")"; fi
fi
if command -v podman >/dev/null 2>&1; then
  if out=$($bounded podman version --format '{{.Client.Version}}' 2>&1); then drv , podman true true "$(last "$out")" ''
  else drv , podman true false '' "$(last "$out")"; fi
fi
if command -v java >/dev/null 2>&1; then
  if out=$($bounded java -version 2>&1); then
    drv , java true true "$(printf '%s' "$out" | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)" ''
  else drv , java true false '' "$(last "$out")"; fi
fi
printf '}}'
}
json=$(facts)
printf '%s\n' "$json"
# Kept for observation, which reports these facts without probing again;
# through a temp file mktemp names, which nobody can plant beforehand.
if mkdir -p "$data_dir" 2>/dev/null && tmp=$(mktemp -- "$data_dir/facts.json.XXXXXXXXXX" 2>/dev/null); then
  if ! { printf '%s\n' "$json" >"$tmp" && chmod 644 "$tmp" && mv -f -- "$tmp" "$data_dir/facts.json"; }; then
    rm -f -- "$tmp"
  fi
fi
