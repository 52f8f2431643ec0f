#include "cli/adoption.hpp"

#include "base/text.hpp"
#include "drivers/task/alloc_json_write.hpp"

namespace skiff::cli {

std::vector<std::string> adopt_allocations(FleetAccess& access, const Workspace& workspace, FleetView& view,
                                           const std::string& lineage) {
  std::vector<spec::Host> hosts;
  for (const spec::Host& host : workspace.inventory.hosts)
    if (view.adopted.count(host.name)) hosts.push_back(host);
  if (hosts.empty()) return {};
  for (auto& [host, allocations] : view.adopted)
    for (drivers::Allocation& a : allocations) {
      a.lineage = lineage;
      auto observed = view.observed.find({host, a.id});
      if (observed != view.observed.end()) observed->second.allocation.lineage = lineage;
    }
  std::vector<Result<drivers::CommandResult>> results =
      access.run_on(hosts, [&](const spec::Host& host) { return drivers::write_alloc_json_command(view.adopted.at(host.name)); });
  std::vector<std::string> errors;
  for (size_t i = 0; i < hosts.size(); ++i) {
    const std::string what =
        hosts[i].name + ": adopt " + std::to_string(view.adopted.at(hosts[i].name).size()) + " allocation(s): ";
    if (!results[i].ok()) errors.push_back(what + results[i].error().message);
    else if (!results[i]->success())
      errors.push_back(what + base::terminal_safe(base::without_trailing_space(results[i]->stderr_data)));
  }
  view.adopted.clear();
  return errors;
}

}  // namespace skiff::cli
