// What the state file adds to an observation before the diff: job history,
// the grace of unreachable hosts, allocations on hosts that could not be
// observed, earlier reschedules, eligibility and drains.
#include <catch2/catch.hpp>

#include "reconciler/state_snapshot.hpp"

using namespace skiff;
using reconciler::AllocationStatus;
using reconciler::ClusterSnapshot;
using reconciler::NodeStatus;

namespace {

state::AllocationRecord record(const std::string& id, const std::string& host, const std::string& status) {
  state::AllocationRecord r;
  r.id = id;
  r.job = "web";
  r.group = "g";
  r.host = host;
  r.job_version = 3;
  r.status = status;
  r.cpu_mhz = 100;
  r.memory_mb = 64;
  r.ports = {{"http", 8080}};
  r.job_spec_hash = "sha256:job";
  return r;
}

reconciler::Node node(const std::string& name, NodeStatus status) {
  reconciler::Node n;
  n.name = name;
  n.status = status;
  return n;
}

}  // namespace

TEST_CASE("history_from takes each job's current version and skips jobs without one", "[snapshot]") {
  state::State s;
  state::JobRecord& web = s.jobs["web"];
  web.id = "web";
  web.versions.push_back({1, nlohmann::json{{"id", "web"}, {"v", 1}}, "sha256:one"});
  web.versions.push_back({2, nlohmann::json{{"id", "web"}, {"v", 2}}, "sha256:two"});
  web.versions.back().stopped = true;
  s.jobs["empty"].id = "empty";

  const auto history = reconciler::history_from(s);
  REQUIRE(history.size() == 1);
  const reconciler::JobHistory& h = history.at("web");
  CHECK(h.version == 2);
  CHECK(h.job_spec_hash == "sha256:two");
  CHECK(h.spec.at("v") == 2);
  CHECK(h.stopped);  // from the rollout history
}

TEST_CASE("add_unobserved keeps what runs on a host that could not be observed", "[snapshot]") {
  state::State s;
  s.allocations = {record("a1", "down-1", "running"), record("a2", "down-1", "complete"), record("a3", "up-1", "running"),
                   record("a4", "down-1", "pending")};
  ClusterSnapshot cluster;
  cluster.nodes = {node("down-1", NodeStatus::kDown), node("up-1", NodeStatus::kReady)};
  reconciler::ExistingAllocation seen;
  seen.id = "a4";  // already known from somewhere: not added twice
  seen.node = "down-1";
  cluster.allocations.push_back(seen);

  reconciler::add_unobserved(s, cluster);
  REQUIRE(cluster.allocations.size() == 2);
  const reconciler::ExistingAllocation& a = cluster.allocations.back();
  CHECK(a.id == "a1");
  CHECK(a.node == "down-1");
  CHECK(a.status == AllocationStatus::kRunning);
  CHECK(a.job_version == 3);
  CHECK(a.resources.cpu_mhz == 100);
  CHECK(a.resources.memory_mb == 64);
  CHECK(a.ports.at("http") == 8080);
  CHECK(a.job_spec_hash == "sha256:job");
}

TEST_CASE("add_history marks copies replaced or lost as stale and carries reschedules", "[snapshot]") {
  state::State s;
  state::AllocationRecord replaced = record("old", "h1", "running");
  state::AllocationRecord successor = record("new", "h2", "running");
  successor.previous_allocation = "old";
  state::AllocationRecord failed = record("bad", "h1", "failed");
  failed.modified_unix = 500;
  failed.reschedules_unix = {100, 200};
  s.allocations = {replaced, successor, failed};

  ClusterSnapshot cluster;
  for (const char* id : {"old", "new", "bad"}) {
    reconciler::ExistingAllocation a;
    a.id = id;
    a.status = std::string(id) == "bad" ? AllocationStatus::kFailed : AllocationStatus::kRunning;
    cluster.allocations.push_back(a);
  }
  reconciler::add_history(s, cluster);
  CHECK(cluster.allocations[0].stale);
  CHECK_FALSE(cluster.allocations[1].stale);
  CHECK(cluster.allocations[2].reschedules_unix == std::vector<int64_t>{100, 200});
  CHECK(cluster.allocations[2].failed_unix == 500);  // the host did not say when
}

TEST_CASE("add_history gives a complete allocation the state's reason for it", "[snapshot]") {
  state::State s;
  state::AllocationRecord stopped = record("stopped", "h1", "complete");
  stopped.status_reason = "stopped by user";
  state::AllocationRecord done = record("done", "h1", "running");  // the state did not see it end
  s.allocations = {stopped, done};
  ClusterSnapshot cluster;
  for (const char* id : {"stopped", "done"}) {
    reconciler::ExistingAllocation a;
    a.id = id;
    a.status = AllocationStatus::kComplete;
    cluster.allocations.push_back(a);
  }
  reconciler::add_history(s, cluster);
  CHECK(cluster.allocations[0].reason == "stopped by user");
  CHECK(cluster.allocations[1].reason.empty());
}

