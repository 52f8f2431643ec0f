// A saved plan against the plan made afresh at apply: what moved since, named
// (the state's serial, each host that changed, came or went), from digests
// computed by the diff itself over real snapshots.
#include <catch2/catch.hpp>

#include "reconciler/diff.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/plan/plan_staleness.hpp"

namespace skiff::reconciler {
namespace {

ClusterSnapshot two_hosts() {
  ClusterSnapshot cluster;
  cluster.nodes.push_back(Node{.name = "web-1", .capacity = {2000, 4096, 10000, 2}});
  cluster.nodes.push_back(Node{.name = "web-2", .capacity = {2000, 4096, 10000, 2}});
  cluster.allocations.push_back(ExistingAllocation{.id = "a1", .job = "shop", .group = "web", .index = 0, .node = "web-1"});
  cluster.allocations.push_back(ExistingAllocation{.id = "a2", .job = "shop", .group = "web", .index = 1, .node = "web-2"});
  return cluster;
}

Plan plan_of(const ClusterSnapshot& cluster, uint64_t serial) {
  Plan plan;
  plan.state_serial = serial;
  plan.observed_digest = observed_digest(cluster);
  plan.host_digests = observed_host_digests(cluster);
  return plan;
}

TEST_CASE("plan staleness: nothing moved, nothing said", "[reconciler][plan]") {
  CHECK(plan_staleness(plan_of(two_hosts(), 12), plan_of(two_hosts(), 12)).empty());
}

TEST_CASE("plan staleness: the same serial but a host's allocation failed names that host alone", "[reconciler][plan]") {
  ClusterSnapshot later = two_hosts();
  later.allocations[1].status = AllocationStatus::kFailed;
  std::vector<std::string> moved = plan_staleness(plan_of(two_hosts(), 12), plan_of(later, 12));
  REQUIRE(moved.size() == 1);
  CHECK(moved[0] == "host web-2 changed (what runs there, or its status or resources)");
}

TEST_CASE("plan staleness: a new serial, a host gone and one come are each said", "[reconciler][plan]") {
  ClusterSnapshot later = two_hosts();
  later.nodes[1].name = "web-3";
  later.allocations.pop_back();
  std::vector<std::string> moved = plan_staleness(plan_of(two_hosts(), 12), plan_of(later, 13));
  CHECK(moved ==
        std::vector<std::string>{"the state changed (serial 12 -> 13: something was recorded since)", "host web-3 is new",
                                 "host web-2 is no longer reported"});
}

TEST_CASE("plan staleness: two hosts drained are listed together", "[reconciler][plan]") {
  ClusterSnapshot later = two_hosts();
  for (Node& n : later.nodes) n.draining = true;
  CHECK(plan_staleness(plan_of(two_hosts(), 3), plan_of(later, 3)) ==
        std::vector<std::string>{"hosts web-1 and web-2 changed (what runs there, or its status or resources)"});
}

TEST_CASE("plan staleness: per-host digests survive the plan file, and an older file without them still says why",
          "[reconciler][plan]") {
  ClusterSnapshot later = two_hosts();
  later.allocations[0].job_version = 2;
  Result<Plan> read = plan_from_json(plan_to_json(plan_of(two_hosts(), 5)));
  REQUIRE(read.ok());
  CHECK(read->host_digests == observed_host_digests(two_hosts()));
  CHECK(plan_staleness(*read, plan_of(later, 5)) ==
        std::vector<std::string>{"host web-1 changed (what runs there, or its status or resources)"});
  nlohmann::json old_file = plan_to_json(plan_of(two_hosts(), 5));
  old_file.erase("host_digests");
  Result<Plan> old = plan_from_json(old_file);
  REQUIRE(old.ok());
  CHECK(plan_staleness(*old, plan_of(later, 5)) == std::vector<std::string>{"what the hosts report changed"});
}

}  // namespace
}  // namespace skiff::reconciler
