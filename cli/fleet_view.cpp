#include "cli/fleet_view.hpp"

#include <algorithm>
#include <chrono>

#include "cli/alloc_lookup.hpp"
#include "drivers/host/fingerprint.hpp"
#include "reconciler/snapshot.hpp"

namespace skiff::cli {

FleetView observe_fleet(FleetAccess& access, const Workspace& workspace, const Owner& owner) {
  const std::vector<spec::Host>& hosts = workspace.inventory.hosts;
  std::vector<Result<drivers::Observation>> observations = observe_all(access, hosts);
  // Facts the hosts did not keep (first contact, a reboot): fingerprint those.
  std::vector<spec::Host> unfingerprinted;
  for (size_t i = 0; i < hosts.size(); ++i)
    if (observations[i].ok() && !observations[i]->facts) unfingerprinted.push_back(hosts[i]);
  std::map<std::string, Result<drivers::HostFacts>> fingerprinted;
  if (!unfingerprinted.empty()) {
    auto results = access.run_on(unfingerprinted, [](const spec::Host& host) {
      drivers::Command command = drivers::fingerprint_command(host.data_dir);
      command.timeout = std::chrono::seconds(60);
      return command;
    });
    for (size_t i = 0; i < unfingerprinted.size(); ++i)
      fingerprinted.emplace(unfingerprinted[i].name, drivers::facts_from_fingerprint(results[i]));
  }
  FleetView view;
  view.down_after = workspace.project.fleet.down_after;
  for (size_t i = 0; i < hosts.size(); ++i) {
    const spec::Host& host = hosts[i];
    Result<drivers::HostFacts> facts = make_error(ErrorCode::kUnavailable, "not observed");
    if (!observations[i].ok()) facts = observations[i].error();
    else if (observations[i]->facts) facts = *observations[i]->facts;
    else facts = fingerprinted.at(host.name);
    if (!facts.ok()) {
      view.warnings.push_back(
          "host " + host.name + " could not be observed (" + facts.error().message + "); its allocations are unknown" +
          (workspace.project.fleet.down_after.nanoseconds > 0 ? ", kept as last recorded until it has been unreachable for " +
                   spec::format_duration(workspace.project.fleet.down_after)
                                                              : " and rescheduled (down_after is 0s)"));
      view.cluster.nodes.push_back(reconciler::unreachable_node(host));
      continue;
    }
    view.cluster.nodes.push_back(reconciler::node_from(host, *facts));
    view.facts.emplace(host.name, *facts);
    reconciler::OwnedAllocations split = reconciler::split_by_owner(observations[i]->allocations, owner.lineage, owner.foreign);
    for (const drivers::ObservedAllocation& observed : split.own) {
      view.cluster.allocations.push_back(reconciler::existing_from(observed, host.name));
      view.observed.emplace(observed.allocation.id, observed);
    }
    for (const drivers::ObservedAllocation& observed : split.foreign)
      view.cluster.foreign.push_back(reconciler::existing_from(observed, host.name));
    for (std::string& line : reconciler::ownership_drift(host.name, split)) view.cluster.drift.push_back(std::move(line));
    view.foreign += split.foreign.size();
    if (!split.adopted.empty()) view.adopted.emplace(host.name, std::move(split.adopted));
    for (const std::string& container : observations[i]->orphan_containers)
      view.cluster.drift.push_back(host.name + ": container " + container + " is labelled by skiff but has no allocation folder");
    for (const drivers::Observation::LingeringGroup& group : observations[i]->lingering_groups)
      view.cluster.drift.push_back(host.name + ": process group " + group.process_group + " of removed allocation " +
                                   group.allocation_id + " (task \"" + group.task + "\") still has processes");
    for (const std::string& folder : observations[i]->unreadable)
      view.cluster.drift.push_back(host.name + ": " + folder + "/alloc.json cannot be read");
  }
  return view;
}

std::optional<ObservedFleet> observe_workspace(const Workspace& workspace, int parallelism, FleetUse use, const Owner& owner,
                                               Context& context) {
  Result<FleetAccess> access = open_fleet(workspace, parallelism, use, context);
  if (!access.ok()) {
    context.err << "skiff: " << access.error().message << "\n";
    return std::nullopt;
  }
  ObservedFleet observed{std::move(*access), {}};
  observed.view = observe_fleet(observed.access, workspace, owner);
  for (const std::string& warning : observed.view.warnings) context.err << "warning: " << warning << "\n";
  return observed;
}

}  // namespace skiff::cli
