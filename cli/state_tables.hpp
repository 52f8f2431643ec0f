// The state as the nomad CLI would print it: tables of jobs, allocations,
// deployments and hosts, shared by `state show`, `status`, `job status` and
// `deployment status`.
#pragma once

#include <cstdint>
#include <string>

#include "state/state.hpp"

namespace skiff::cli {

// The first eight characters of an allocation or deployment id.
std::string short_id(const std::string& id);
// RFC3339 in UTC, or "-" for 0.
std::string time_or_dash(int64_t unix_seconds);

std::string jobs_table(const state::State& state);
// `job` empty: every job's.
std::string allocations_table(const state::State& state, const std::string& job = "");
std::string deployments_table(const state::State& state, const std::string& job = "");
std::string hosts_table(const state::State& state);

}  // namespace skiff::cli
