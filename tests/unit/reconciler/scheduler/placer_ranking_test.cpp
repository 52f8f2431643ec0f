#include <catch2/catch.hpp>

#include "reconciler/scheduler/placer.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using namespace skiff::reconciler::testing;

namespace {

std::vector<Node> big_nodes(int count, const std::string& prefix, const std::string& dc) {
  std::vector<Node> nodes = make_nodes(count, prefix, dc);
  for (Node& n : nodes) n.capacity = {100000, 100000, 1000000, 0};
  return nodes;
}

std::map<std::string, int> by(const std::vector<Node>& nodes, const std::map<std::string, int>& per_node,
                              const std::string& meta) {
  std::map<std::string, int> out;
  for (const Node& n : nodes) {
    auto it = per_node.find(n.name);
    if (it == per_node.end()) continue;
    out[meta.empty() ? n.datacenter : n.meta.at(meta)] += it->second;
  }
  return out;
}

}  // namespace

TEST_CASE("spread targets are met: 70/30 over two datacenters", "[reconciler][placer]") {
  std::vector<Node> nodes = big_nodes(5, "a", "dc1");
  for (const Node& n : big_nodes(5, "b", "dc2")) nodes.push_back(n);
  spec::Job job = make_job("j", 10);
  spec::Spread spread;
  spread.attribute = "${node.datacenter}";
  spread.weight = 100;
  spread.targets = {{"dc1", 70}, {"dc2", 30}};
  job.spreads.push_back(spread);
  for (uint64_t seed : {1, 2, 3, 42}) {
    INFO("seed " << seed);
    Placer placer(nodes, SchedulerAlgorithm::kBinpack, seed);
    CHECK(by(nodes, place_many(placer, job, 10), "") == std::map<std::string, int>{{"dc1", 7}, {"dc2", 3}});
  }
}

TEST_CASE("a target remainder goes to the implicit * value; untargeted values are avoided", "[reconciler][placer]") {
  std::vector<Node> nodes = big_nodes(4, "a", "dc1");
  for (const Node& n : big_nodes(4, "b", "dc2")) nodes.push_back(n);
  spec::Job job = make_job("j", 10);
  spec::Spread spread;
  spread.attribute = "${node.datacenter}";
  spread.weight = 50;
  spread.targets = {{"dc1", 80}};  // dc2 is "*": the remaining 2
  job.groups[0].spreads.push_back(spread);
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 5);
  CHECK(by(nodes, place_many(placer, job, 10), "") == std::map<std::string, int>{{"dc1", 8}, {"dc2", 2}});

  spec::Job all_in_one = make_job("k", 6);
  spread.targets = {{"dc2", 100}};  // no remainder: dc1 has no target at all
  all_in_one.groups[0].spreads.push_back(spread);
  CHECK(by(nodes, place_many(placer, all_in_one, 6), "") == std::map<std::string, int>{{"dc2", 6}});
}

TEST_CASE("a spread without targets spreads evenly", "[reconciler][placer]") {
  std::vector<Node> nodes = big_nodes(12, "n", "dc1");
  for (int i = 0; i < 12; ++i) nodes[i].meta["rack"] = "r" + std::to_string(i % 4);
  spec::Job job = make_job("j", 100);  // big count: anti-affinity is weak
  spec::Spread spread;
  spread.attribute = "${meta.rack}";
  job.spreads.push_back(spread);
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 11);
  CHECK(by(nodes, place_many(placer, job, 40), "rack") ==
        std::map<std::string, int>{{"r0", 10}, {"r1", 10}, {"r2", 10}, {"r3", 10}});
}

