#include "reconciler/scheduler/alloc_counts.hpp"

namespace skiff::reconciler::scheduler {

namespace {

void bump(ValueCounts& counts, int32_t value, int32_t delta) {
  if (value < 0) return;  // nodes without the attribute are not counted
  int32_t& n = counts.per_value[value];
  if (n == 0 && delta > 0) ++counts.used_values;
  n += delta;
  if (n == 0 && delta < 0) --counts.used_values;
}

}  // namespace

void AllocCounts::add(size_t node, int32_t delta) {
  per_node_[node] += delta;
  total_ += delta;
  for (ValueCounts& counts : by_value_) bump(counts, counts.column->value_of_node[node], delta);
}

const ValueCounts& AllocCounts::by_value(const AttributeColumn& column) {
  for (const ValueCounts& counts : by_value_) {
    if (counts.column == &column) return counts;
  }
  ValueCounts& counts = by_value_.emplace_back();
  counts.column = &column;
  counts.per_value.assign(column.values.size(), 0);
  for (size_t node = 0; node < per_node_.size(); ++node) {
    if (per_node_[node] != 0) bump(counts, column.value_of_node[node], per_node_[node]);
  }
  return counts;
}

}  // namespace skiff::reconciler::scheduler
