#include "cli/alloc_lookup.hpp"

#include "cli/state_access.hpp"
#include "parser/load.hpp"
#include "reconciler/ownership.hpp"

namespace skiff::cli {

namespace {

// The lineage of the workspace's state: whose allocations may be acted on
// (reconciler/ownership.hpp). "" when there is no state yet.
Result<std::string> state_lineage(const Workspace& workspace) {
  Result<std::unique_ptr<state::StateStore>> store = open_state_store(workspace);
  if (!store.ok()) return std::string();
  Result<std::optional<state::State>> loaded = (*store)->load();
  if (!loaded.ok()) return loaded.error();
  return *loaded ? (*loaded)->lineage : std::string();
}

}  // namespace

std::vector<Result<drivers::Observation>> observe_all(FleetAccess& access, const std::vector<spec::Host>& hosts) {
  std::vector<Result<drivers::Observation>> out(hosts.size(), make_error(ErrorCode::kInternal, "not observed"));
  std::vector<drivers::HostToObserve> usable;
  std::vector<size_t> slot;
  for (size_t i = 0; i < hosts.size(); ++i) {
    auto bad = access.unusable.find(hosts[i].name);
    if (bad != access.unusable.end()) {
      out[i] = bad->second;
      continue;
    }
    usable.push_back({hosts[i].name, hosts[i].data_dir});
    slot.push_back(i);
  }
  std::vector<Result<drivers::Observation>> observed = drivers::observe_hosts(*access.fleet, usable);
  for (size_t k = 0; k < observed.size(); ++k) out[slot[k]] = std::move(observed[k]);
  return out;
}

Result<FoundAllocation> find_allocation(FleetAccess& access, const Workspace& workspace, const std::string& prefix) {
  if (prefix.empty()) return make_error(ErrorCode::kInvalidArgument, "an allocation id (or a prefix of one) is required");
  Result<std::string> lineage = state_lineage(workspace);
  if (!lineage.ok()) return lineage.error();
  const std::vector<spec::Host>& hosts = workspace.inventory.hosts;
  std::vector<Result<drivers::Observation>> observations = observe_all(access, hosts);
  std::vector<FoundAllocation> matches;
  std::string unobserved, foreign;
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (!observations[i].ok()) {
      unobserved += "\n  " + hosts[i].name + ": " + observations[i].error().message;
      continue;
    }
    for (const auto& observed : observations[i]->allocations) {
      if (observed.allocation.id.rfind(prefix, 0) != 0) continue;
      if (reconciler::ownership_of(observed.allocation, *lineage) != reconciler::Ownership::kForeign)
        matches.push_back(FoundAllocation{hosts[i], observed, {}});
      else
        foreign += "\n  " + observed.allocation.id + "  " + observed.allocation.name() + " on " + hosts[i].name + " (lineage " +
            observed.allocation.lineage.substr(0, 8) + "…)";
    }
  }
  if (matches.size() == 1) return std::move(matches.front());
  if (matches.size() > 1) {
    std::string list;
    for (const auto& m : matches)
      list += "\n  " + m.observed.allocation.id + "  " + m.observed.allocation.name() + " on " + m.host.name;
    return make_error(
        ErrorCode::kInvalidArgument,
        "prefix \"" + prefix + "\" matches " + std::to_string(matches.size()) + " allocations; give more of the id:" + list);
  }
  if (!foreign.empty())
    return make_error(ErrorCode::kNotFound,
                      "no allocation of this state with id \"" + prefix +
                          "\"; another state's, left alone (run the command in its project):" + foreign);
  return make_error(ErrorCode::kNotFound,
                    "no allocation with id \"" + prefix + "\" on the reachable hosts" +
                        (unobserved.empty() ? "" : "; these could not be observed:" + unobserved));
}

std::map<std::string, std::chrono::milliseconds> recorded_kill_timeouts(const state::State& state, const drivers::Allocation& a) {
  std::map<std::string, std::chrono::milliseconds> out;
  auto job = state.jobs.find(a.job);
  if (job == state.jobs.end()) return out;
  for (const state::JobVersion& v : job->second.versions) {
    if (v.version != a.job_version) continue;
    Result<spec::Job> spec = parser::job_from_json(v.spec, v.source);
    if (!spec.ok()) return out;
    for (const spec::Group& g : spec->groups)
      if (g.name == a.group)
        for (const spec::Task& t : g.tasks) out[t.name] = std::chrono::milliseconds(t.kill_timeout.nanoseconds / 1'000'000);
  }
  return out;
}

}  // namespace skiff::cli
