// `skiff node status`: what each inventory host reported, as a table for
// people and as JSON for scripts. Pure: the command gathers the reports.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "drivers/host/host_facts.hpp"
#include "parser/spec/inventory.hpp"

namespace skiff::cli {

struct NodeReport {
  spec::Host host;
  // The facts, or why the host could not be reached or read.
  Result<drivers::HostFacts> facts;
};

// One row per host (Name, Address, DC, Class, Status, OS, Arch, Cores, CPU,
// Memory, Disk free, Drivers), then one line per unreachable host and per
// driver found but not working, then a summary line.
std::string render_node_table(const std::vector<NodeReport>& reports);

// {"hosts": [...], "summary": {...}}; field by field in the README.
nlohmann::json node_reports_json(const std::vector<NodeReport>& reports);

// "8.0 GiB", "512 MiB".
std::string format_megabytes(int64_t mb);

}  // namespace skiff::cli
