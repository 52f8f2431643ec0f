// skiff state rebuild [-inventory F] [-parallelism N]: the allocation table
// from the hosts alone, for when the state file was lost. Every allocation
// carries its own metadata (alloc.json), so observing every host gives back
// which job, group, index and version runs where. Job version history and
// deployments cannot come back from the hosts; an existing state keeps
// them.
#include <chrono>
#include <memory>

#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/fleet_view.hpp"
#include "cli/locked_state.hpp"
#include "cli/state_recorder.hpp"
#include "cli/workspace.hpp"

namespace skiff::cli {

namespace {

struct RebuildOptions {
  std::string inventory;
  int parallelism = 0;
};

int rebuild(const RebuildOptions& options, Context& context) {
  std::optional<Workspace> workspace = load_workspace(options.inventory, context);
  if (!workspace) return kExitError;
  // A state that cannot be read is not written over, rebuild or not.
  Result<LockedState> locked = lock_state(*workspace, "state rebuild", std::chrono::milliseconds(0));
  if (!locked.ok()) {
    context.err << "skiff: " << locked.error().message << "\n";
    return kExitError;
  }
  std::optional<ObservedFleet> fleet = observe_workspace(*workspace, options.parallelism, FleetUse::kChange, context);
  if (!fleet) return kExitError;
  FleetView& view = fleet->view;
  state::State& state = locked->state;
  const int64_t now = now_unix();
  const size_t before = state.allocations.size();
  merge_observed(state, view, now);
  if (Status saved = locked->store->save(state, locked->read_serial); !saved.ok()) {
    context.err << "skiff: " << saved.error().message << "\n";
    return kExitError;
  }
  context.out << "Rebuilt the allocation table from " << view.facts.size() << " host(s): " << view.observed.size()
              << " allocation(s) found, " << state.allocations.size() - before << " of them new to the state ("
              << locked->store->describe() << ", serial " << state.serial << ").\n";
  return view.warnings.empty() ? kExitOk : kExitError;
}

}  // namespace

void register_state_rebuild(CLI::App& app, Context& context) {
  CLI::App* state = app.get_subcommand("state");
  auto options = std::make_shared<RebuildOptions>();
  CLI::App* command = state->add_subcommand("rebuild", "Rebuild the allocation table from what every host reports");
  add_inventory_flag(*command, options->inventory);
  add_parallelism_flag(*command, options->parallelism);
  command->footer(
      "Job version history and deployments cannot be read back from hosts; an existing state keeps them.\n"
      "Exit status: 1 when a host could not be observed (its allocations are missing from the table).\n"
      "Examples:\n"
      "  skiff state rebuild\n"
      "  skiff state rebuild -inventory prod-hosts.hcl -parallelism 100");
  command->callback([options, &context] { context.exit_code = rebuild(*options, context); });
}

}  // namespace skiff::cli
