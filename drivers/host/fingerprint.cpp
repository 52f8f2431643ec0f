#include "drivers/host/fingerprint.hpp"

#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

namespace skiff::drivers {

namespace {

// Prints one line: {"format":1,"hostname":"...",...,"drivers":{...}}.
// Strings are JSON-escaped by esc (control characters dropped, \ and "
// escaped); numbers are printed only when they are digits, else left out.
// Slow probes (docker, podman, java) are bounded by `timeout` when the host
// has it.
constexpr const char* kScript = R"SH(data_dir=$1
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
# Kept for observation, which reports these facts without probing again.
if mkdir -p "$data_dir" 2>/dev/null && printf '%s\n' "$json" > "$data_dir/facts.json.tmp" 2>/dev/null; then
  mv -f "$data_dir/facts.json.tmp" "$data_dir/facts.json"
fi
)SH";

template <typename T>
std::optional<T> optional_number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<T>();
}

std::string string_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Error unreadable(const std::string& output, const std::string& why) {
  std::string start = output.substr(0, 200);
  return make_error(ErrorCode::kParse, "fingerprint: " + why + "; the host printed: " +
                                           (start.empty() ? "(nothing)" : nlohmann::json(start).dump(-1, ' ', false,
                                                                         nlohmann::json::error_handler_t::replace)));
}

}  // namespace

Command fingerprint_command(const std::string& data_dir) {
  return Command{{"sh", "-c", kScript, "skiff-fingerprint", data_dir}, std::nullopt, std::chrono::milliseconds{0}};
}

Result<HostFacts> facts_from_fingerprint(const Result<CommandResult>& run) {
  if (!run.ok()) return run.error();
  if (!run->success()) {
    std::string why = run->signal ? "was killed by SIG" + *run->signal : "exited with status " + std::to_string(run->exit_status);
    std::string stderr_text = run->stderr_data;
    while (!stderr_text.empty() && stderr_text.back() == '\n') stderr_text.pop_back();
    return make_error(ErrorCode::kUnavailable,
                      "the fingerprint command " + why + (stderr_text.empty() ? "" : ": " + stderr_text));
  }
  return parse_fingerprint(run->stdout_data);
}

std::string go_arch(const std::string& machine) {
  static const std::map<std::string, std::string> kNames = {
      {"x86_64", "amd64"}, {"amd64", "amd64"}, {"aarch64", "arm64"}, {"arm64", "arm64"},
      {"i386", "386"},     {"i686", "386"},    {"armv7l", "arm"},    {"armv6l", "arm"},
      {"ppc64le", "ppc64le"}, {"s390x", "s390x"}, {"riscv64", "riscv64"}};
  auto it = kNames.find(machine);
  return it != kNames.end() ? it->second : machine;
}

Result<HostFacts> parse_fingerprint(const std::string& output) {
  // A login banner or a noisy profile may print before the script; the
  // object is the last line.
  std::string line = output;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (size_t nl = line.rfind('\n'); nl != std::string::npos) line = line.substr(nl + 1);
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || optional_number<int>(j, "format") != 1) return unreadable(output, "not skiff's fingerprint JSON");

  HostFacts facts;
  facts.hostname = string_field(j, "hostname");
  facts.kernel_name = lowercase(string_field(j, "kernel_name"));
  facts.kernel_version = string_field(j, "kernel_version");
  facts.arch = go_arch(string_field(j, "machine"));
  facts.os_name = string_field(j, "os_name");
  facts.os_version = string_field(j, "os_version");
  facts.cores = optional_number<int>(j, "cores");
  facts.cpu_mhz = optional_number<int>(j, "cpu_mhz");
  if (auto kb = optional_number<int64_t>(j, "memory_kb")) facts.memory_mb = *kb / 1024;
  if (auto kb = optional_number<int64_t>(j, "disk_free_kb")) facts.disk_free_mb = *kb / 1024;
  if (auto kb = optional_number<int64_t>(j, "disk_total_kb")) facts.disk_total_mb = *kb / 1024;
  facts.cgroup = string_field(j, "cgroup");
  facts.boot_id = string_field(j, "boot_id");
  facts.uid = optional_number<int>(j, "uid");
  facts.clock_unix = optional_number<int64_t>(j, "clock");
  auto drivers = j.find("drivers");
  if (drivers == j.end() || !drivers->is_object()) return unreadable(output, "no \"drivers\" object");
  for (const auto& [name, d] : drivers->items()) {
    if (!d.is_object()) return unreadable(output, "driver \"" + name + "\" is not an object");
    DriverFact fact;
    fact.detected = bool_field(d, "detected");
    fact.healthy = bool_field(d, "healthy");
    fact.version = string_field(d, "version");
    fact.reason = string_field(d, "reason");
    facts.drivers[name] = std::move(fact);
  }
  return facts;
}

}  // namespace skiff::drivers
