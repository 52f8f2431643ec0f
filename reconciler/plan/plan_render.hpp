// The human form of a Plan, in the style people know from `terraform plan`
// and `nomad job plan`: one block per job that changes (its field diff nested
// under task groups and tasks), the allocations that change, the placement
// failures, and a last line that counts it all. The JSON form is
// plan_json.hpp.
//
// Symbols, right-aligned in the allocation list as Terraform does:
//     +   place (new job, count raised, missing copy) and reschedule
//     -   stop
//     ~   update in place; an edited job, group, task or field
//   -/+   replace (destructive update: the old one stops, a new one starts)
//     >   migrate (moved off a draining or no longer feasible host)
//
// Pure: the same Plan gives the same text, byte for byte.
#pragma once

#include <string>

#include "reconciler/plan/plan.hpp"

namespace skiff::reconciler {

// Whether to use ANSI colours. The CLI decides from the terminal and
// -no-color; the renderer only obeys.
enum class Color { kNever, kAlways };

struct RenderOptions {
  Color color = Color::kNever;
};

// The whole plan as text, every line ending in "\n". Jobs with no change, no
// changing allocation, no placement failure and no note are left out. The
// last line is "Plan: N to place, ..." or, when nothing changes,
// "No changes. The fleet matches the job files."
std::string render_plan(const Plan& plan, RenderOptions options = {});

}  // namespace skiff::reconciler
