// What the state says of a job's rollout that the diff needs beyond its
// current version: whether `skiff job stop` stopped it, the canaries of its
// running deployment (healthy? promoted?), canaries of failed or cancelled
// deployments that were never promoted, and since when a periodic job's
// next run is counted.
#pragma once

#include <map>
#include <string>

#include "reconciler/diff.hpp"
#include "state/state.hpp"

namespace skiff::reconciler {

// Adds those facts to `history`'s entry of every job the state knows.
void add_rollout_history(const state::State& state, std::map<std::string, JobHistory>& history);

}  // namespace skiff::reconciler
