#include "drivers/task/allocation.hpp"

#include "base/digest.hpp"
#include "base/random_bytes.hpp"

#include <optional>

namespace skiff::drivers {

nlohmann::json allocation_to_json(const Allocation& a) {
  nlohmann::json ports = nlohmann::json::array();
  for (const AssignedPort& p : a.ports) ports.push_back({{"label", p.label}, {"host_port", p.host_port}, {"to", p.to}});
  return {{"format", 1},        {"id", a.id},
          {"job", a.job},       {"group", a.group},
          {"index", a.index},   {"job_version", a.job_version},
          {"job_type", a.job_type}, {"datacenter", a.datacenter},
          {"host", a.host},     {"host_address", a.host_address},
          {"data_dir", a.data_dir}, {"ports", ports},
          {"task_spec_hashes", a.task_spec_hashes}, {"job_spec_hash", a.job_spec_hash},
          {"resources", {{"cpu_mhz", a.cpu_mhz}, {"memory_mb", a.memory_mb}, {"disk_mb", a.disk_mb}}},
          {"created_unix", a.created_unix}, {"canary", a.canary}};
}

std::optional<Allocation> allocation_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  try {
    Allocation a;
    a.id = j.at("id").get<std::string>();
    a.job = j.at("job").get<std::string>();
    a.group = j.at("group").get<std::string>();
    a.index = j.at("index").get<int>();
    a.job_version = j.at("job_version").get<uint64_t>();
    a.job_type = j.value("job_type", "service");
    a.datacenter = j.value("datacenter", "dc1");
    a.host = j.value("host", "");
    a.host_address = j.value("host_address", "");
    a.data_dir = j.at("data_dir").get<std::string>();
    for (const auto& p : j.value("ports", nlohmann::json::array()))
      a.ports.push_back({p.at("label").get<std::string>(), p.at("host_port").get<int>(), p.value("to", 0)});
    a.task_spec_hashes = j.value("task_spec_hashes", std::map<std::string, std::string>{});
    a.job_spec_hash = j.value("job_spec_hash", "");
    if (auto r = j.find("resources"); r != j.end() && r->is_object()) {
      a.cpu_mhz = r->value("cpu_mhz", int64_t{0});
      a.memory_mb = r->value("memory_mb", int64_t{0});
      a.disk_mb = r->value("disk_mb", int64_t{0});
    }
    a.created_unix = j.value("created_unix", int64_t{0});
    a.canary = j.value("canary", false);
    if (!is_allocation_id(a.id)) return std::nullopt;
    return a;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::string task_spec_hash(const nlohmann::json& task_spec) {
  return "sha256:" + base::sha256_hex_prefix(task_spec.dump(), 16);
}

std::string format_uuid_v4(std::array<uint8_t, 16> b) {
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

std::string new_allocation_id() { return format_uuid_v4(base::random_16_bytes()); }

bool is_allocation_id(const std::string& id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace skiff::drivers