TEST_CASE("affinities prefer matching nodes and negative ones avoid them", "[reconciler][placer]") {
  std::vector<Node> nodes = big_nodes(8, "n", "dc1");
  nodes[5].meta["disk"] = "ssd";
  spec::Affinity likes;
  likes.attribute = "${meta.disk}";
  likes.value = "ssd";
  likes.weight = 100;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    spec::Job job = make_job("j", 100);
    job.affinities.push_back(likes);
    Placer placer(nodes, SchedulerAlgorithm::kBinpack, seed);
    CHECK(placement(placer.place(job, job.groups[0])).node == "n5");
  }
  spec::Job job = make_job("k", 100);
  likes.weight = -100;
  job.groups[0].tasks[0].affinities.push_back(likes);
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 3);
  CHECK(place_many(placer, job, 30).count("n5") == 0);
}

TEST_CASE("job anti-affinity spreads a small group over nodes", "[reconciler][placer]") {
  std::vector<Node> nodes = big_nodes(3, "n", "dc1");
  spec::Job job = make_job("j", 3);
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 13);
  CHECK(place_many(placer, job, 3) == std::map<std::string, int>{{"n0", 1}, {"n1", 1}, {"n2", 1}});
}

TEST_CASE("binpack puts a new job next to an old one; the spread algorithm avoids it", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(2);
  spec::Job job = make_job("new");
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    Placer binpack(nodes, SchedulerAlgorithm::kBinpack, seed);
    binpack.reserve(existing("old", "g", "n1", {2000, 4000, 300, 0}));
    CHECK(placement(binpack.place(job, job.groups[0])).node == "n1");
    Placer spread(nodes, SchedulerAlgorithm::kSpread, seed);
    spread.reserve(existing("old", "g", "n1", {2000, 4000, 300, 0}));
    CHECK(placement(spread.place(job, job.groups[0])).node == "n0");
  }
}

TEST_CASE("penalty nodes are avoided while another node fits", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(2);
  nodes[0].capacity.cpu_mhz = 300;
  nodes[1].capacity.cpu_mhz = 300;
  spec::Job job = make_job("j", 1000);
  PlacementOptions options;
  options.penalty_nodes = {"n0"};
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 2);
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i) {
    PlacementOutcome outcome = placer.place(job, job.groups[0], options);
    if (placed(outcome)) got.push_back(placement(outcome).node);
  }
  CHECK(got == std::vector<std::string>{"n1", "n1", "n1", "n0", "n0"});
}

TEST_CASE("reserve and release count resources, anti-affinity and distinct_hosts", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(2);
  spec::Job job = make_job("j", 5);
  job.constraints.push_back(constraint("", "distinct_hosts", "true"));
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 1);
  ExistingAllocation mine = existing("j", "web", "n0");
  placer.reserve(mine);
  ExistingAllocation dead = existing("j", "web", "n1");
  dead.status = AllocationStatus::kFailed;
  placer.reserve(dead);                               // terminal: ignored
  placer.reserve(existing("j", "web", "elsewhere"));  // unknown node: ignored
  CHECK(placement(placer.place(job, job.groups[0])).node == "n1");
  CHECK_FALSE(placed(placer.place(job, job.groups[0])));
  placer.release(mine);
  CHECK(placement(placer.place(job, job.groups[0])).node == "n0");

  // Resources: a node filled by reservations takes nothing more.
  std::vector<Node> one = make_nodes(1);
  Placer full(one, SchedulerAlgorithm::kBinpack, 1);
  ExistingAllocation hog = existing("other", "g", "n0", {3950, 100, 100, 0});
  full.reserve(hog);
  PlacementOutcome outcome = full.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).dimension_exhausted == std::map<std::string, int>{{"cpu", 1}});
  full.release(hog);
  full.release(hog);  // a second release is ignored rather than going negative
  CHECK(placed(full.place(job, job.groups[0])));
  full.reserve(existing("other", "g", "n0", {3900, 100, 100, 0}));
  CHECK_FALSE(placed(full.place(make_job("x"), make_job("x").groups[0])));
}

