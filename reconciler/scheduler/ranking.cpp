#include "reconciler/scheduler/ranking.hpp"

#include <algorithm>
#include <cmath>

namespace skiff::reconciler::scheduler {

namespace {

// 10^x as e^(x ln 10): exp is several times cheaper than pow, and this is
// the hottest arithmetic in placement (two per candidate).
double pow10(double x) { return std::exp(x * 2.302585092994045684); }

double free_fraction(int64_t capacity, int64_t used) {
  if (capacity <= 0) return 0;  // nothing offered: as full as it gets
  return 1.0 - static_cast<double>(used) / static_cast<double>(capacity);
}

double even_boost(const SpreadRule& rule, int32_t value) {
  const ValueCounts& counts = *rule.counts;
  if (counts.used_values == 0) return 0;
  int32_t current = counts.per_value[value];
  int32_t min = rule.round_min, max = rule.round_max;
  if (current != min) return static_cast<double>(min - current) / min;
  if (min == max) return -1;
  return static_cast<double>(max - min) / min;
}

}  // namespace

double fit_score(const Resources& capacity, const Resources& used, SchedulerAlgorithm algorithm) {
  double total = pow10(free_fraction(capacity.cpu_mhz, used.cpu_mhz)) + pow10(free_fraction(capacity.memory_mb, used.memory_mb));
  double score = algorithm == SchedulerAlgorithm::kBinpack ? 20.0 - total : total - 2.0;
  return std::clamp(score, 0.0, kMaxFitScore) / kMaxFitScore;
}

void prepare_spreads(GroupPlan& plan) {
  for (SpreadRule& rule : plan.spreads) {
    if (!rule.even) continue;
    int32_t min = 0, max = 0;
    for (int32_t n : rule.counts->per_value) {
      if (n == 0) continue;
      if (min == 0 || n < min) min = n;
      max = std::max(max, n);
    }
    rule.round_min = min;
    rule.round_max = max;
  }
}

double spread_boost(const SpreadRule& rule, size_t node, double& lowest_boost) {
  int32_t value = rule.column->value_of_node[node];
  if (value < 0) return -1;
  if (rule.even) return even_boost(rule, value);
  double desired = rule.desired[value] >= 0 ? rule.desired[value] : rule.implicit;
  if (desired < 0) return -1;
  if (desired == 0) return lowest_boost;
  double used = rule.counts->per_value[value] + 1.0;
  double boost = (desired - used) / desired * rule.weight_fraction;
  lowest_boost = std::min(lowest_boost, boost);
  return boost;
}

}  // namespace skiff::reconciler::scheduler
