#include "reconciler/drift_corrections.hpp"

namespace skiff::reconciler {

std::vector<DriftCorrection> drift_corrections(const Plan& plan) {
  std::vector<DriftCorrection> out;
  for (const Action& action : plan.actions) {
    if (action.kind == ActionKind::kIgnore) continue;
    const std::string kind = to_string(action.kind);
    const std::string& host = action.node.empty() ? action.to_node : action.node;
    std::string line = action.name() + (host.empty() ? "" : " on " + host) + ": " + kind;
    if (!action.reason.empty()) line += " (" + action.reason + ")";
    out.push_back(DriftCorrection{kind, std::move(line)});
  }
  return out;
}

}  // namespace skiff::reconciler
