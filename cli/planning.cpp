#include "cli/planning.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <set>

#include "cli/rollout_history.hpp"

#include "reconciler/host_grace.hpp"

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

// Hosts that could not be observed are unreachable until fleet.down_after
// has passed since the state first found them so (now, without a state),
// then down. Each unreachable one is named in the plan's drift.
void weigh_grace(const std::optional<state::State>& state, spec::Duration down_after, int64_t now,
                 reconciler::ClusterSnapshot& cluster) {
  for (reconciler::Node& node : cluster.nodes) {
    if (node.status == reconciler::NodeStatus::kReady) continue;
    std::optional<int64_t> since;
    if (state)
      if (auto host = state->hosts.find(node.name); host != state->hosts.end()) since = host->second.down_since_unix;
    reconciler::judge_unreachable(node, since, now, down_after.nanoseconds / 1000000000LL);
    if (node.status == reconciler::NodeStatus::kUnreachable)
      cluster.drift.push_back("host " + node.name + " " + node.status_reason +
                              ": its allocations are kept as last recorded and nothing replaces them yet");
  }
}

// What the state adds to what the hosts report: copies it replaced while
// their host was down (stale: they give way), and each failed one's chain
// of earlier reschedules and, if the host did not say, when it failed.
void add_history(const state::State& state, reconciler::ClusterSnapshot& cluster) {
  std::set<std::string> replaced;
  std::map<std::string, const state::AllocationRecord*> records;
  for (const state::AllocationRecord& r : state.allocations) {
    records[r.id] = &r;
    if (!r.previous_allocation.empty()) replaced.insert(r.previous_allocation);
  }
  for (reconciler::ExistingAllocation& a : cluster.allocations) {
    auto it = records.find(a.id);
    if (it == records.end()) continue;
    const state::AllocationRecord& r = *it->second;
    a.stale = r.status == "lost" || replaced.count(a.id);
    a.reschedules_unix = r.reschedules_unix;
    if (a.status == reconciler::AllocationStatus::kFailed && a.failed_unix == 0 && r.status == "failed") a.failed_unix = r.modified_unix;
  }
}

// Failed allocations the plan leaves where they are (their reschedule
// delay has not passed, or their attempts are used up), named in the drift.
void note_kept_failures(const reconciler::ClusterSnapshot& cluster, reconciler::Plan& plan) {
  std::set<std::string> failed;
  for (const reconciler::ExistingAllocation& a : cluster.allocations)
    if (a.status == reconciler::AllocationStatus::kFailed) failed.insert(a.id);
  for (const reconciler::Action& a : plan.actions)
    if (a.kind == reconciler::ActionKind::kIgnore && failed.count(a.alloc_id) && !a.reason.empty())
      plan.drift.push_back(a.name() + " (" + a.alloc_id.substr(0, 8) + ") " + a.reason);
}

// What the state says runs on hosts that could not be observed. On a down
// host those allocations are lost and get rescheduled, rather than being
// taken for missing; on one still in its grace they are kept.
void add_unobserved(const state::State& state, reconciler::ClusterSnapshot& cluster) {
  std::set<std::string> down, known;
  for (const reconciler::Node& node : cluster.nodes)
    if (node.status != reconciler::NodeStatus::kReady) down.insert(node.name);
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
    reconciler::JobHistory& job = history[id];
    job.version = current.version;
    job.job_spec_hash = current.spec_hash;
    job.spec = current.spec;
  }
  add_rollout_history(state, history);
  return history;
}

reconciler::Plan compute(const JobSet& set, const FleetView& view, const std::optional<state::State>& state, bool prune) {
  reconciler::PlanInputs inputs{set.jobs, view.cluster, state ? history_from(*state) : std::map<std::string, reconciler::JobHistory>{}};
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  weigh_grace(state, view.down_after, now, inputs.cluster);
  if (state) add_history(*state, inputs.cluster);
  if (state) add_unobserved(*state, inputs.cluster);
  // `skiff node eligibility` and `skiff node drain` live in the state.
  if (state)
    for (reconciler::Node& node : inputs.cluster.nodes)
      if (auto host = state->hosts.find(node.name); host != state->hosts.end()) {
        node.eligible = host->second.eligible;
        node.draining = host->second.draining;
        node.drain_deadline_passed = host->second.drain_deadline_unix && *host->second.drain_deadline_unix <= now;
      }
  reconciler::PlanOptions options;
  options.seed = seed_from(reconciler::observed_digest(inputs.cluster));
  options.now_unix = now;
  options.zone_offset = zone_offset;
  options.prune = prune ? reconciler::Prune::kStop : reconciler::Prune::kKeep;
  options.state_serial = state ? state->serial : 0;
  reconciler::Plan plan = reconciler::compute_plan(inputs, options);
  note_kept_failures(inputs.cluster, plan);
  return plan;
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