TEST_CASE("still_feasible re-checks everything but resources", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(3);
  nodes[1].draining = true;
  nodes[2].meta["rack"] = "r2";
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 1);
  spec::Job job = make_job("j", 3);
  ExistingAllocation on0 = existing("j", "web", "n0", {999999, 1, 1, 0});  // resources do not matter
  ExistingAllocation on1 = existing("j", "web", "n1");
  ExistingAllocation on2 = existing("j", "web", "n2");
  for (const auto* a : {&on0, &on1, &on2}) placer.reserve(*a);
  CHECK(placer.still_feasible(job, job.groups[0], on0));
  CHECK_FALSE(placer.still_feasible(job, job.groups[0], on1));  // draining
  CHECK_FALSE(placer.still_feasible(job, job.groups[0], existing("j", "web", "gone")));

  job.groups[0].constraints.push_back(constraint("${meta.rack}", "=", "r2"));
  CHECK_FALSE(placer.still_feasible(job, job.groups[0], on0));
  CHECK(placer.still_feasible(job, job.groups[0], on2));
  job.groups[0].tasks[0].driver = "java";
  CHECK_FALSE(placer.still_feasible(job, job.groups[0], on2));

  // distinct_hosts counts the others, not the allocation itself.
  spec::Job distinct = make_job("j", 3);
  distinct.constraints.push_back(constraint("", "distinct_hosts", "true"));
  CHECK(placer.still_feasible(distinct, distinct.groups[0], on0));
  ExistingAllocation second = existing("j", "web", "n0");
  second.id = "second";
  placer.reserve(second);
  CHECK_FALSE(placer.still_feasible(distinct, distinct.groups[0], on0));
  placer.release(second);
  CHECK(placer.still_feasible(distinct, distinct.groups[0], on0));
}

TEST_CASE("the same seed gives the same placements; other seeds may differ", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(50);
  for (int i = 0; i < 50; ++i) nodes[i].meta["rack"] = "r" + std::to_string(i % 5);
  spec::Job job = make_job("j", 200);
  job.groups[0].network = spec::Network{};
  job.groups[0].network->ports = {spec::Port{"http"}};
  auto run = [&](uint64_t seed) {
    Placer placer(nodes, SchedulerAlgorithm::kBinpack, seed);
    std::vector<std::pair<std::string, int>> out;
    for (int i = 0; i < 200; ++i) {
      // The outcome is kept: placement() returns a reference into it.
      const PlacementOutcome outcome = placer.place(job, job.groups[0]);
      const Placement& p = placement(outcome);
      out.emplace_back(p.node, p.ports.at("http"));
    }
    return out;
  };
  auto first = run(99);
  CHECK(first == run(99));
  int differing = 0;
  for (uint64_t seed = 100; seed < 105; ++seed) differing += run(seed) != first;
  CHECK(differing >= 4);
}

TEST_CASE("system_candidates lists feasible nodes in order; place_on reserves and reports", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(4);
  nodes[1].drivers = {"docker"};
  nodes[3].capacity.memory_mb = 300;
  spec::Job job = make_job("sys", 1);
  job.type = spec::JobType::kSystem;
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 1);
  CHECK(placer.system_candidates(job, job.groups[0]) == std::vector<std::string>{"n0", "n2", "n3"});
  PlacementOutcome on3 = placer.place_on(job, job.groups[0], "n3");
  REQUIRE(placed(on3));
  CHECK(placement(on3).node == "n3");
  CHECK(placement(on3).score > 0);
  PlacementOutcome again = placer.place_on(job, job.groups[0], "n3");  // 300 MB: one fits
  REQUIRE_FALSE(placed(again));
  CHECK(failure(again).nodes_evaluated == 1);
  CHECK(failure(again).messages() == std::vector<std::string>{"Dimension \"memory\" exhausted on 1 host"});
  PlacementOutcome on1 = placer.place_on(job, job.groups[0], "n1");
  REQUIRE_FALSE(placed(on1));
  CHECK(failure(on1).driver_missing == std::map<std::string, int>{{"exec", 1}});
  CHECK_FALSE(placed(placer.place_on(job, job.groups[0], "nope")));
}
