// The score components of Nomad's ranking (scheduler/rank.go, spread.go,
// structs/funcs.go), each a plain function of numbers the placer already has.
// A node's final score is the mean of the components that apply to it
// (Nomad's ScoreNormalizationIterator):
//
// - fit, always: bin-packing 20 - (10^freeCpu + 10^freeMem), or for the
//   spread algorithm (10^freeCpu + 10^freeMem) - 2, clamped to [0, 18] and
//   divided by 18, where free* is the fraction left after this allocation;
// - job anti-affinity, when the group already has c allocations on the
//   node: -(c + 1) / count;
// - rescheduling penalty, on a penalty node: -1;
// - affinity, when non-zero: the weights of matching affinities over the sum
//   of all |weights|;
// - spread, when non-zero: the sum over spread blocks of spread_boost().
#pragma once

#include "reconciler/scheduler/cluster.hpp"
#include "reconciler/scheduler/group_plan.hpp"
#include "reconciler/scheduler/placer.hpp"

namespace skiff::reconciler::scheduler {

inline constexpr double kMaxFitScore = 18.0;

// `used` includes the allocation being placed.
double fit_score(const Resources& capacity, const Resources& used, SchedulerAlgorithm algorithm);

// Before scoring a placement's candidates: the even-spread minimum and
// maximum of every spread block (they do not change until it is placed).
void prepare_spreads(GroupPlan& plan);

// One spread block's boost for `node` (Nomad's SpreadIterator):
// - a node without the attribute: -1;
// - with targets: (desired - (used + 1)) / desired * weight_fraction, where
//   a value without a target uses the "*" remainder, a value with neither
//   gets -1, and a 0% target gets the lowest boost seen so far;
// - without targets (even): nothing placed yet gives 0; a value below the
//   least-used value's count m gets (m - used) / m (1 for an unused value);
//   at the minimum, -1 when all values are even, else (max - m) / m.
double spread_boost(const SpreadRule& rule, size_t node, double& lowest_boost);

}  // namespace skiff::reconciler::scheduler
