// Drift, as the reconcile loop reports it: when the commit it follows is
// the one applied already, every change the plan still makes corrects
// something that happened on the fleet (a process killed, a host lost, an
// allocation failed). One line each, with the plan's reason, for the log,
// the state's reconcile record and the metrics. Pure.
#pragma once

#include <string>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace skiff::reconciler {

struct DriftCorrection {
  std::string kind;  // the action: "place", "stop", "reschedule", ... (a metric label)
  std::string line;  // "web.app[1] on node-2: place (missing copy replaced)"
};

// Every action of `plan` but those that leave an allocation as it is.
std::vector<DriftCorrection> drift_corrections(const Plan& plan);

}  // namespace skiff::reconciler
