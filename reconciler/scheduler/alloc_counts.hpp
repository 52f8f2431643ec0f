// How many live allocations of one job (or one job's group) sit on each node,
// and, for the attributes someone asked about (spread, distinct_property),
// on each value of that attribute. Kept up to date one allocation at a time
// by reserve, release and place; nothing ever rescans the allocations.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "reconciler/scheduler/node_columns.hpp"

namespace skiff::reconciler::scheduler {

struct ValueCounts {
  const AttributeColumn* column = nullptr;
  std::vector<int32_t> per_value;  // indexed like column->values
  int32_t used_values = 0;         // values with at least one allocation
};

class AllocCounts {
 public:
  explicit AllocCounts(size_t nodes) : per_node_(nodes, 0) {}

  int32_t on_node(size_t node) const { return per_node_[node]; }
  int64_t total() const { return total_; }

  // REQUIRES: delta does not take a count below zero.
  void add(size_t node, int32_t delta);

  // The per-value counts for `column`; the first call builds them from the
  // per-node counts (one pass over the nodes), later calls return the same
  // object, updated by add().
  const ValueCounts& by_value(const AttributeColumn& column);

 private:
  std::vector<int32_t> per_node_;
  int64_t total_ = 0;
  std::deque<ValueCounts> by_value_;  // deque: references stay valid
};

}  // namespace skiff::reconciler::scheduler
