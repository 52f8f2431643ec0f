#include "cli/alloc_lookup.hpp"

namespace skiff::cli {

namespace {

Result<drivers::Observation> observation_from(const Result<drivers::CommandResult>& run) {
  if (!run.ok()) return run.error();
  if (!run->success()) {
    return make_error(ErrorCode::kUnavailable,
                      "observe exited with status " + std::to_string(run->exit_status) + ": " + run->stderr_data);
  }
  return drivers::parse_observation(run->stdout_data);
}

}  // namespace

std::vector<Result<drivers::Observation>> observe_all(FleetAccess& access, const std::vector<spec::Host>& hosts) {
  auto results = access.run_on(hosts, [](const spec::Host& host) { return drivers::observe_command(host.data_dir); });
  std::vector<Result<drivers::Observation>> out;
  out.reserve(results.size());
  for (const auto& run : results) out.emplace_back(observation_from(run));
  return out;
}

Result<FoundAllocation> find_allocation(FleetAccess& access, const Workspace& workspace, const std::string& prefix) {
  if (prefix.empty()) return make_error(ErrorCode::kInvalidArgument, "an allocation id (or a prefix of one) is required");
  const std::vector<spec::Host>& hosts = workspace.inventory.hosts;
  std::vector<Result<drivers::Observation>> observations = observe_all(access, hosts);
  std::vector<FoundAllocation> matches;
  std::string unobserved;
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (!observations[i].ok()) {
      unobserved += "\n  " + hosts[i].name + ": " + observations[i].error().message;
      continue;
    }
    for (const auto& observed : observations[i]->allocations)
      if (observed.allocation.id.rfind(prefix, 0) == 0) matches.push_back(FoundAllocation{hosts[i], observed});
  }
  if (matches.size() == 1) return std::move(matches.front());
  if (matches.size() > 1) {
    std::string list;
    for (const auto& m : matches) list += "\n  " + m.observed.allocation.id + "  " + m.observed.allocation.name() + " on " + m.host.name;
    return make_error(ErrorCode::kInvalidArgument, "prefix \"" + prefix + "\" matches " + std::to_string(matches.size()) +
                                                       " allocations; give more of the id:" + list);
  }
  return make_error(ErrorCode::kNotFound, "no allocation with id \"" + prefix + "\" on the reachable hosts" +
                                              (unobserved.empty() ? "" : "; these could not be observed:" + unobserved));
}

}  // namespace skiff::cli
