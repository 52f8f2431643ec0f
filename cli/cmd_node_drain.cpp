// skiff node drain HOST -enable|-disable [-deadline D] [-json] and skiff node
// eligibility HOST -enable|-disable [-json]: kept in the state (under its
// lock), honoured by every later plan. A draining host takes no new
// allocations and the next apply migrates its allocations away,
// migrate.max_parallel at a time per group, or all at once once the
// deadline has passed; an ineligible host keeps what runs there but takes
// nothing new.
#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/job_files.hpp"
#include "cli/locked_state.hpp"
#include "cli/workspace.hpp"

namespace skiff::cli {

namespace {

struct NodeFlagOptions {
  std::string host;
  bool enable = false;
  bool disable = false;
  std::string deadline;  // drain only: "1h"; empty: none
  bool json = false;
  std::string inventory;
};

enum class NodeFlag { kDrain, kEligibility };

int set_node_flag(NodeFlag flag, const NodeFlagOptions& options, Context& context) {
  if (options.enable == options.disable) {
    context.err << "skiff: give exactly one of -enable and -disable\n";
    return kExitError;
  }
  std::optional<spec::Duration> deadline;
  if (!options.deadline.empty()) {
    deadline = spec::parse_duration(options.deadline);
    if (!deadline || !options.enable) {
      context.err << "skiff: -deadline needs -enable and a duration (e.g. 30m, 1h), not \"" << options.deadline << "\"\n";
      return kExitError;
    }
  }
  std::optional<Workspace> workspace = load_workspace(options.inventory, context);
  if (!workspace) return kExitError;
  if (!workspace->inventory.find(options.host)) {
    context.err << "skiff: no host \"" << options.host << "\" in the inventory\n";
    return kExitError;
  }
  Result<LockedState> locked =
      lock_state(*workspace, flag == NodeFlag::kDrain ? "node drain" : "node eligibility", std::chrono::milliseconds(0));
  if (!locked.ok()) {
    context.err << "skiff: " << locked.error().message << "\n";
    return kExitError;
  }
  state::HostRecord& host = locked->state.hosts[options.host];
  if (flag == NodeFlag::kDrain) {
    host.draining = options.enable;
    host.drain_deadline_unix.reset();
    if (options.enable && deadline) host.drain_deadline_unix = now_unix() + deadline->nanoseconds / 1000000000;
  } else {
    host.eligible = options.enable;
  }
  if (Status saved = locked->store->save(locked->state, locked->read_serial); !saved.ok()) {
    context.err << "skiff: " << saved.error().message << "\n";
    return kExitError;
  }
  if (options.json) {
    nlohmann::json j = {{"host", options.host}, {"draining", host.draining}, {"eligible", host.eligible}};
    j["drain_deadline_unix"] = host.drain_deadline_unix ? nlohmann::json(*host.drain_deadline_unix) : nlohmann::json();
    context.out << pretty_json(j);
  } else if (flag == NodeFlag::kDrain && options.enable) {
    context.out << "Host " << options.host
                << " is draining: it takes no new allocations, and `skiff apply` migrates what runs there"
                << (deadline ? " (all at once after the -deadline " + options.deadline + ")" : "") << ".\n";
  } else if (flag == NodeFlag::kDrain) {
    context.out << "Host " << options.host << " is no longer draining.\n";
  } else {
    context.out << "Host " << options.host << " is "
                << (options.enable ? "eligible" : "ineligible: it keeps what runs there, and takes nothing new") << ".\n";
  }
  return kExitOk;
}

void add_node_flag_command(CLI::App& node, Context& context, NodeFlag flag) {
  auto options = std::make_shared<NodeFlagOptions>();
  CLI::App* command = flag == NodeFlag::kDrain
      ? node.add_subcommand("drain", "Drain a host: nothing new goes there, and apply migrates its allocations away")
      : node.add_subcommand("eligibility", "Let a host take new allocations, or not");
  command->add_option("host", options->host, "The inventory host")->required();
  command->add_flag("--enable", options->enable, flag == NodeFlag::kDrain ? "Start draining" : "Make it eligible");
  command->add_flag("--disable", options->disable, flag == NodeFlag::kDrain ? "Stop draining" : "Make it ineligible");
  if (flag == NodeFlag::kDrain)
    command->add_option("--deadline", options->deadline,
                        "After this long (e.g. 1h), what is left migrates at once, regardless of migrate.max_parallel");
  command->add_flag("--json", options->json, "Print the host's drain and eligibility as JSON");
  add_inventory_flag(*command, options->inventory);
  command->footer(flag == NodeFlag::kDrain ? "Kept in the state; the next `skiff apply` migrates the host's allocations away.\n"
                                             "Examples:\n"
                                             "  skiff node drain web-2 -enable -deadline 1h\n"
                                             "  skiff node drain web-2 -disable"
                                           : "An ineligible host keeps what runs there and takes nothing new.\n"
                                             "Examples:\n"
                                             "  skiff node eligibility web-2 -disable\n"
                                             "  skiff node eligibility web-2 -enable -json");
  command->callback([flag, options, &context] { context.exit_code = set_node_flag(flag, *options, context); });
}

}  // namespace

void register_node_flags(CLI::App& app, Context& context) {
  CLI::App* node = app.get_subcommand("node");
  add_node_flag_command(*node, context, NodeFlag::kDrain);
  add_node_flag_command(*node, context, NodeFlag::kEligibility);
}

}  // namespace skiff::cli
