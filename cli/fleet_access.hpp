// Reaching the inventory's hosts from a command: one HostFleet with every
// host that could be turned into a target, and why the others could not.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/workspace.hpp"
#include "drivers/host_fleet.hpp"

namespace skiff::cli {

struct Context;

// What a command does with the fleet. With an SSH keeper busy with another
// run's batch, a run that changes the fleet (under the state lock) waits
// for that batch, whose effects it must observe (that run may have been
// killed and its batch still be starting allocations); a read-only run
// connects directly instead of waiting.
enum class FleetUse { kRead, kChange };

struct FleetAccess {
  std::unique_ptr<drivers::HostFleet> fleet;
  // Hosts whose SSH settings could not be worked out, with the reason.
  std::map<std::string, Error> unusable;

  // Runs command_for(host) on every usable host of `hosts` at once; a
  // result per host, in order (the unusable ones carry their reason).
  template <typename CommandFor>
  std::vector<Result<drivers::CommandResult>> run_on(const std::vector<spec::Host>& hosts, CommandFor command_for);
};

// REQUIRES: workspace outlives nothing here; targets are copied.
// `parallelism` 0: skiff.hcl's ssh { parallelism }. With ssh {
// control_persist }, SSH commands go through the SSH keeper
// (drivers/ssh_keeper.hpp); its warnings go to context.err. Fails only when
// ~/.ssh/config cannot be read.
Result<FleetAccess> open_fleet(const Workspace& workspace, int parallelism, FleetUse use, Context& context);

template <typename CommandFor>
std::vector<Result<drivers::CommandResult>> FleetAccess::run_on(const std::vector<spec::Host>& hosts, CommandFor command_for) {
  std::vector<Result<drivers::CommandResult>> results;
  std::vector<drivers::HostCommand> batch;
  std::vector<size_t> slot;
  for (const spec::Host& host : hosts) {
    auto bad = unusable.find(host.name);
    results.push_back(bad != unusable.end() ? Result<drivers::CommandResult>(bad->second)
                                            : Result<drivers::CommandResult>(make_error(ErrorCode::kInternal, "not run")));
    if (bad != unusable.end()) continue;
    batch.push_back(drivers::HostCommand{host.name, command_for(host)});
    slot.push_back(results.size() - 1);
  }
  std::vector<Result<drivers::CommandResult>> ran = fleet->run_all(batch);
  for (size_t i = 0; i < ran.size(); ++i) results[slot[i]] = std::move(ran[i]);
  return results;
}

}  // namespace skiff::cli
