#include "cli/fleet_view.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "base/text.hpp"
#include "cli/alloc_lookup.hpp"
#include "drivers/host/fingerprint.hpp"
#include "reconciler/snapshot.hpp"

namespace skiff::cli {

namespace {

// What a host holds that is not an allocation the plan can act on.
void add_host_drift(const std::string& host, const drivers::Observation& observation, std::vector<std::string>& drift) {
  for (const std::string& container : observation.orphan_containers)
    drift.push_back(host + ": container " + base::printable(container) + " is labelled by skiff but has no allocation folder");
  for (const drivers::Observation::LingeringGroup& group : observation.lingering_groups)
    drift.push_back(host + ": process group " + group.process_group + " of removed allocation " + group.allocation_id +
                    " (task \"" + group.task + "\") still has processes");
  for (const std::string& folder : observation.unreadable)
    drift.push_back(host + ": " + base::printable(folder) + "/alloc.json cannot be read");
  for (const drivers::Observation::Rejected& rejected : observation.rejected)
    drift.push_back(host + ": " + base::printable(rejected.folder) + "/alloc.json " + rejected.why + ": not trusted, left alone");
}

// The trusted claims become the plan's allocations and what apply acts on
// (their adoptions written back); the others only count, like another
// state's, on the host that reported them.
void take_claims(reconciler::WeighedClaims weighed, FleetView& view) {
  reconciler::add_to_cluster(weighed, view.cluster);
  for (reconciler::Claim& claim : weighed.trusted) {
    if (claim.adopting) view.adopted[claim.host].push_back(claim.observed.allocation);
    const drivers::HostAllocationId key{claim.host, claim.observed.allocation.id};
    view.observed.emplace(key, std::move(claim.observed));
  }
}

}  // namespace

FleetView observe_fleet(FleetAccess& access, const Workspace& workspace, const Owner& owner) {
  const std::vector<spec::Host>& hosts = workspace.inventory.hosts;
  std::vector<Result<drivers::Observation>> observations = observe_all(access, hosts);
  // Facts the hosts did not keep (first contact, a reboot): fingerprint those.
  std::vector<spec::Host> unfingerprinted;
  for (size_t i = 0; i < hosts.size(); ++i)
    if (observations[i].ok() && !observations[i]->facts) unfingerprinted.push_back(hosts[i]);
  std::map<std::string, Result<drivers::HostFacts>> fingerprinted;
  if (!unfingerprinted.empty()) {
    auto results =
        access.run_on(unfingerprinted, [](const spec::Host& host) { return drivers::fingerprint_command(host.data_dir); });
    for (size_t i = 0; i < unfingerprinted.size(); ++i)
      fingerprinted.emplace(unfingerprinted[i].name, drivers::facts_from_fingerprint(results[i]));
  }
  FleetView view;
  view.down_after = workspace.project.fleet.down_after;
  std::vector<reconciler::Claim> claims;
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
    reconciler::OwnedAllocations split =
        reconciler::split_by_owner(observations[i]->allocations, owner.state.lineage, owner.foreign);
    std::set<std::string> adopting;
    for (const drivers::Allocation& a : split.adopted) adopting.insert(a.id);
    for (drivers::ObservedAllocation& observed : split.own) {
      const bool adopted = adopting.count(observed.allocation.id) > 0;
      claims.push_back({host.name, std::move(observed), adopted});
    }
    for (const drivers::ObservedAllocation& observed : split.foreign)
      view.cluster.foreign.push_back(reconciler::existing_from(observed, host.name));
    for (std::string& line : reconciler::ownership_drift(host.name, split)) view.cluster.drift.push_back(std::move(line));
    view.foreign += split.foreign.size();
    add_host_drift(host.name, *observations[i], view.cluster.drift);
  }
  take_claims(reconciler::weigh_claims(std::move(claims), owner.state, owner.unrecorded), view);
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
