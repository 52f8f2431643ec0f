#include "cli/promotion.hpp"

namespace skiff::cli {

bool awaits_promotion(const state::Deployment& deployment) {
  for (const auto& [name, group] : deployment.groups)
    if (group.desired_canaries > 0 && !group.promoted) return true;
  return false;
}

state::Deployment* running_deployment_of(state::State& state, const std::string& job) {
  state::Deployment* newest = nullptr;
  for (state::Deployment& d : state.deployments)
    if (d.job == job && d.status == "running" && (!newest || d.created_unix >= newest->created_unix)) newest = &d;
  return newest;
}

std::vector<std::string> unhealthy_canaries(const state::State& state, const state::Deployment& deployment) {
  std::vector<std::string> out;
  for (const auto& [name, group] : deployment.groups) {
    if (group.desired_canaries == 0 || group.promoted) continue;
    if (static_cast<int>(group.canaries.size()) < group.desired_canaries)
      out.push_back("group \"" + name + "\": " + std::to_string(group.canaries.size()) + " of " +
                    std::to_string(group.desired_canaries) + " canaries placed");
    for (const std::string& id : group.canaries) {
      const state::AllocationRecord* a = state.allocation(id);
      if (!a) out.push_back(id.substr(0, 8) + ": not in the state");
      else if (a->health != "healthy" || a->status != "running")
        out.push_back(a->job + "." + a->group + "[" + std::to_string(a->index) + "] (" + id.substr(0, 8) + "): " + a->status +
                      ", health " + a->health);
    }
  }
  return out;
}

bool auto_promotes(const spec::Job& job) {
  bool any = false;
  for (const spec::Group& g : job.groups) {
    if (!g.update || g.update->canary == 0) continue;
    if (!g.update->auto_promote) return false;
    any = true;
  }
  return any;
}

void promote(state::Deployment& deployment, int64_t now_unix) {
  for (auto& [name, group] : deployment.groups)
    if (group.desired_canaries > 0) group.promoted = true;
  deployment.description = "Deployment is running: canaries promoted";
  deployment.modified_unix = now_unix;
}

}  // namespace skiff::cli
