// skiff state show [-json] and skiff state unlock LOCK_ID: what the state
// holds, and releasing a lock whose holder is stuck. Neither takes the
// lock: a save replaces the file atomically, so a reader always sees one
// whole state.
#include <memory>

#include "cli/commands.hpp"
#include "cli/job_files.hpp"
#include "cli/state_access.hpp"
#include "cli/state_tables.hpp"
#include "cli/workspace.hpp"
#include "state/lock_message.hpp"
#include "state/state_json.hpp"

namespace skiff::cli {

namespace {

std::string render_summary(const state::StateStore& store, const state::State& state) {
  std::string out = "State:   " + store.describe() + "\n";
  out += "Lineage: " + state.lineage + "\n";
  out += "Serial:  " + std::to_string(state.serial) + "\n";
  auto section = [&out](const std::string& title, bool empty, const std::string& table) {
    out += "\n" + title + "\n" + (empty ? std::string("(none)\n") : table);
  };
  section("Jobs", state.jobs.empty(), jobs_table(state));
  section("Allocations", state.allocations.empty(), allocations_table(state));
  section("Deployments", state.deployments.empty(), deployments_table(state));
  section("Hosts", state.hosts.empty(), hosts_table(state));
  return out;
}

// The store of the project in the current directory, or nullptr after
// saying why on context.err.
std::unique_ptr<state::StateStore> open_store(Context& context) {
  std::optional<Workspace> workspace = load_workspace("", context);
  if (!workspace) return nullptr;
  Result<std::unique_ptr<state::StateStore>> store = open_state_store(*workspace);
  if (!store.ok()) {
    context.err << "skiff: " << store.error().message << "\n";
    return nullptr;
  }
  return std::move(*store);
}

int state_show(bool json, Context& context) {
  std::unique_ptr<state::StateStore> store = open_store(context);
  if (!store) return kExitError;
  Result<std::optional<state::State>> loaded = store->load();
  if (!loaded.ok()) {
    context.err << "skiff: " << loaded.error().message << "\n";
    return kExitError;
  }
  if (json) {
    context.out << (loaded->has_value() ? pretty_json(state::state_to_json(**loaded)) : std::string("null")) << "\n";
    return kExitOk;
  }
  if (!loaded->has_value()) context.out << "No state yet (" << store->describe() << "): nothing has been applied.\n";
  else context.out << render_summary(*store, **loaded);
  Result<std::optional<state::LockInfo>> holder = store->holder();
  if (holder.ok() && holder->has_value()) context.out << "\nLocked by " << state::describe_holder(**holder) << "\n";
  return kExitOk;
}

int state_unlock(const std::string& id, Context& context) {
  std::unique_ptr<state::StateStore> store = open_store(context);
  if (!store) return kExitError;
  Result<std::optional<state::LockInfo>> holder = store->holder();
  Status released = store->force_unlock(id);
  if (!released) {
    context.err << "skiff: " << released.error().message << "\n";
    return kExitError;
  }
  context.out << "Released the state lock";
  if (holder.ok() && holder->has_value()) context.out << " held by " << state::describe_holder(**holder);
  context.out << ".\nThat process was not stopped: make sure it no longer writes to the fleet.\n";
  return kExitOk;
}

}  // namespace

void register_state(CLI::App& app, Context& context) {
  CLI::App* state = app.add_subcommand("state", "The state: what skiff has applied, and its lock");
  state->require_subcommand(1);
  state->footer(
      "Examples:\n"
      "  skiff state show\n"
      "  skiff state unlock 5d0f2c1e-8a3b-4c7d-9e2f-0123456789ab\n"
      "  skiff state rebuild");

  auto json = std::make_shared<bool>(false);
  CLI::App* show = state->add_subcommand("show", "Show the state: jobs, allocations, deployments, hosts");
  show->add_flag("--json", *json, "Print the state's JSON (docs/state-json.md) instead of a summary");
  show->footer(
      "Examples:\n"
      "  skiff state show\n"
      "  skiff state show -json");
  show->callback([json, &context] { context.exit_code = state_show(*json, context); });

  auto id = std::make_shared<std::string>();
  CLI::App* unlock = state->add_subcommand("unlock", "Release the state lock of a process that is stuck");
  unlock->add_option("LOCK_ID", *id, "The lock id, as the error of a locked command names it")->required();
  unlock->footer(
      "Only the current lock's id releases it. A holder that exits lets go by itself; unlock is for one that hangs.\n"
      "Examples:\n"
      "  skiff state unlock 5d0f2c1e-8a3b-4c7d-9e2f-0123456789ab");
  unlock->callback([id, &context] { context.exit_code = state_unlock(*id, context); });
}

}  // namespace skiff::cli
