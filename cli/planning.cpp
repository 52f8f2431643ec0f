#include "cli/planning.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <set>

namespace skiff::cli {

namespace {

// The scheduler's seed comes from what was observed: planning the same
// fleet again gives the same plan, byte for byte.
uint64_t seed_from(const std::string& digest) {
  const std::string hex = digest.substr(digest.find(':') + 1);
  return std::stoull(hex.substr(0, 16), nullptr, 16);
}

// Seconds east of UTC in an IANA zone at an instant, from the system's
// zone files (TZ set for the call): how periodic jobs' time_zone is read.
int64_t zone_offset(const std::string& zone, int64_t unix_time) {
  const char* saved = std::getenv("TZ");
  const std::string restore = saved ? saved : "";
  ::setenv("TZ", zone.c_str(), 1);
  ::tzset();
  std::tm local{};
  const std::time_t t = static_cast<std::time_t>(unix_time);
  ::localtime_r(&t, &local);
  if (saved) ::setenv("TZ", restore.c_str(), 1);
  else ::unsetenv("TZ");
  ::tzset();
  return local.tm_gmtoff;
}

// What the state says runs on hosts that could not be observed: those
// allocations are lost (their host is down) and get rescheduled, rather
// than being taken for missing.
void add_unobserved(const state::State& state, reconciler::ClusterSnapshot& cluster) {
  std::set<std::string> down, known;
  for (const reconciler::Node& node : cluster.nodes)
    if (node.status == reconciler::NodeStatus::kDown) down.insert(node.name);
  for (const reconciler::ExistingAllocation& a : cluster.allocations) known.insert(a.id);
  for (const state::AllocationRecord& r : state.allocations) {
    if (!down.count(r.host) || known.count(r.id) || (r.status != "running" && r.status != "pending")) continue;
    reconciler::ExistingAllocation a;
    a.id = r.id;
    a.job = r.job;
    a.group = r.group;
    a.index = r.index;
    a.node = r.host;
    a.job_version = r.job_version;
    a.status = reconciler::AllocationStatus::kRunning;
    a.resources = {r.cpu_mhz, r.memory_mb, r.disk_mb, 0};
    a.ports = r.ports;
    a.task_spec_hashes = r.task_spec_hashes;
    a.job_spec_hash = r.job_spec_hash;
    cluster.allocations.push_back(std::move(a));
  }
}

}  // namespace

std::map<std::string, reconciler::JobHistory> history_from(const state::State& state) {
  std::map<std::string, reconciler::JobHistory> history;
  for (const auto& [id, record] : state.jobs) {
    if (record.versions.empty()) continue;
    const state::JobVersion& current = record.versions.back();
    history[id] = reconciler::JobHistory{current.version, current.spec_hash, current.spec};
  }
  return history;
}

reconciler::Plan compute(const JobSet& set, const FleetView& view, const std::optional<state::State>& state, bool prune) {
  reconciler::PlanInputs inputs{set.jobs, view.cluster, state ? history_from(*state) : std::map<std::string, reconciler::JobHistory>{}};
  if (state) add_unobserved(*state, inputs.cluster);
  // `skiff node eligibility` and `skiff node drain` live in the state.
  if (state)
    for (reconciler::Node& node : inputs.cluster.nodes)
      if (auto host = state->hosts.find(node.name); host != state->hosts.end()) {
        node.eligible = host->second.eligible;
        node.draining = host->second.draining;
      }
  reconciler::PlanOptions options;
  options.seed = seed_from(reconciler::observed_digest(inputs.cluster));
  options.now_unix = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  options.zone_offset = zone_offset;
  options.prune = prune ? reconciler::Prune::kStop : reconciler::Prune::kKeep;
  options.state_serial = state ? state->serial : 0;
  return reconciler::compute_plan(inputs, options);
}

reconciler::RenderOptions render_options(bool no_color, const Context& context) {
  const bool color = !no_color && !context.env.getenv("NO_COLOR") && ::isatty(STDOUT_FILENO) == 1;
  return {color ? reconciler::Color::kAlways : reconciler::Color::kNever};
}

std::map<std::string, reconciler::ApplyHost> apply_hosts(const Workspace& workspace, const FleetView& view) {
  std::map<std::string, reconciler::ApplyHost> hosts;
  for (const spec::Host& host : workspace.inventory.hosts) {
    auto facts = view.facts.find(host.name);
    if (facts != view.facts.end()) hosts.emplace(host.name, reconciler::ApplyHost{host, facts->second});
  }
  return hosts;
}

}  // namespace skiff::cli
