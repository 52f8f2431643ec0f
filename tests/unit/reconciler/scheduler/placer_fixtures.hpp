// Small builders for placer tests: nodes and jobs as plain values.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "reconciler/scheduler/placer.hpp"

namespace skiff::reconciler::testing {

inline Node make_node(const std::string& name, const std::string& dc = "dc1") {
  Node n;
  n.name = name;
  n.datacenter = dc;
  n.attributes = {{"kernel.name", "linux"}, {"cpu.arch", "amd64"}};
  n.drivers = {"exec", "docker"};
  n.capacity = {4000, 8192, 50000, 4};
  return n;
}

inline std::vector<Node> make_nodes(int count, const std::string& prefix = "n", const std::string& dc = "dc1") {
  std::vector<Node> nodes;
  for (int i = 0; i < count; ++i) nodes.push_back(make_node(prefix + std::to_string(i), dc));
  return nodes;
}

// One group "web" with one task "app" (exec, 100 MHz, 256 MB, 300 MB disk).
inline spec::Job make_job(const std::string& id = "web", int count = 1) {
  spec::Job job;
  job.id = id;
  job.name = id;
  spec::Group group;
  group.name = "web";
  group.count = count;
  spec::Task task;
  task.name = "app";
  task.driver = "exec";
  task.resources.cpu = 100;
  task.resources.memory_mb = 256;
  group.tasks.push_back(task);
  job.groups.push_back(group);
  return job;
}

inline spec::Constraint constraint(const std::string& attribute, const std::string& op, const std::string& value) {
  spec::Constraint c;
  c.attribute = attribute;
  c.op = op;
  c.value = value;
  return c;
}

inline bool placed(const PlacementOutcome& outcome) { return std::holds_alternative<Placement>(outcome); }
inline const Placement& placement(const PlacementOutcome& outcome) { return std::get<Placement>(outcome); }
inline const PlacementFailure& failure(const PlacementOutcome& outcome) { return std::get<PlacementFailure>(outcome); }

// Places `n` allocations of the job's first group; returns node -> count.
inline std::map<std::string, int> place_many(Placer& placer, const spec::Job& job, int n) {
  std::map<std::string, int> per_node;
  for (int i = 0; i < n; ++i) {
    PlacementOutcome outcome = placer.place(job, job.groups[0]);
    if (placed(outcome)) ++per_node[placement(outcome).node];
  }
  return per_node;
}

inline ExistingAllocation existing(const std::string& job, const std::string& group, const std::string& node,
                                   Resources resources = {100, 256, 300, 0}) {
  ExistingAllocation a;
  a.id = job + "-" + node;
  a.job = job;
  a.group = group;
  a.node = node;
  a.resources = resources;
  return a;
}

}  // namespace skiff::reconciler::testing
