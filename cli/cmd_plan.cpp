// skiff plan [PATHS] [-var ...] [-out FILE] [-json] [-detailed-exitcode]
// [-prune] [-no-color]: evaluates the job files, observes every host at
// once, and shows what apply would change, as Terraform and `nomad job
// plan` do. Changes nothing anywhere.
#include <memory>

#include "cli/commands.hpp"
#include "cli/fleet_view.hpp"
#include "cli/job_set.hpp"
#include "cli/plan_file.hpp"
#include "cli/planning.hpp"
#include "cli/state_access.hpp"
#include "cli/workspace.hpp"
#include "parser/load.hpp"
#include "reconciler/diff.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/plan/plan_render.hpp"

namespace skiff::cli {

namespace {

struct PlanOptions {
  std::vector<std::string> paths;
  VarFlags flags;
  std::string out;
  std::string inventory;
  bool json = false;
  bool detailed_exitcode = false;
  bool prune = false;
  bool no_color = false;
  int parallelism = 0;
};

constexpr int kExitChanges = 2;

int run_plan(const PlanOptions& options, Context& context) {
  std::optional<Workspace> workspace = load_workspace(options.inventory, context);
  if (!workspace) return kExitError;
  std::optional<JobSet> set = load_job_set(options.paths, options.flags, *workspace, context);
  if (!set) return kExitError;

  // The state, when there is one, gives each job's current version and
  // spec, and its lineage which allocations are its own; reading it takes
  // no lock.
  std::optional<state::State> current;
  if (Result<std::unique_ptr<state::StateStore>> store = open_state_store(*workspace); store.ok()) {
    Result<std::optional<state::State>> loaded = (*store)->load();
    if (!loaded.ok()) {
      context.err << "skiff: " << loaded.error().message << "\n";
      return kExitError;
    }
    current = std::move(*loaded);
  }
  const state::State none{};
  const Owner owner{current ? *current : none};
  std::optional<ObservedFleet> fleet = observe_workspace(*workspace, options.parallelism, FleetUse::kRead, owner, context);
  if (!fleet) return kExitError;
  FleetView& view = fleet->view;
  reconciler::Plan plan = compute(*set, view, current, options.prune);

  if (options.json) context.out << pretty_json(reconciler::plan_to_json(plan)) << "\n";
  else context.out << reconciler::render_plan(plan, render_options(options.no_color, context));
  if (!options.out.empty()) {
    if (Status saved = save_plan(options.out, plan, *set, options.flags); !saved.ok()) {
      context.err << "skiff: " << saved.error().message << "\n";
      return kExitError;
    }
    if (!options.json)
      context.out << "\nSaved the plan to " << options.out << ": `skiff apply " << options.out << "` carries it out.\n";
  }
  if (options.detailed_exitcode && reconciler::has_changes(plan)) return kExitChanges;
  return kExitOk;
}

}  // namespace

void register_plan(CLI::App& app, Context& context) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* command = app.add_subcommand("plan", "Show what apply would change on the fleet to match the job files");
  command->add_option("paths", options->paths,
                      "Job files or directories. Default: the jobs of ./skiff.hcl, else the current directory");
  add_var_flags(*command, options->flags);
  command->add_option("--out", options->out, "Save the plan to FILE for `skiff apply FILE`");
  command->add_flag("--json", options->json, "Print the plan as one JSON object (docs/plan-json.md)");
  command->add_flag("--detailed-exitcode", options->detailed_exitcode, "Exit 0 without changes, 1 on error, 2 with changes");
  command->add_flag("--prune", options->prune, "Stop jobs that run on the fleet but are no longer in the job files");
  command->add_flag("--no-color", options->no_color,
                    "No colours (they are used only on a terminal, and never with NO_COLOR set)");
  add_inventory_flag(*command, options->inventory);
  add_parallelism_flag(*command, options->parallelism);
  command->footer(
      "Exit status: 0 on success; 1 on an error; with -detailed-exitcode, 2 when there are changes\n"
      "(in-place updates count as changes).\n"
      "Examples:\n"
      "  skiff plan\n"
      "  skiff plan -detailed-exitcode -no-color jobs/\n"
      "  skiff plan -out release.plan && skiff apply release.plan");
  command->callback([options, &context] { context.exit_code = run_plan(*options, context); });
}

}  // namespace skiff::cli
