#include "drivers/task/allocation.hpp"

#include "base/digest.hpp"
#include "base/json_reader.hpp"
#include "base/random_bytes.hpp"

#include <algorithm>
#include <optional>

namespace skiff::drivers {

nlohmann::json allocation_to_json(const Allocation& a) {
  nlohmann::json ports = nlohmann::json::array();
  for (const AssignedPort& p : a.ports) ports.push_back({{"label", p.label}, {"host_port", p.host_port}, {"to", p.to}});
  nlohmann::json hooks = nlohmann::json::object();
  for (const auto& [task, h] : a.task_hooks) hooks[task] = {{"hook", h.hook}, {"sidecar", h.sidecar}};
  return {{"format", 1},
          {"id", a.id},
          {"job", a.job},
          {"group", a.group},
          {"index", a.index},
          {"job_version", a.job_version},
          {"job_type", a.job_type},
          {"datacenter", a.datacenter},
          {"host", a.host},
          {"host_address", a.host_address},
          {"data_dir", a.data_dir},
          {"ports", ports},
          {"task_spec_hashes", a.task_spec_hashes},
          {"job_spec_hash", a.job_spec_hash},
          {"resources", {{"cpu_mhz", a.cpu_mhz}, {"memory_mb", a.memory_mb}, {"disk_mb", a.disk_mb}}},
          {"created_unix", a.created_unix},
          {"canary", a.canary},
          {"lineage", a.lineage},
          {"task_hooks", hooks}};
}

// Declared in skiff::drivers so that base's decode templates find it.
static Status decode(const nlohmann::json& value, const base::JsonPath& path, AssignedPort& out) {
  base::Fields f(value, path, base::UnknownFields::kIgnore);
  f.require("label", out.label);
  f.require("host_port", out.host_port);
  f.get("to", out.to);
  return f.finish();
}

static Status decode(const nlohmann::json& value, const base::JsonPath& path, TaskHook& out) {
  base::Fields f(value, path, base::UnknownFields::kIgnore);
  f.require("hook", out.hook);
  f.get("sidecar", out.sidecar);
  if (f.ok() && out.hook != "prestart" && out.hook != "poststart" && out.hook != "poststop")
    f.fail(f.path_of("hook").error("not a lifecycle hook (prestart, poststart or poststop)"));
  return f.finish();
}

namespace {

Status decode_resources(const nlohmann::json& value, const base::JsonPath& path, Allocation& a) {
  base::Fields f(value, path, base::UnknownFields::kIgnore);
  f.get("cpu_mhz", a.cpu_mhz);
  f.get("memory_mb", a.memory_mb);
  f.get("disk_mb", a.disk_mb);
  return f.finish();
}

}  // namespace

Result<Allocation> allocation_from_json(const nlohmann::json& j) {
  Allocation a;
  base::Fields f(j, base::JsonPath("", base::Wording::kNamesFound), base::UnknownFields::kIgnore);
  f.require("id", a.id);
  f.require("job", a.job);
  f.require("group", a.group);
  f.require("index", a.index);
  f.require("job_version", a.job_version);
  f.get("job_type", a.job_type);
  f.get("datacenter", a.datacenter);
  f.get("host", a.host);
  f.get("host_address", a.host_address);
  f.require("data_dir", a.data_dir);
  f.get("ports", a.ports);
  f.get("task_spec_hashes", a.task_spec_hashes);
  f.get("job_spec_hash", a.job_spec_hash);
  if (const nlohmann::json* resources = f.find("resources", base::Need::kOptional))
    if (Status status = decode_resources(*resources, f.path_of("resources"), a); !status) f.fail(status.error());
  f.get("created_unix", a.created_unix);
  f.get("canary", a.canary);
  f.get("lineage", a.lineage);
  f.get("task_hooks", a.task_hooks);
  // The id names the allocation's folder: only ids skiff makes may.
  if (f.ok() && !is_allocation_id(a.id)) f.fail(f.path_of("id").error("not an allocation id skiff makes"));
  // The lineage reaches messages and is written back on adoption: a state's
  // lineage is a UUID of the same form, or nothing (written before lineages).
  if (f.ok() && !a.lineage.empty() && !is_allocation_id(a.lineage))
    f.fail(f.path_of("lineage").error("not a state lineage skiff makes (a UUID)"));
  Status status = f.finish();
  if (!status) return status.error().wrap("alloc.json");
  return a;
}

std::string task_spec_hash(const nlohmann::json& task_spec) { return "sha256:" + base::sha256_hex_prefix(task_spec.dump(), 16); }

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

Result<std::string> new_allocation_id() {
  Result<std::vector<uint8_t>> random = base::random_bytes(16);
  if (!random.ok()) return random.error().wrap("new allocation id");
  std::array<uint8_t, 16> bytes{};
  std::copy(random->begin(), random->end(), bytes.begin());
  return format_uuid_v4(bytes);
}

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
