// The diff around hosts that go away and come back, and failed
// allocations: an unreachable host's allocations are kept until it is
// down, a down host's are rescheduled, stale copies give way when their
// host is back, and failed ones wait for their reschedule policy.
#include <catch2/catch.hpp>

#include "reconciler/diff.hpp"
#include "reconciler/plan/plan_effect.hpp"
#include "support/job_from_hcl.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using skiff::reconciler::testing::make_nodes;
using skiff::testing::job_from;

namespace {

std::string service(int count, const std::string& group_extra = "", const std::string& type = "service") {
  return "job \"web\" {\n  type = \"" + type + "\"\n  group \"web\" {\n    count = " + std::to_string(count) + "\n" +
      group_extra +
      "    task \"app\" {\n      driver = \"docker\"\n      config {\n        image = \"web:1\"\n      }\n"
      "      resources {\n        cpu    = 100\n        memory = 128\n      }\n    }\n  }\n}\n";
}

struct Cluster {
  PlanInputs inputs;
  int64_t now = 100000;
  int next_id = 0;

  explicit Cluster(int nodes, const std::string& job) {
    inputs.cluster.nodes = make_nodes(nodes);
    inputs.jobs = {job_from(job)};
    inputs.cluster = apply_plan(inputs.cluster, inputs.jobs, plan(), [this] { return "a" + std::to_string(next_id++); });
  }
  Plan plan() const {
    PlanOptions options;
    options.seed = 3;
    options.now_unix = now;
    return compute_plan(inputs, options);
  }
  Plan apply() {
    Plan p = plan();
    inputs.cluster = apply_plan(inputs.cluster, inputs.jobs, p, [this] { return "a" + std::to_string(next_id++); });
    return p;
  }
  Node& node(const std::string& name) {
    for (Node& n : inputs.cluster.nodes)
      if (n.name == name) return n;
    FAIL("no node " << name);
    throw;
  }
  ExistingAllocation& at(int index) {
    for (ExistingAllocation& a : inputs.cluster.allocations)
      if (a.index == index) return a;
    FAIL("no allocation at index " << index);
    throw;
  }
};

const Action* for_alloc(const Plan& plan, const std::string& id) {
  for (const Action& a : plan.actions)
    if (a.alloc_id == id) return &a;
  return nullptr;
}

int live_on(const ClusterSnapshot& cluster, const std::string& node) {
  int n = 0;
  for (const ExistingAllocation& a : cluster.allocations) n += a.node == node && !is_terminal(a.status);
  return n;
}

}  // namespace

TEST_CASE("an unreachable host keeps its allocations and takes nothing new; once down they are rescheduled", "[diff][down]") {
  Cluster c(4, service(3, "    constraint {\n      distinct_hosts = true\n    }\n"));
  ExistingAllocation& on_n1 = c.at(0);
  const std::string host = on_n1.node, id = on_n1.id;
  c.node(host).status = NodeStatus::kUnreachable;
  c.node(host).status_reason = "unreachable for 4s; down after 30s";
  Plan waiting = c.plan();
  CHECK_FALSE(waiting.summary.has_changes());
  REQUIRE(for_alloc(waiting, id));
  CHECK(for_alloc(waiting, id)->kind == ActionKind::kIgnore);
  CHECK(for_alloc(waiting, id)->reason == "host " + host + " unreachable for 4s; down after 30s");

  c.node(host).status = NodeStatus::kDown;
  Plan lost = c.plan();
  REQUIRE(for_alloc(lost, id));
  CHECK(for_alloc(lost, id)->kind == ActionKind::kReschedule);
  CHECK(for_alloc(lost, id)->reason == "lost: host " + host + " is down");
  // distinct_hosts: onto the fourth host, the only one without a copy.
  CHECK(for_alloc(lost, id)->to_node != host);
  CHECK(lost.summary.unplaced == 0);
}

