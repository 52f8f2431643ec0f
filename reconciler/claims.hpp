// What the hosts claim, weighed against the state before a plan believes
// it. Every host reports its allocations itself (alloc.json), and a
// compromised host can print anything: another host's allocation id, a
// slot another host runs, a version never applied. It may lie about
// itself, never about others, so a claim is trusted only as far as the
// state bears it out:
//
// - an id the state records on another host is that host's: the claim is
//   drift, and never a reason to stop the copy where the state has it;
// - an id two hosts report and the state records on neither is drift on
//   both;
// - an id the state never recorded, or a version of the job it never
//   recorded, is drift (state rebuild alone takes unrecorded ids in, and
//   apply adopts allocations from before lineages, at recorded versions);
// - a recorded id reported as another slot (job, group, index) than the
//   state records is drift.
//
// Drift is reported, one line per claim naming the host and what was
// wrong, and never acted on, recorded or adopted; the claim's ports and
// resources stay counted as used on its own host, like another state's
// allocations (ownership.hpp). Pure: the claims and the state in, the
// verdicts out.
#pragma once

#include <string>
#include <vector>

#include "drivers/host/observe.hpp"
#include "reconciler/scheduler/cluster.hpp"
#include "state/state.hpp"

namespace skiff::reconciler {

// One allocation as one inventory host's observation holds it.
struct Claim {
  std::string host;  // the inventory name of the host that reported it
  drivers::ObservedAllocation observed;
  // This state takes it in now (ownership.hpp): it has no lineage yet, or
  // another state's with `state rebuild -adopt-foreign`.
  bool adopting = false;
};

// Whether allocations of this state's lineage that the state never
// recorded are taken in (`state rebuild`, whose work that is) or drift.
enum class UnrecordedAllocations { kDrift, kTakeIn };

struct WeighedClaims {
  std::vector<Claim> trusted;      // the plan may act on these, each on its own host
  std::vector<Claim> distrusted;   // reported, never acted on
  std::vector<std::string> drift;  // one line per distrusted claim, in the claims' order
};

// REQUIRES: `state` is the one the plan reads (an empty one when there is
// none yet: it records nothing, and only adoptions are trusted).
WeighedClaims weigh_claims(std::vector<Claim> claims, const state::State& state, UnrecordedAllocations unrecorded);

// The trusted claims as the cluster's allocations, each on the host that
// reported it; the distrusted ones as `foreign` (their ports and resources
// counted there, never acted on); the drift lines.
void add_to_cluster(const WeighedClaims& weighed, ClusterSnapshot& cluster);

}  // namespace skiff::reconciler
