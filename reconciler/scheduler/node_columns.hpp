// What the placer asks of nodes again and again, computed once per question
// for every node and kept as flat columns indexed by node: the value an
// attribute reference has on each node (interned, so a spread or
// distinct_property counts per small integer), and yes/no answers for each
// distinct constraint, driver, host volume and datacenter/pool scope.
// Constraints are evaluated once per distinct attribute value, not per node,
// so a regexp over 50 racks runs 50 times however many nodes there are.
//
// References into the returned columns stay valid for the object's life.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "parser/spec/policies.hpp"
#include "reconciler/scheduler/cluster.hpp"

namespace skiff::reconciler::scheduler {

struct AttributeColumn {
  std::vector<int32_t> value_of_node;  // index into values; -1: missing
  std::vector<std::string> values;     // distinct values, first-seen order
};

using NodeMask = std::vector<int8_t>;  // 1: yes, 0: no, per node

class NodeColumns {
 public:
  explicit NodeColumns(const std::vector<Node>& nodes);

  const AttributeColumn& attribute(const std::string& reference);
  // Whether each node satisfies `attribute op value` (distinct_* excluded).
  const NodeMask& constraint(const std::string& attribute, const std::string& op, const std::string& value);
  const NodeMask& driver(const std::string& name);
  const NodeMask& host_volume(const std::string& name);
  // In one of `datacenters` (globs with `*`) and in `pool` ("all": any).
  const NodeMask& scope(const std::vector<std::string>& datacenters, const std::string& pool);
  // Ready, eligible and not draining.
  const NodeMask& schedulable() const { return schedulable_; }

  size_t size() const { return nodes_.size(); }

 private:
  NodeMask evaluate(const std::string& attribute, const std::string& op, const std::string& value);

  const std::vector<Node>& nodes_;
  NodeMask schedulable_;
  std::unordered_map<std::string, AttributeColumn> attributes_;
  std::unordered_map<std::string, NodeMask> masks_;
};

// Nomad's datacenter globs: `*` matches any run of characters.
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace skiff::reconciler::scheduler
