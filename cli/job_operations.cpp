#include "cli/job_operations.hpp"

#include <algorithm>

#include "base/text.hpp"
#include "cli/clock.hpp"
#include "cli/fleet_view.hpp"
#include "cli/promotion.hpp"
#include "drivers/task/task_driver.hpp"

namespace skiff::cli {

Status promote_deployment(const std::string& job, LockedState& locked) {
  state::Deployment* d = running_deployment_of(locked.state, job);
  if (!d || !awaits_promotion(*d))
    return make_error(ErrorCode::kNotFound, "job \"" + job + "\" has no deployment waiting for promotion");
  std::vector<std::string> unhealthy = unhealthy_canaries(locked.state, *d);
  if (!unhealthy.empty()) {
    std::string list;
    for (const std::string& u : unhealthy) list += "\n  " + u;
    return make_error(ErrorCode::kConflict, "deployment " + d->id.substr(0, 8) + " has canaries that are not healthy:" + list);
  }
  promote(*d, now_unix());
  return locked.store->save(locked.state, locked.state.serial);
}

Status fail_deployment(const std::string& job, LockedState& locked) {
  state::Deployment* d = running_deployment_of(locked.state, job);
  if (!d) return make_error(ErrorCode::kNotFound, "job \"" + job + "\" has no running deployment");
  d->status = "failed";
  d->description = "Deployment marked as failed by " + locked.lock->info().who;
  d->modified_unix = now_unix();
  return locked.store->save(locked.state, locked.state.serial);
}

Status record_stop(const spec::Job& job, LockedState& locked) {
  state::JobRecord& record = locked.state.jobs[job.id];
  state::JobVersion stopped = record.versions.back();
  stopped.version += 1;
  stopped.applied_by = locked.lock->info().who;
  stopped.applied_unix = now_unix();
  stopped.stable = false;
  stopped.stopped = true;
  record.versions.push_back(std::move(stopped));
  return locked.store->save(locked.state, locked.state.serial);
}

Status purge_leftovers(const std::string& job, const Workspace& workspace, int parallelism, const state::State& state,
                       Context& context) {
  std::optional<ObservedFleet> fleet = observe_workspace(workspace, parallelism, FleetUse::kChange, Owner{state}, context);
  if (!fleet) return make_error(ErrorCode::kUnavailable, "the fleet could not be observed; the job was not purged");
  for (const auto& entry : fleet->view.observed) {
    const std::string& id = entry.first.id;
    const drivers::ObservedAllocation& observed = entry.second;  // named: lambdas below capture it
    if (observed.allocation.job != job) continue;
    // The host whose observation holds it, never the one its alloc.json names.
    const std::string& where = entry.first.host;
    auto host = std::find_if(workspace.inventory.hosts.begin(), workspace.inventory.hosts.end(),
                             [&](const spec::Host& h) { return h.name == where; });
    if (host == workspace.inventory.hosts.end()) continue;
    auto results =
        fleet->access.run_on({*host}, [&](const spec::Host& h) { return drivers::purge_command(h.data_dir, observed); });
    if (!results[0].ok()) return results[0].error().wrap(host->name + ": remove allocation " + id.substr(0, 8));
    if (!results[0]->success())
      return make_error(
          ErrorCode::kIo,
          host->name + ": remove allocation " + id.substr(0, 8) + ": " + base::terminal_safe(results[0]->stderr_data));
  }
  return Status();
}

Status purge_job(const std::string& job, LockedState& locked) {
  state::State& s = locked.state;
  for (const state::AllocationRecord& a : s.allocations)
    if (a.job == job && (a.status == "running" || a.status == "pending"))
      return make_error(ErrorCode::kConflict,
                        "job \"" + job + "\" still has allocation " + a.id.substr(0, 8) + " on " + a.host +
                            "; not purged (run `skiff job stop -purge " + job + "` again)");
  s.jobs.erase(job);
  std::erase_if(s.allocations, [&](const state::AllocationRecord& a) { return a.job == job; });
  std::erase_if(s.deployments, [&](const state::Deployment& d) { return d.job == job; });
  return locked.store->save(s, s.serial);
}

}  // namespace skiff::cli
