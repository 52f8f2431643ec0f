// Canary deployments in the state: which one waits for promotion, whether
// its canaries are healthy, and promoting or failing it (`skiff deployment
// promote|fail`, and apply's auto_promote).
#pragma once

#include <string>
#include <vector>

#include "parser/spec/job.hpp"
#include "state/state.hpp"

namespace skiff::cli {

// Some group placed canaries that are not promoted yet.
bool awaits_promotion(const state::Deployment& deployment);

// The job's newest deployment that is still running, or null.
state::Deployment* running_deployment_of(state::State& state, const std::string& job);

// The canaries of `deployment` that have not passed their health gate, as
// "web.web[0] (1a2b3c4d): running, health unknown"; empty when all have.
std::vector<std::string> unhealthy_canaries(const state::State& state, const state::Deployment& deployment);

// Every group of `job` with canaries asks for auto_promote.
bool auto_promotes(const spec::Job& job);

// Marks the canary groups promoted; the next plan rolls out the rest.
void promote(state::Deployment& deployment, int64_t now_unix);

}  // namespace skiff::cli
