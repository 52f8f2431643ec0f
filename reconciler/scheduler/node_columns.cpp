#include "reconciler/scheduler/node_columns.hpp"

#include "reconciler/scheduler/constraint.hpp"

namespace skiff::reconciler::scheduler {

namespace {

// Keys of masks_ carry a kind prefix so a driver never meets a constraint.
constexpr char kSeparator = '\x1f';

template <typename Predicate>
NodeMask mask_of(const std::vector<Node>& nodes, Predicate&& predicate) {
  NodeMask mask(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) mask[i] = predicate(nodes[i]) ? 1 : 0;
  return mask;
}

}  // namespace

bool glob_match(const std::string& pattern, const std::string& text) {
  size_t p = 0, t = 0, star = std::string::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

NodeColumns::NodeColumns(const std::vector<Node>& nodes) : nodes_(nodes) {
  schedulable_ = mask_of(nodes, [](const Node& n) { return n.status == NodeStatus::kReady && n.eligible && !n.draining; });
}

const AttributeColumn& NodeColumns::attribute(const std::string& reference) {
  auto [it, inserted] = attributes_.try_emplace(reference);
  if (!inserted) return it->second;
  AttributeColumn& column = it->second;
  std::unordered_map<std::string, int32_t> ids;
  column.value_of_node.resize(nodes_.size(), -1);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const std::string* value = resolve_target(nodes_[i], reference);
    if (!value) continue;
    auto [id, fresh] = ids.try_emplace(*value, static_cast<int32_t>(column.values.size()));
    if (fresh) column.values.push_back(*value);
    column.value_of_node[i] = id->second;
  }
  return column;
}

NodeMask NodeColumns::evaluate(const std::string& attribute, const std::string& op, const std::string& value) {
  const AttributeColumn& left = this->attribute(attribute);
  if (is_reference(value)) {
    const AttributeColumn& right = this->attribute(value);
    ConstraintCheck check(op, nullptr);
    NodeMask mask(nodes_.size());
    for (size_t i = 0; i < nodes_.size(); ++i) {
      int32_t l = left.value_of_node[i], r = right.value_of_node[i];
      mask[i] = check.matches(l < 0 ? nullptr : &left.values[l], r < 0 ? nullptr : &right.values[r]);
    }
    return mask;
  }
  // One evaluation per distinct value, then a lookup per node.
  ConstraintCheck check(op, &value);
  std::vector<int8_t> by_value(left.values.size());
  for (size_t v = 0; v < left.values.size(); ++v) by_value[v] = check.matches(&left.values[v]);
  int8_t missing = check.matches(nullptr);
  NodeMask mask(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    int32_t l = left.value_of_node[i];
    mask[i] = l < 0 ? missing : by_value[l];
  }
  return mask;
}

const NodeMask& NodeColumns::constraint(const std::string& attribute, const std::string& op, const std::string& value) {
  std::string key = "c" + attribute + kSeparator + op + kSeparator + value;
  auto it = masks_.find(key);
  if (it != masks_.end()) return it->second;
  return masks_.emplace(std::move(key), evaluate(attribute, op, value)).first->second;
}

const NodeMask& NodeColumns::driver(const std::string& name) {
  auto [it, inserted] = masks_.try_emplace("d" + name);
  if (inserted) it->second = mask_of(nodes_, [&](const Node& n) { return n.drivers.count(name) > 0; });
  return it->second;
}

const NodeMask& NodeColumns::host_volume(const std::string& name) {
  auto [it, inserted] = masks_.try_emplace("v" + name);
  if (inserted) it->second = mask_of(nodes_, [&](const Node& n) { return n.host_volumes.count(name) > 0; });
  return it->second;
}

const NodeMask& NodeColumns::scope(const std::vector<std::string>& datacenters, const std::string& pool) {
  std::string key = "s" + pool;
  for (const std::string& dc : datacenters) key += kSeparator + dc;
  auto [it, inserted] = masks_.try_emplace(key);
  if (!inserted) return it->second;
  it->second = mask_of(nodes_, [&](const Node& n) {
    if (pool != "all" && n.node_pool != pool) return false;
    for (const std::string& dc : datacenters) {
      if (glob_match(dc, n.datacenter)) return true;
    }
    return false;
  });
  return it->second;
}

}  // namespace skiff::reconciler::scheduler
