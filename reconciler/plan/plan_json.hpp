// The JSON form of a Plan, for `skiff plan -json`, `skiff plan -out FILE`
// and `skiff apply FILE`. docs/plan-json.md describes every field.
//
// The form is exact: plan_from_json(plan_to_json(p)) == p for every plan.
// Values people read but the plan derives (summary.changes, each action's
// name, the RFC3339 copies of the unix times) are written and not read back.
#pragma once

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "reconciler/plan/plan.hpp"

namespace skiff::reconciler {

// Bumped when a field changes meaning or disappears; new fields do not bump it.
inline constexpr int kPlanFormatVersion = 1;

nlohmann::json plan_to_json(const Plan& plan);

// Reads a plan written by plan_to_json. Fields it does not know are ignored;
// a missing or ill-typed field is an ErrorCode::kParse error that names it by
// its path, as in "plan JSON: jobs[0].groups[1].desired: expected an integer, got string".
Result<Plan> plan_from_json(const nlohmann::json& json);

// The stable snake_case identifiers of the JSON form: "place", "stop",
// "update_in_place", "replace", "migrate", "reschedule", "ignore".
std::string action_kind_id(ActionKind kind);
// "none", "added", "deleted", "edited".
std::string diff_type_id(DiffType type);

}  // namespace skiff::reconciler
