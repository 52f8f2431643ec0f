#include "drivers/host/fingerprint.hpp"

#include <cctype>
#include <map>

#include <nlohmann/json.hpp>

#include "drivers/scripts/scripts.hpp"

namespace skiff::drivers {

namespace {

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
  return make_error(
      ErrorCode::kParse,
      "fingerprint: " + why + "; the host printed: " +
          (start.empty() ? "(nothing)" : nlohmann::json(start).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

}  // namespace

Command fingerprint_command(const std::string& data_dir) {
  // The script runs docker, podman and java with 10 s each; a host that
  // takes a minute is stuck.
  return Command{
      {"sh", "-c", std::string(scripts::kFingerprintSh), "skiff-fingerprint", data_dir}, std::nullopt, std::chrono::seconds(60)};
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
      {"x86_64", "amd64"}, {"amd64", "amd64"}, {"aarch64", "arm64"},   {"arm64", "arm64"}, {"i386", "386"},       {"i686", "386"},
      {"armv7l", "arm"},   {"armv6l", "arm"},  {"ppc64le", "ppc64le"}, {"s390x", "s390x"}, {"riscv64", "riscv64"}};
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
