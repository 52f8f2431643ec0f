#include "reconciler/claims.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "base/text.hpp"
#include "reconciler/snapshot.hpp"

namespace skiff::reconciler {

namespace {

// "web.g[0] (0186a1b2)": the host's own words, printable only.
std::string shown(const drivers::Allocation& a) { return base::printable(a.name()) + " (" + a.id.substr(0, 8) + ")"; }

std::string record_name(const state::AllocationRecord& r) { return r.job + "." + r.group + "[" + std::to_string(r.index) + "]"; }

bool live(const state::AllocationRecord& r) { return r.status == "running" || r.status == "pending"; }

bool runs_per_host(const state::State& state, const std::string& job) {
  auto it = state.jobs.find(job);
  return it != state.jobs.end() && (it->second.type == "system" || it->second.type == "sysbatch");
}

// Whether the state ever recorded `version` of the allocation's job: one
// of the job's versions, or the one its own record holds. A job the state
// does not know (an allocation it never recorded, from before lineages)
// has no versions to go by.
bool version_recorded(const drivers::Allocation& a, const state::AllocationRecord* record, const state::State& state) {
  if (record && record->job_version == a.job_version) return true;
  auto job = state.jobs.find(a.job);
  if (job == state.jobs.end()) return !record;
  return std::any_of(job->second.versions.begin(), job->second.versions.end(),
                     [&](const state::JobVersion& v) { return v.version == a.job_version; });
}

// Another live allocation the state records in the slot an adopted one
// claims (job, group, index; and host, for a job that runs on every host).
const state::AllocationRecord* slot_holder(const Claim& claim, const state::State& state) {
  const drivers::Allocation& a = claim.observed.allocation;
  const bool per_host = runs_per_host(state, a.job);
  for (const state::AllocationRecord& r : state.allocations)
    if (live(r) && r.id != a.id && r.job == a.job && r.group == a.group && r.index == a.index &&
        (!per_host || r.host == claim.host))
      return &r;
  return nullptr;
}

std::string others(const std::vector<std::string>& hosts, const std::string& self) {
  std::set<std::string> other(hosts.begin(), hosts.end());
  other.erase(self);
  std::string list;
  for (const std::string& h : other) list += (list.empty() ? "" : ", ") + h;
  return list;
}

// Why a claim is not to be trusted, or "" when it is.
std::string distrust(const Claim& claim, const state::State& state, const std::vector<std::string>& reporters,
                     UnrecordedAllocations unrecorded) {
  const drivers::Allocation& a = claim.observed.allocation;
  const state::AllocationRecord* record = state.allocation(a.id);
  if (std::count(reporters.begin(), reporters.end(), claim.host) > 1) return "reports allocation " + shown(a) + " more than once";
  if (record && record->host != claim.host)
    return "reports allocation " + shown(a) + ", which the state records on " + record->host;
  if (!record && std::any_of(reporters.begin(), reporters.end(), [&](const std::string& h) { return h != claim.host; }))
    return "reports allocation " + shown(a) + ", as does " + others(reporters, claim.host) +
        ", and the state records it on neither";
  if (!record && !claim.adopting && unrecorded == UnrecordedAllocations::kDrift)
    return "reports allocation " + shown(a) +
        ", which the state never recorded (`skiff state rebuild` takes it in if it is really this state's)";
  if (record && (record->job != a.job || record->group != a.group || record->index != a.index))
    return "reports allocation " + a.id.substr(0, 8) + " as " + base::printable(a.name()) + "; the state records it as " +
        record_name(*record);
  if (!version_recorded(a, record, state))
    return "reports allocation " + shown(a) + " at version " + std::to_string(a.job_version) + ", which the state never recorded";
  if (!record && claim.adopting)
    if (const state::AllocationRecord* holder = slot_holder(claim, state))
      return "reports allocation " + shown(a) + " in the slot of allocation " + holder->id.substr(0, 8) + " on " + holder->host;
  return "";
}

}  // namespace

WeighedClaims weigh_claims(std::vector<Claim> claims, const state::State& state, UnrecordedAllocations unrecorded) {
  std::map<std::string, std::vector<std::string>> reporters;  // by id, the hosts that report it
  for (const Claim& c : claims) reporters[c.observed.allocation.id].push_back(c.host);
  WeighedClaims weighed;
  for (Claim& c : claims) {
    const std::string why = distrust(c, state, reporters[c.observed.allocation.id], unrecorded);
    if (why.empty()) {
      weighed.trusted.push_back(std::move(c));
      continue;
    }
    weighed.drift.push_back(c.host + ": " + why + ": not trusted, left alone");
    weighed.distrusted.push_back(std::move(c));
  }
  return weighed;
}

void add_to_cluster(const WeighedClaims& weighed, ClusterSnapshot& cluster) {
  for (const Claim& claim : weighed.trusted) cluster.allocations.push_back(existing_from(claim.observed, claim.host));
  for (const Claim& claim : weighed.distrusted) cluster.foreign.push_back(existing_from(claim.observed, claim.host));
  cluster.drift.insert(cluster.drift.end(), weighed.drift.begin(), weighed.drift.end());
}

}  // namespace skiff::reconciler
