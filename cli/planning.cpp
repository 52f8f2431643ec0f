#include "cli/planning.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <set>

#include "cli/clock.hpp"
#include "reconciler/state_snapshot.hpp"

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

}  // namespace

reconciler::Plan compute(const JobSet& set, const FleetView& view, const std::optional<state::State>& state, bool prune,
                         FailedDeployments failed) {
  reconciler::PlanInputs inputs{set.jobs, view.cluster,
                                state ? reconciler::history_from(*state) : std::map<std::string, reconciler::JobHistory>{}};
  const int64_t now = now_unix();
  reconciler::weigh_grace(state, view.down_after, now, inputs.cluster);
  if (state) reconciler::add_history(*state, inputs.cluster);
  if (state) reconciler::add_unobserved(*state, inputs.cluster);
  if (state) reconciler::add_host_marks(*state, now, inputs.cluster);
  reconciler::PlanOptions options;
  options.seed = seed_from(reconciler::observed_digest(inputs.cluster));
  options.now_unix = now;
  options.zone_offset = zone_offset;
  options.prune = prune ? reconciler::Prune::kStop : reconciler::Prune::kKeep;
  options.state_serial = state ? state->serial : 0;
  if (state && failed == FailedDeployments::kRetry) options.retry = reconciler::failed_deployment_allocations(*state);
  reconciler::Plan plan = reconciler::compute_plan(inputs, options);
  reconciler::note_kept_failures(inputs.cluster, plan);
  if (state && failed == FailedDeployments::kLeave) reconciler::note_failed_deployments(*state, plan);
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
