// skiff state rebuild [-adopt-foreign] [-inventory F] [-parallelism N]: the
// allocation table from the hosts alone, for when the state file was lost.
// Every allocation carries its own metadata (alloc.json), so observing every
// host gives back which job, group, index and version runs where. Job
// version history and deployments cannot come back from the hosts; an
// existing state keeps them. Only this state's allocations (and those of no
// state yet) are taken in: another state's, such as those of a lost state
// file whose rebuilt state has a new lineage, only with -adopt-foreign,
// which then writes this state's lineage into them (reconciler/ownership.hpp).
#include <chrono>
#include <memory>

#include "cli/adoption.hpp"
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
  bool adopt_foreign = false;
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
  state::State& state = locked->state;
  // Taking in what the state never recorded is what a rebuild is for; an id
  // two hosts report, or one the state records elsewhere, is still drift.
  const Owner owner{state,
                    options.adopt_foreign ? reconciler::ForeignAllocations::kAdopt : reconciler::ForeignAllocations::kLeaveAlone,
                    reconciler::UnrecordedAllocations::kTakeIn};
  std::optional<ObservedFleet> fleet = observe_workspace(*workspace, options.parallelism, FleetUse::kChange, owner, context);
  if (!fleet) return kExitError;
  FleetView& view = fleet->view;
  const int64_t now = now_unix();
  const size_t before = state.allocations.size();
  merge_observed(state, view, now);
  if (Status saved = locked->store->save(state, locked->read_serial); !saved.ok()) {
    context.err << "skiff: " << saved.error().message << "\n";
    return kExitError;
  }
  size_t adopted = 0;
  for (const auto& [host, allocations] : view.adopted) adopted += allocations.size();
  const std::vector<std::string> unadopted = adopt_allocations(fleet->access, *workspace, view, state.lineage);
  context.out << "Rebuilt the allocation table from " << view.facts.size() << " host(s): " << view.observed.size()
              << " allocation(s) found, " << state.allocations.size() - before << " of them new to the state ("
              << locked->store->describe() << ", serial " << state.serial << ").\n";
  if (adopted > 0) context.out << "Adopted " << adopted << " allocation(s): they carry this state's lineage now.\n";
  if (view.foreign > 0)
    context.out << view.foreign
                << " allocation(s) of other states left alone (`skiff state rebuild -adopt-foreign` takes them).\n";
  for (const std::string& error : unadopted) context.err << "skiff: " << error << "\n";
  return view.warnings.empty() && unadopted.empty() ? kExitOk : kExitError;
}

}  // namespace

void register_state_rebuild(CLI::App& app, Context& context) {
  CLI::App* state = app.get_subcommand("state");
  auto options = std::make_shared<RebuildOptions>();
  CLI::App* command = state->add_subcommand("rebuild", "Rebuild the allocation table from what every host reports");
  command->add_flag("--adopt-foreign", options->adopt_foreign,
                    "Also take in other states' allocations (a lost state file's), writing this state's lineage into them");
  add_inventory_flag(*command, options->inventory);
  add_parallelism_flag(*command, options->parallelism);
  command->footer(
      "Job version history and deployments cannot be read back from hosts; an existing state keeps them.\n"
      "Only this state's allocations are taken in (and those from before skiff recorded lineages);\n"
      "another state's only with -adopt-foreign: a rebuilt state has a new lineage, so after losing\n"
      "the state file, `skiff state rebuild -adopt-foreign` takes back what it ran.\n"
      "Exit status: 1 when a host could not be observed (its allocations are missing from the table).\n"
      "Examples:\n"
      "  skiff state rebuild\n"
      "  skiff state rebuild -adopt-foreign   # the state file was lost: take back what it ran\n"
      "  skiff state rebuild -inventory prod-hosts.hcl -parallelism 100");
  command->callback([options, &context] { context.exit_code = rebuild(*options, context); });
}

}  // namespace skiff::cli