namespace {

// Job web at version 3 with deployments d1 (successful) then d2 (`status`)
// of `version`; a1 healthy, a2 unhealthy, a3 failed, a4 unhealthy but
// stopped since, all of d2.
state::State with_deployment(const std::string& status, uint64_t version) {
  state::State s;
  s.jobs["web"].versions.push_back({3, nlohmann::json::object(), "sha256:three"});
  s.deployments.push_back({"d1", "web", 2, "successful", "", {}, 10, 10});
  s.deployments.push_back({"d2", "web", version, status, "wave 0: not every allocation was healthy", {}, 20, 20});
  for (const char* id : {"a1", "a2", "a3", "a4"}) {
    state::AllocationRecord r = record(id, "h1", "running");
    r.deployment = "d2";
    s.allocations.push_back(r);
  }
  s.allocations[0].health = "healthy";
  s.allocations[1].health = "unhealthy";
  s.allocations[2].status = "failed";
  s.allocations[3].health = "unhealthy";
  s.allocations[3].status = "stopped";
  return s;
}

reconciler::Plan plan_of_web(reconciler::DiffType change) {
  reconciler::Plan plan;
  reconciler::JobPlan web;
  web.job = "web";
  web.version = 3;
  web.change = change;
  plan.jobs.push_back(web);
  return plan;
}

}  // namespace

TEST_CASE("a failed last deployment of the current version is named in the plan with its unhealthy allocations", "[snapshot]") {
  const state::State s = with_deployment("failed", 3);
  REQUIRE(reconciler::failed_last_deployment(s, "web") != nullptr);
  CHECK(reconciler::failed_deployment_allocations(s) == std::set<std::string>{"a2", "a3"});
  reconciler::Plan plan = plan_of_web(reconciler::DiffType::kNone);
  reconciler::note_failed_deployments(s, plan);
  REQUIRE(plan.failed_deployments.size() == 1);
  const reconciler::FailedDeployment& d = plan.failed_deployments[0];
  CHECK(d.job == "web");
  CHECK(d.deployment_id == "d2");
  CHECK(d.version == 3);
  CHECK(d.description == "wave 0: not every allocation was healthy");
  CHECK(d.unhealthy == std::vector<std::string>{"web.g[0] (a2) on h1: unhealthy", "web.g[0] (a3) on h1: failed"});

  // A job file that changed rolls out anew: nothing is held.
  reconciler::Plan changed = plan_of_web(reconciler::DiffType::kEdited);
  reconciler::note_failed_deployments(s, changed);
  CHECK(changed.failed_deployments.empty());
}

TEST_CASE("a deployment that succeeded, runs, or failed at an older version holds nothing", "[snapshot]") {
  for (const auto& [status, version] :
       std::vector<std::pair<std::string, uint64_t>>{{"successful", 3}, {"running", 3}, {"failed", 2}}) {
    const state::State s = with_deployment(status, version);
    CHECK(reconciler::failed_last_deployment(s, "web") == nullptr);
    CHECK(reconciler::failed_deployment_allocations(s).empty());
    reconciler::Plan plan = plan_of_web(reconciler::DiffType::kNone);
    reconciler::note_failed_deployments(s, plan);
    CHECK(plan.failed_deployments.empty());
  }
}

TEST_CASE("add_host_marks copies eligibility and drains, the deadline judged against now", "[snapshot]") {
  state::State s;
  s.hosts["h1"].eligible = false;
  s.hosts["h2"].draining = true;
  s.hosts["h2"].drain_deadline_unix = 1000;
  ClusterSnapshot cluster;
  cluster.nodes = {node("h1", NodeStatus::kReady), node("h2", NodeStatus::kReady), node("h3", NodeStatus::kReady)};

  reconciler::add_host_marks(s, 999, cluster);
  CHECK_FALSE(cluster.nodes[0].eligible);
  CHECK(cluster.nodes[1].draining);
  CHECK_FALSE(cluster.nodes[1].drain_deadline_passed);
  CHECK(cluster.nodes[2].eligible);
  reconciler::add_host_marks(s, 1000, cluster);
  CHECK(cluster.nodes[1].drain_deadline_passed);
}

TEST_CASE("weigh_grace keeps an unreachable host in its grace and names it in the drift", "[snapshot]") {
  state::State s;
  s.hosts["h1"].down_since_unix = 100;
  ClusterSnapshot cluster;
  cluster.nodes = {node("h1", NodeStatus::kDown), node("h2", NodeStatus::kReady)};
  const spec::Duration down_after = spec::Duration::seconds(60);

  reconciler::weigh_grace(s, down_after, 130, cluster);
  CHECK(cluster.nodes[0].status == NodeStatus::kUnreachable);
  CHECK(cluster.nodes[1].status == NodeStatus::kReady);
  REQUIRE(cluster.drift.size() == 1);
  CHECK_THAT(cluster.drift[0], Catch::StartsWith("host h1 "));

  cluster.nodes[0].status = NodeStatus::kDown;
  cluster.drift.clear();
  reconciler::weigh_grace(s, down_after, 161, cluster);
  CHECK(cluster.nodes[0].status == NodeStatus::kDown);
  CHECK(cluster.drift.empty());
}
