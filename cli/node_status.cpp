#include "cli/node_status.hpp"

#include <cstdio>

#include "cli/table.hpp"

namespace skiff::cli {

namespace {

using drivers::DriverFact;
using drivers::HostCapacity;
using drivers::HostFacts;

std::string address_of(const spec::Host& host) {
  if (host.transport == spec::Transport::kLocal) return "(local)";
  if (host.port && *host.port != 22) return host.address + ":" + std::to_string(*host.port);
  return host.address;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

template <typename T, typename Format>
std::string optional_text(const std::optional<T>& value, Format format) {
  return value ? format(*value) : "-";
}

// "exec, raw_exec, podman 4.3.1": the drivers that work, with versions.
std::string working_drivers(const HostFacts& facts) {
  std::string out;
  for (const auto& [name, driver] : facts.drivers) {
    if (!driver.healthy) continue;
    if (!out.empty()) out += ", ";
    out += name;
    if (!driver.version.empty()) out += " " + driver.version;
  }
  return or_dash(out);
}

std::string os_text(const HostFacts& facts) {
  std::string os = facts.os_name.empty() ? facts.kernel_name : facts.os_name;
  if (!facts.os_version.empty()) os += " " + facts.os_version;
  return or_dash(os);
}

std::vector<std::string> row_for(const NodeReport& report) {
  const spec::Host& host = report.host;
  std::vector<std::string> row = {host.name, address_of(host), host.datacenter, or_dash(host.node_class)};
  if (!report.facts.ok()) {
    row.insert(row.end(), {"down", "-", "-", "-", "-", "-", "-", "-"});
    return row;
  }
  const HostFacts& facts = *report.facts;
  const HostCapacity capacity = drivers::host_capacity(host, facts);
  auto mhz = [](int64_t v) { return std::to_string(v) + " MHz"; };
  row.insert(
      row.end(),
      {"ready", os_text(facts), or_dash(facts.arch), optional_text(capacity.cores, [](int v) { return std::to_string(v); }),
       optional_text(capacity.cpu_total_mhz, mhz), optional_text(capacity.memory_mb, format_megabytes),
       optional_text(capacity.disk_mb, format_megabytes), working_drivers(facts)});
  return row;
}

template <typename T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json facts_json(const HostFacts& facts) {
  nlohmann::json drivers = nlohmann::json::object();
  for (const auto& [name, d] : facts.drivers) {
    drivers[name] = {{"detected", d.detected}, {"healthy", d.healthy}, {"version", d.version}, {"reason", d.reason}};
  }
  return {{"hostname", facts.hostname},
          {"kernel_name", facts.kernel_name},
          {"kernel_version", facts.kernel_version},
          {"arch", facts.arch},
          {"os_name", facts.os_name},
          {"os_version", facts.os_version},
          {"cores", optional_json(facts.cores)},
          {"cpu_mhz", optional_json(facts.cpu_mhz)},
          {"cpu_total_mhz", optional_json(facts.cpu_total_mhz())},
          {"memory_mb", optional_json(facts.memory_mb)},
          {"disk_free_mb", optional_json(facts.disk_free_mb)},
          {"disk_total_mb", optional_json(facts.disk_total_mb)},
          {"cgroup", facts.cgroup},
          {"boot_id", facts.boot_id},
          {"uid", optional_json(facts.uid)},
          {"clock_unix", optional_json(facts.clock_unix)},
          {"drivers", drivers}};
}

nlohmann::json capacity_json(const HostCapacity& capacity) {
  std::vector<std::string> from_inventory;
  if (capacity.cores_from_inventory) from_inventory.push_back("cores");
  if (capacity.cpu_from_inventory) from_inventory.push_back("cpu_mhz");
  if (capacity.memory_from_inventory) from_inventory.push_back("memory_mb");
  if (capacity.disk_from_inventory) from_inventory.push_back("disk_mb");
  return {{"cores", optional_json(capacity.cores)},
          {"cpu_mhz", optional_json(capacity.cpu_total_mhz)},
          {"memory_mb", optional_json(capacity.memory_mb)},
          {"disk_mb", optional_json(capacity.disk_mb)},
          {"from_inventory", from_inventory}};
}

}  // namespace

std::string format_megabytes(int64_t mb) {
  if (mb < 1024) return std::to_string(mb) + " MiB";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f GiB", static_cast<double>(mb) / 1024.0);
  return buffer;
}

std::string render_node_table(const std::vector<NodeReport>& reports) {
  Table table({"Name", "Address", "DC", "Class", "Status", "OS", "Arch", "Cores", "CPU", "Memory", "Disk free", "Drivers"});
  for (const NodeReport& report : reports) table.add_row(row_for(report));
  std::string out = table.render();

  std::string notes;
  std::vector<std::string> down;
  for (const NodeReport& report : reports) {
    if (!report.facts.ok()) {
      down.push_back(report.host.name);
      notes += report.host.name + ": unreachable: " + report.facts.error().message + "\n";
      continue;
    }
    for (const auto& [name, driver] : report.facts->drivers) {
      if (driver.detected && !driver.healthy)
        notes += report.host.name + ": driver " + name + " unavailable: " + driver.reason + "\n";
    }
  }
  if (!notes.empty()) out += "\n" + notes;
  out += "\n";
  if (down.empty()) {
    out += std::to_string(reports.size()) + (reports.size() == 1 ? " host" : " hosts") + " ready.\n";
  } else {
    std::string names;
    for (const std::string& name : down) names += (names.empty() ? "" : ", ") + name;
    out += std::to_string(down.size()) + " of " + std::to_string(reports.size()) + " hosts unreachable: " + names + "\n";
  }
  return out;
}

nlohmann::json node_reports_json(const std::vector<NodeReport>& reports) {
  nlohmann::json hosts = nlohmann::json::array();
  size_t ready = 0;
  for (const NodeReport& report : reports) {
    const spec::Host& host = report.host;
    nlohmann::json entry = {{"name", host.name},
                            {"transport", spec::to_string(host.transport)},
                            {"address", host.transport == spec::Transport::kLocal ? "" : host.address},
                            {"port", optional_json(host.port)},
                            {"datacenter", host.datacenter},
                            {"node_class", host.node_class},
                            {"node_pool", host.node_pool}};
    if (report.facts.ok()) {
      ++ready;
      entry["status"] = "ready";
      entry["error"] = nullptr;
      entry["resources"] = capacity_json(drivers::host_capacity(host, *report.facts));
      entry["facts"] = facts_json(*report.facts);
    } else {
      entry["status"] = "down";
      entry["error"] = report.facts.error().message;
      entry["resources"] = nullptr;
      entry["facts"] = nullptr;
    }
    hosts.push_back(std::move(entry));
  }
  return {{"hosts", hosts}, {"summary", {{"total", reports.size()}, {"ready", ready}, {"down", reports.size() - ready}}}};
}

}  // namespace skiff::cli
