// Hand-built plans, one per situation `skiff plan` must show well, shared by
// the rendering and JSON tests. Their rendered text and JSON are pinned in
// tests/data/plans/<name>.txt and <name>.json.
#pragma once

#include <string>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace skiff::reconciler::testing {

struct GoldenPlan {
  std::string name;
  Plan plan;
};

std::vector<GoldenPlan> golden_plans();

}  // namespace skiff::reconciler::testing
