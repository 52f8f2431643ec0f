// skiff node status [-json] [-inventory F] [-parallelism N]: reaches every
// inventory host at once and prints what each one is, or why it could not
// be reached. One remote command per host (the fingerprint).
#include <chrono>
#include <memory>

#include "cli/commands.hpp"
#include "cli/fleet_access.hpp"
#include "cli/job_files.hpp"
#include "cli/node_status.hpp"
#include "cli/workspace.hpp"
#include "drivers/host/fingerprint.hpp"

namespace skiff::cli {

namespace {

using namespace std::chrono_literals;

struct NodeStatusOptions {
  bool json = false;
  std::string inventory;
  int parallelism = 0;  // 0: skiff.hcl's ssh { parallelism }
};

int node_status(const NodeStatusOptions& options, Context& context) {
  std::optional<Workspace> workspace = load_workspace(options.inventory, context);
  if (!workspace) return kExitError;
  Result<FleetAccess> access = open_fleet(*workspace, options.parallelism, FleetUse::kRead, context);
  if (!access.ok()) {
    context.err << "skiff: " << access.error().message << "\n";
    return kExitError;
  }
  const std::vector<spec::Host>& hosts = workspace->inventory.hosts;
  std::vector<Result<drivers::CommandResult>> results =
      access->run_on(hosts, [](const spec::Host& host) { return drivers::fingerprint_command(host.data_dir); });
  std::vector<NodeReport> reports;
  for (size_t i = 0; i < hosts.size(); ++i) reports.push_back(NodeReport{hosts[i], drivers::facts_from_fingerprint(results[i])});

  if (options.json) context.out << pretty_json(node_reports_json(reports)) << "\n";
  else context.out << render_node_table(reports);
  for (const NodeReport& report : reports)
    if (!report.facts.ok()) return kExitError;
  return kExitOk;
}

}  // namespace

void register_node(CLI::App& app, Context& context) {
  CLI::App* node = app.add_subcommand("node", "Hosts of the inventory");
  node->require_subcommand(1);
  node->footer(
      "Examples:\n"
      "  skiff node status\n"
      "  skiff node drain web-2 -enable\n"
      "  skiff node eligibility web-2 -disable");
  auto options = std::make_shared<NodeStatusOptions>();
  CLI::App* status = node->add_subcommand("status", "Reach every host and show what it is: OS, resources, drivers");
  status->add_flag("--json", options->json, "Print JSON (documented in the README) instead of a table");
  add_inventory_flag(*status, options->inventory);
  add_parallelism_flag(*status, options->parallelism);
  status->footer(
      "Exit status: 0 when every host answered, 1 when any could not be reached (each is named).\n"
      "Examples:\n"
      "  skiff node status\n"
      "  skiff node status -inventory prod-hosts.hcl -parallelism 200 -json");
  status->callback([options, &context] { context.exit_code = node_status(*options, context); });
}

}  // namespace skiff::cli
