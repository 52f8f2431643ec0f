#include "reconciler/apply/apply_health.hpp"

#include <algorithm>

#include "drivers/host/health_check_targets.hpp"

namespace skiff::reconciler::apply_detail {

Status CheckGate::add(const drivers::Allocation& allocation, const spec::Job& job, const spec::Group& group,
                      const ApplyHost& host) {
  Result<std::vector<drivers::HealthCheck>> checks =
      drivers::allocation_health_checks({job, group, allocation, host.host, host.facts});
  if (!checks.ok()) return checks.error().wrap(allocation.host + ": " + allocation.name());
  if (checks->empty()) return Status::success();
  std::vector<Tracked>& tracked = checks_[allocation.id];
  for (drivers::HealthCheck& c : *checks) tracked.push_back(Tracked{std::move(c), std::nullopt, std::nullopt, ""});
  allocations_.emplace(allocation.id, allocation);
  return Status::success();
}

int CheckGate::run_due(drivers::Fleet& fleet, const std::set<std::string>& running, Clock::time_point now) {
  // Per host: the due checks, and where each one's result goes.
  std::map<std::string, std::vector<Tracked*>> due;
  for (auto& [id, tracked] : checks_) {
    if (!running.count(id)) continue;
    for (Tracked& t : tracked)
      if (!t.last_run || now - *t.last_run >= t.check.interval) due[allocations_.at(id).host].push_back(&t);
  }
  if (due.empty()) return 0;
  std::vector<drivers::HostCommand> batch;
  for (const auto& [host, list] : due) {
    std::vector<drivers::HealthCheck> checks;
    for (const Tracked* t : list) checks.push_back(t->check);
    batch.push_back({host, drivers::health_checks_command(checks)});
  }
  std::vector<Result<drivers::CommandResult>> results = fleet.run_all(batch);
  for (size_t h = 0; h < batch.size(); ++h) {
    std::vector<Tracked*>& list = due[batch[h].host];
    for (Tracked* t : list) {
      // A check the output does not mention has no result this round.
      t->last_run = now;
      t->last_status = drivers::CheckStatus::kFailing;
      t->last_detail = results[h].ok() ? "no result from the host (the check script was cut short)"
                                       : "running the check: " + results[h].error().message;
    }
    if (!results[h].ok()) continue;
    for (const drivers::CheckOutcome& o : drivers::parse_check_outcomes(results[h]->stdout_data)) {
      if (o.index >= list.size()) continue;
      list[o.index]->last_status = o.status;
      list[o.index]->last_detail = o.detail;
    }
  }
  return static_cast<int>(batch.size());
}

bool CheckGate::passes(const Tracked& t) const {
  if (!t.last_status) return false;
  if (*t.last_status == drivers::CheckStatus::kPassing) return true;
  return *t.last_status == drivers::CheckStatus::kWarning && t.check.on_update == drivers::CheckOnUpdate::kIgnoreWarnings;
}

CheckGate::Verdict CheckGate::verdict(const std::string& alloc_id) const {
  auto it = checks_.find(alloc_id);
  if (it == checks_.end()) return Verdict::kPassing;
  Verdict verdict = Verdict::kPassing;
  for (const Tracked& t : it->second) {
    if (t.last_status == drivers::CheckStatus::kMissingTool) return Verdict::kBroken;
    if (!passes(t)) verdict = Verdict::kPending;
  }
  return verdict;
}

std::string CheckGate::failure(const std::string& alloc_id) const {
  auto it = checks_.find(alloc_id);
  if (it == checks_.end()) return "";
  // A check that can never pass says more than one that may yet.
  auto broken = std::find_if(it->second.begin(), it->second.end(),
                             [](const Tracked& t) { return t.last_status == drivers::CheckStatus::kMissingTool; });
  for (const Tracked& t : it->second) {
    if (passes(t) || (broken != it->second.end() && &t != &*broken)) continue;
    const drivers::Allocation& a = allocations_.at(alloc_id);
    const std::string detail = !t.last_status              ? "not run yet (the tasks never all ran)"
        : *t.last_status == drivers::CheckStatus::kWarning ? "warning: " + t.last_detail
                                                           : t.last_detail;
    return a.host + ": " + a.name() + " check \"" + t.check.name + "\" (" + t.check.describe() + "): " + detail;
  }
  return "";
}

std::string CheckGate::summary(const std::string& alloc_id) const {
  auto it = checks_.find(alloc_id);
  if (it == checks_.end()) return "";
  std::string text;
  for (const Tracked& t : it->second) {
    if (!text.empty()) text += ", ";
    text += "check \"" + t.check.name + "\" ";
    if (!t.last_status) text += "not run yet";
    else if (*t.last_status == drivers::CheckStatus::kPassing) text += "passing";
    else text += drivers::to_string(*t.last_status) + (t.last_detail.empty() ? "" : ": " + t.last_detail);
  }
  return text;
}

}  // namespace skiff::reconciler::apply_detail
