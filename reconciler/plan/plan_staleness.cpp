#include "reconciler/plan/plan_staleness.hpp"

namespace skiff::reconciler {

namespace {

// "host a changed (...)", "hosts a, b and c changed (...)".
std::string hosts_clause(const std::vector<std::string>& hosts, const std::string& what) {
  std::string list;
  for (size_t i = 0; i < hosts.size(); ++i) list += (i == 0 ? "" : i + 1 == hosts.size() ? " and " : ", ") + hosts[i];
  return (hosts.size() == 1 ? "host " : "hosts ") + list + " " + what;
}

void host_changes(const Plan& saved, const Plan& now, std::vector<std::string>& out) {
  if (saved.observed_digest == now.observed_digest) return;
  if (saved.host_digests.empty()) {
    // A plan saved before per-host digests were kept can only say this much.
    out.push_back("what the hosts report changed");
    return;
  }
  std::vector<std::string> changed, added, gone;
  for (const auto& [host, digest] : now.host_digests) {
    auto before = saved.host_digests.find(host);
    if (before == saved.host_digests.end()) added.push_back(host);
    else if (before->second != digest) changed.push_back(host);
  }
  for (const auto& [host, digest] : saved.host_digests)
    if (!now.host_digests.count(host)) gone.push_back(host);
  if (!changed.empty()) out.push_back(hosts_clause(changed, "changed (what runs there, or its status or resources)"));
  if (!added.empty()) out.push_back(hosts_clause(added, added.size() == 1 ? "is new" : "are new"));
  if (!gone.empty()) out.push_back(hosts_clause(gone, gone.size() == 1 ? "is no longer reported" : "are no longer reported"));
  if (out.empty()) out.push_back("what the hosts report changed");
}

}  // namespace

std::vector<std::string> plan_staleness(const Plan& saved, const Plan& now) {
  std::vector<std::string> out;
  if (saved.state_serial != now.state_serial)
    out.push_back("the state changed (serial " + std::to_string(saved.state_serial) + " -> " + std::to_string(now.state_serial) +
                  (now.state_serial > saved.state_serial ? ": something was recorded since" : ": a different or restored state") +
                  ")");
  host_changes(saved, now, out);
  return out;
}

}  // namespace skiff::reconciler