TEST_CASE("a stale copy found again on its host gives way to the copy that replaced it", "[diff][down]") {
  Cluster c(4, service(2));
  const std::string old_id = c.at(0).id, old_host = c.at(0).node;
  c.node(old_host).status = NodeStatus::kDown;
  c.apply();
  c.node(old_host).status = NodeStatus::kReady;
  // The host is back. Its old copy still runs (a partition, not a crash),
  // and sorts first by id: without `stale` the slot would keep it.
  ExistingAllocation old = c.at(0);
  REQUIRE(old.node != old_host);
  old.id = "0-old";
  old.node = old_host;
  old.stale = true;
  c.inputs.cluster.allocations.push_back(old);
  Plan back = c.plan();
  const Action* stop = for_alloc(back, "0-old");
  REQUIRE(stop);
  CHECK(stop->kind == ActionKind::kStop);
  CHECK(stop->reason == "stale copy: index 0 was replaced while host " + old_host + " was down");
  CHECK(back.summary.stop == 1);
  CHECK(back.summary.place == 0);

  // Crashed instead: the stale copy is dead, and is removed all the same.
  c.inputs.cluster.allocations.back().status = AllocationStatus::kLost;
  Plan crashed = c.plan();
  REQUIRE(for_alloc(crashed, "0-old"));
  CHECK(for_alloc(crashed, "0-old")->kind == ActionKind::kStop);
  CHECK(crashed.summary.place == 0);
  c.inputs.cluster = apply_plan(c.inputs.cluster, c.inputs.jobs, crashed, [] { return std::string("x"); });
  CHECK(live_on(c.inputs.cluster, old_host) == 0);
  CHECK_FALSE(c.plan().summary.has_changes());
}

TEST_CASE("a stale copy that nothing replaced is kept", "[diff][down]") {
  Cluster c(2, service(1));
  c.at(0).stale = true;
  Plan plan = c.plan();
  CHECK_FALSE(plan.summary.has_changes());
  CHECK(for_alloc(plan, c.at(0).id)->kind == ActionKind::kIgnore);
}

TEST_CASE("a failed allocation is rescheduled once its delay has passed, and not once its attempts are used",
          "[diff][reschedule]") {
  Cluster c(3,
            service(1,
                    "    reschedule {\n      attempts = 2\n      interval = \"1h\"\n      delay = \"30s\"\n"
                    "      delay_function = \"constant\"\n      unlimited = false\n    }\n"));
  ExistingAllocation& a = c.at(0);
  a.status = AllocationStatus::kFailed;
  a.reason = "task \"app\": exited with status 3";
  a.failed_unix = c.now - 5;
  Plan early = c.plan();
  CHECK_FALSE(early.summary.has_changes());
  REQUIRE(for_alloc(early, a.id));
  CHECK(for_alloc(early, a.id)->kind == ActionKind::kIgnore);
  CHECK(for_alloc(early, a.id)->reason == "failed on " + a.node + ": task \"app\": exited with status 3; reschedule in 25s");

  c.now += 25;
  Plan due = c.plan();
  REQUIRE(for_alloc(due, a.id));
  CHECK(for_alloc(due, a.id)->kind == ActionKind::kReschedule);
  CHECK(for_alloc(due, a.id)->to_node != a.node);  // elsewhere when it can be

  a.reschedules_unix = {c.now - 600, c.now - 60};
  Plan exhausted = c.plan();
  CHECK_FALSE(exhausted.summary.has_changes());
  CHECK(for_alloc(exhausted, a.id)->reason ==
        "failed on " + a.node + ": task \"app\": exited with status 3; reschedule attempts exhausted (2 in 1h0m0s)");
}

TEST_CASE("a lost allocation is replaced at once, whatever its reschedule policy", "[diff][reschedule]") {
  Cluster c(2, service(1, "    reschedule {\n      attempts = 0\n      unlimited = false\n    }\n"));
  ExistingAllocation& a = c.at(0);
  a.status = AllocationStatus::kLost;
  a.reschedules_unix = {c.now - 10};
  Plan plan = c.plan();
  REQUIRE(for_alloc(plan, a.id));
  CHECK(for_alloc(plan, a.id)->kind == ActionKind::kReschedule);
}

TEST_CASE("a system job on an unreachable host is left as it is", "[diff][down]") {
  Cluster c(3,
            "job \"agent\" {\n  type = \"system\"\n  group \"a\" {\n    task \"a\" {\n      driver = \"docker\"\n"
            "      config {\n        image = \"a:1\"\n      }\n    }\n  }\n}\n");
  REQUIRE(c.inputs.cluster.allocations.size() == 3);
  c.node("n1").status = NodeStatus::kUnreachable;
  c.node("n1").status_reason = "unreachable; down after 1m0s";
  Plan plan = c.plan();
  CHECK_FALSE(plan.summary.has_changes());
}
