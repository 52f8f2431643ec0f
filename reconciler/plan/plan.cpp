// The words for each ActionKind and the counting that fills PlanSummary.
#include "reconciler/plan/plan.hpp"

#include <algorithm>

namespace skiff::reconciler {

std::string to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::kPlace: return "place";
    case ActionKind::kStop: return "stop";
    case ActionKind::kUpdateInPlace: return "update in place";
    case ActionKind::kReplace: return "replace";
    case ActionKind::kMigrate: return "migrate";
    case ActionKind::kReschedule: return "reschedule";
    case ActionKind::kIgnore: return "ignore";
  }
  return "ignore";
}

PlanSummary summarize(const std::vector<Action>& actions) {
  PlanSummary summary;
  for (const Action& action : actions) {
    switch (action.kind) {
      // A rescheduled allocation is a new one on another host, so it counts
      // where the user looks for new allocations.
      case ActionKind::kPlace:
      case ActionKind::kReschedule: ++summary.place; break;
      case ActionKind::kStop: ++summary.stop; break;
      case ActionKind::kUpdateInPlace: ++summary.update_in_place; break;
      case ActionKind::kReplace: ++summary.replace; break;
      case ActionKind::kMigrate: ++summary.migrate; break;
      case ActionKind::kIgnore: break;
    }
  }
  return summary;
}

bool has_changes(const Plan& plan) {
  return plan.summary.has_changes() ||
      std::any_of(plan.jobs.begin(), plan.jobs.end(), [](const JobPlan& job) { return job.change != DiffType::kNone; });
}

}  // namespace skiff::reconciler
