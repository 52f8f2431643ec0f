// The apply executor's ApplyRecorder on the state file: every allocation
// outcome lands in the State, and each step ends with a save, so that an
// apply that stops midway (a host gone, skiff killed) leaves the truth.
#pragma once

#include <map>
#include <set>
#include <string>

#include "cli/fleet_view.hpp"
#include "reconciler/apply/apply.hpp"
#include "state/store.hpp"

namespace skiff::cli {

class StateRecorder : public reconciler::ApplyRecorder {
 public:
  // REQUIRES: the store's lock is held; state was loaded from it (or is
  // new, serial 0) and outlives this.
  StateRecorder(state::StateStore& store, state::State& state, int64_t (*now_unix)(),
                std::map<std::string, std::string> deployments = {});

  void allocation(const drivers::Allocation& allocation, reconciler::RecordedStatus status, const std::string& reason) override;
  void healthy(const std::string& alloc_id) override;
  void ended(const std::string& alloc_id, reconciler::RecordedStatus status, const std::string& reason) override;
  Status step_done() override;
  // From now on, each of `secrets` is kept as (sensitive) in what is
  // recorded: a host's error may quote a task's command line.
  void hide(std::set<std::string> secrets) { secrets_ = std::move(secrets); }

  // The plan's reschedules: the allocation started in a rescheduled slot
  // records the copy it replaces (previous_allocation) and, when that one
  // failed rather than was lost, one more reschedule of the chain.
  void rescheduling(const reconciler::Plan& plan, const FleetView& view);

 private:
  struct Replaced {
    std::string id;
    bool failed = false;
  };
  std::map<std::string, Replaced> rescheduled_;  // by job, group, index and the new copy's host
  state::StateStore& store_;
  state::State& state_;
  int64_t (*now_unix_)();
  std::map<std::string, std::string> deployments_;  // job -> deployment id
  std::set<std::string> secrets_;
};

// Each of `secrets` replaced by (sensitive) in the state's texts that come
// from hosts or errors: allocations' status reasons, deployments' descriptions.
void hide_in_state(state::State& state, const std::set<std::string>& secrets);

// Allocations the hosts report that the state does not list (started by
// hand, or the state was lost), and the status of those it does: the
// observation wins.
void merge_observed(state::State& state, const FleetView& view, int64_t now_unix);

// A deployment (status "running") for every job the plan changes, with its
// groups' desired and placed counts; returns job -> deployment id. New
// allocations of those jobs carry the id.
std::map<std::string, std::string> begin_deployments(state::State& state, const reconciler::Plan& plan, int64_t now_unix);
// Ends them: "successful" (and the job versions become stable) or "failed"
// with why; a failed one's allocations that never became healthy are
// unhealthy, and counted so.
void end_deployments(state::State& state, const std::map<std::string, std::string>& deployments, bool ok,
                     const std::string& description, int64_t now_unix);

// Ends them "cancelled" with why (apply was interrupted): not failed, and
// their versions do not become stable.
void cancel_deployments(state::State& state, const std::map<std::string, std::string>& deployments,
                        const std::string& description, int64_t now_unix);

// A record of an allocation as its host describes it.
state::AllocationRecord record_of(const drivers::Allocation& allocation);

}  // namespace skiff::cli
