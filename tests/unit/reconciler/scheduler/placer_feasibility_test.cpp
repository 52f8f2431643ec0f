#include <catch2/catch.hpp>

#include "reconciler/scheduler/placer.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using namespace skiff::reconciler::testing;

TEST_CASE("group_resources sums tasks and takes the group's disk", "[reconciler][placer]") {
  spec::Job job = make_job();
  spec::Task second = job.groups[0].tasks[0];
  second.resources.cpu = 250;
  second.resources.memory_mb = 100;
  second.resources.cores = 2;
  job.groups[0].tasks.push_back(second);
  job.groups[0].ephemeral_disk.size_mb = 700;
  Resources r = group_resources(job.groups[0]);
  CHECK(r.cpu_mhz == 350);
  CHECK(r.memory_mb == 356);
  CHECK(r.cores == 2);
  CHECK(r.disk_mb == 700);
}

TEST_CASE("every constraint operator filters nodes and is counted under its key", "[reconciler][placer]") {
  struct Case {
    spec::Constraint c;
    std::string passing_node;
  };
  std::vector<Node> nodes = make_nodes(3);
  nodes[0].meta = {{"rack", "r1"}, {"tags", "ssd,gpu"}, {"version", "1.4.2"}, {"size", "9"}};
  nodes[1].meta = {{"rack", "r2"}, {"tags", "hdd"}, {"version", "2.1.0"}, {"size", "10"}};
  // nodes[2] has no meta at all.
  std::vector<Case> cases = {
      {constraint("${meta.rack}", "=", "r1"), "n0"},
      {constraint("${meta.size}", ">", "9"), "n1"},
      {constraint("${meta.size}", ">=", "10"), "n1"},
      {constraint("${meta.size}", "<", "10"), "n0"},
      {constraint("${meta.size}", "<=", "9"), "n0"},
      {constraint("${meta.rack}", "regexp", "^r2$"), "n1"},
      {constraint("${meta.tags}", "set_contains", "gpu,ssd"), "n0"},
      {constraint("${meta.tags}", "set_contains_any", "nvme,hdd"), "n1"},
      {constraint("${meta.version}", "version", ">= 2.0"), "n1"},
      {constraint("${meta.version}", "semver", "< 2.0.0"), "n0"},
      {constraint("${meta.rack}", "is_not_set", ""), "n2"},
  };
  for (const Case& k : cases) {
    INFO(k.c.attribute << " " << k.c.op << " " << k.c.value);
    spec::Job job = make_job();
    job.groups[0].constraints.push_back(k.c);
    Placer placer(nodes, SchedulerAlgorithm::kBinpack, 1);
    std::map<std::string, int> spread = place_many(placer, job, 3);
    REQUIRE(spread.size() == 1);
    CHECK(spread.begin()->first == k.passing_node);
    CHECK(spread.begin()->second == 3);
  }
}

TEST_CASE("constraints on job, group and task all apply, with Nomad's failure text", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(4);
  nodes[0].meta["disk-type"] = "ssd";
  spec::Job job = make_job();
  job.constraints.push_back(constraint("${attr.kernel.name}", "=", "linux"));
  job.groups[0].constraints.push_back(constraint("${meta.disk-type}", "=", "ssd"));
  job.groups[0].tasks[0].constraints.push_back(constraint("${attr.cpu.arch}", "!=", "amd64"));
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 7);
  PlacementOutcome outcome = placer.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  const PlacementFailure& f = failure(outcome);
  CHECK(f.nodes_evaluated == 4);
  CHECK(f.nodes_available == 4);
  CHECK(f.constraint_filtered == std::map<std::string, int>{{"${meta.disk-type} = ssd", 3}, {"${attr.cpu.arch} != amd64", 1}});
  CHECK(f.messages() ==
        std::vector<std::string>{"Constraint \"${attr.cpu.arch} != amd64\" filtered 1 host",
                                 "Constraint \"${meta.disk-type} = ssd\" filtered 3 hosts"});
}

TEST_CASE("datacenters accept globs and the pool must match unless it is all", "[reconciler][placer]") {
  std::vector<Node> nodes = {make_node("a", "eu-west"), make_node("b", "us-east"), make_node("c", "eu-north")};
  nodes[2].node_pool = "gpu";
  spec::Job job = make_job();
  job.datacenters = {"eu-*"};
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 3);
  CHECK(place_many(placer, job, 4) == std::map<std::string, int>{{"a", 4}});

  job.node_pool = "gpu";
  CHECK(place_many(placer, job, 2) == std::map<std::string, int>{{"c", 2}});

  job.node_pool = "all";
  job.datacenters = {"us-east", "eu-nor*"};
  std::map<std::string, int> got = place_many(placer, job, 6);
  CHECK(got.count("a") == 0);
  CHECK(got["b"] + got["c"] == 6);

  job.datacenters = {"ap-*"};
  PlacementOutcome outcome = placer.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).nodes_available == 0);
  CHECK(failure(outcome).nodes_evaluated == 0);
}

TEST_CASE("down, ineligible and draining nodes are never used", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(4);
  nodes[0].status = NodeStatus::kDown;
  nodes[1].eligible = false;
  nodes[2].draining = true;
  spec::Job job = make_job();
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 5);
  CHECK(place_many(placer, job, 5) == std::map<std::string, int>{{"n3", 5}});

  Placer without_n3({nodes[0], nodes[1], nodes[2]}, SchedulerAlgorithm::kBinpack, 5);
  PlacementOutcome outcome = without_n3.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).nodes_ineligible == 2);
  CHECK(failure(outcome).nodes_down == 1);
  CHECK(failure(outcome).messages() == std::vector<std::string>{"1 host down", "2 hosts ineligible or draining"});
}

TEST_CASE("a placement that fails because no host could be reached says so, not that they are ineligible",
          "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(3);
  for (Node& node : nodes) node.status = NodeStatus::kUnreachable;
  spec::Job job = make_job();
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 5);
  PlacementOutcome outcome = placer.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).nodes_unreachable == 3);
  CHECK(failure(outcome).nodes_ineligible == 0);
  CHECK(failure(outcome).messages() == std::vector<std::string>{"3 hosts unreachable"});
}

TEST_CASE("a missing driver or host volume rules a node out", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(3);
  nodes[0].drivers = {"exec"};
  nodes[1].host_volumes = {"data"};
  nodes[2].host_volumes = {"data"};
  nodes[2].drivers = {"docker"};
  spec::Job job = make_job();
  job.groups[0].tasks[0].driver = "docker";
  spec::Volume volume;
  volume.name = "d";
  volume.source = "data";
  job.groups[0].volumes.push_back(volume);
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 9);
  CHECK(place_many(placer, job, 3).size() == 2);  // n1 and n2 both qualify

  job.groups[0].tasks[0].driver = "podman";
  PlacementOutcome outcome = placer.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).driver_missing == std::map<std::string, int>{{"podman", 3}});
  CHECK(failure(outcome).messages() == std::vector<std::string>{"Driver \"podman\" missing on 3 hosts"});

  job.groups[0].tasks[0].driver = "exec";
  job.groups[0].volumes[0].source = "logs";
  outcome = placer.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).driver_missing == std::map<std::string, int>{{"exec", 1}});
  CHECK(failure(outcome).volume_missing == std::map<std::string, int>{{"logs", 2}});
  CHECK(failure(outcome).messages() ==
        std::vector<std::string>{"Driver \"exec\" missing on 1 host", "Host volume \"logs\" missing on 2 hosts"});
}

TEST_CASE("each resource dimension is exhausted with its own message", "[reconciler][placer]") {
  struct Case {
    std::string dimension;
    Resources capacity;
  };
  // The job needs 100 MHz, 256 MB, 300 MB disk and 1 core.
  std::vector<Case> cases = {{"cpu", {50, 8192, 5000, 4}},
                             {"cores", {4000, 8192, 5000, 0}},
                             {"memory", {4000, 200, 5000, 4}},
                             {"disk", {4000, 8192, 100, 4}}};
  for (const Case& k : cases) {
    INFO(k.dimension);
    std::vector<Node> nodes = make_nodes(2);
    for (Node& n : nodes) n.capacity = k.capacity;
    spec::Job job = make_job();
    job.groups[0].tasks[0].resources.cores = 1;
    Placer placer(nodes, SchedulerAlgorithm::kBinpack, 2);
    PlacementOutcome outcome = placer.place(job, job.groups[0]);
    REQUIRE_FALSE(placed(outcome));
    CHECK(failure(outcome).dimension_exhausted == std::map<std::string, int>{{k.dimension, 2}});
    CHECK(failure(outcome).messages() == std::vector<std::string>{"Dimension \"" + k.dimension + "\" exhausted on 2 hosts"});
  }
}

TEST_CASE("placements fill a node up to its capacity and no further", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(1);
  nodes[0].capacity = {1000, 100000, 100000, 0};
  spec::Job job = make_job("j", 20);  // 100 MHz each: ten fit
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 4);
  CHECK(place_many(placer, job, 20) == std::map<std::string, int>{{"n0", 10}});
  placer.release(existing("j", "web", "n0"));
  CHECK(place_many(placer, job, 5) == std::map<std::string, int>{{"n0", 1}});
}

TEST_CASE("a static port taken on a node is a port collision", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(2);
  spec::Job job = make_job();
  job.groups[0].network = spec::Network{};
  job.groups[0].network->ports.push_back(spec::Port{"http", 8080});
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 8);
  std::map<std::string, int> got = place_many(placer, job, 3);
  CHECK(got == std::map<std::string, int>{{"n0", 1}, {"n1", 1}});
  PlacementOutcome outcome = placer.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).messages() ==
        std::vector<std::string>{"Dimension \"network: reserved port collision http=8080\" exhausted on 2 hosts"});

  // A reserved allocation's port counts too.
  Placer other(nodes, SchedulerAlgorithm::kBinpack, 8);
  ExistingAllocation a = existing("old", "g", "n0");
  a.ports = {{"x", 8080}};
  other.reserve(a);
  PlacementOutcome first = other.place(job, job.groups[0]);
  REQUIRE(placed(first));
  CHECK(placement(first).node == "n1");
  CHECK(placement(first).ports == std::map<std::string, int>{{"http", 8080}});
}

TEST_CASE("dynamic ports never collide with static or reserved ports", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(2);
  for (Node& n : nodes) n.capacity = {1000000, 1000000, 10000000, 0};
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 12);
  ExistingAllocation a = existing("old", "g", "n0");
  for (int p = 20000; p < 26000; ++p) a.ports["p" + std::to_string(p)] = p;
  placer.reserve(a);
  spec::Job job = make_job("j", 2000);
  job.groups[0].network = spec::Network{};
  job.groups[0].network->ports = {spec::Port{"a"}, spec::Port{"b"}, spec::Port{"fixed", 20500}};
  std::map<std::string, std::set<int>> used = {{"n0", {}}, {"n1", {}}};
  for (int p = 20000; p < 26000; ++p) used["n0"].insert(p);
  int placed_count = 0;
  for (int i = 0; i < 1500; ++i) {
    PlacementOutcome outcome = placer.place(job, job.groups[0]);
    if (!placed(outcome)) break;
    ++placed_count;
    const Placement& p = placement(outcome);
    for (const auto& [label, port] : p.ports) {
      CHECK(used[p.node].insert(port).second);
      if (label == "fixed") continue;
      CHECK(port >= 20000);
      CHECK(port <= 32000);
    }
  }
  // n1 takes one allocation (the static port), n0 none: 20500 is reserved there.
  CHECK(placed_count == 1);

  job.groups[0].network->ports.pop_back();  // no static port: many fit
  for (int i = 0; i < 1500; ++i) {
    PlacementOutcome outcome = placer.place(job, job.groups[0]);
    REQUIRE(placed(outcome));
    const Placement& p = placement(outcome);
    for (const auto& [label, port] : p.ports) {
      CHECK(port >= 20000);
      CHECK(port <= 32000);
      CHECK(used[p.node].insert(port).second);
    }
  }
}

TEST_CASE("dynamic ports run out with Nomad's message", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(1);
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 1);
  ExistingAllocation a = existing("old", "g", "n0");
  for (int p = 20000; p <= 32000; ++p) a.ports["p" + std::to_string(p)] = p;
  placer.reserve(a);
  spec::Job job = make_job();
  job.groups[0].network = spec::Network{};
  job.groups[0].network->ports = {spec::Port{"a"}};
  PlacementOutcome outcome = placer.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).dimension_exhausted == std::map<std::string, int>{{"network: dynamic port selection failed", 1}});
}

TEST_CASE("distinct_hosts keeps a job's allocations on separate nodes", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(3);
  spec::Job job = make_job("j", 5);
  job.constraints.push_back(constraint("", "distinct_hosts", "true"));
  spec::Group other = job.groups[0];
  other.name = "other";
  job.groups.push_back(other);
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 6);
  CHECK(placed(placer.place(job, job.groups[0])));
  CHECK(placed(placer.place(job, job.groups[0])));
  CHECK(placed(placer.place(job, job.groups[1])));  // job level: groups share the hosts
  PlacementOutcome outcome = placer.place(job, job.groups[1]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).constraint_filtered == std::map<std::string, int>{{"distinct_hosts", 3}});

  // Group level: only the group's own allocations count; "false" turns it off.
  spec::Job grouped = make_job("g", 5);
  grouped.groups[0].constraints.push_back(constraint("", "distinct_hosts", "true"));
  spec::Group second = make_job("g").groups[0];
  second.name = "second";
  grouped.groups.push_back(second);
  Placer p2(nodes, SchedulerAlgorithm::kBinpack, 6);
  CHECK(place_many(p2, grouped, 5).size() == 3);
  spec::Job off = make_job("off", 5);
  off.constraints.push_back(constraint("", "distinct_hosts", "false"));
  CHECK(place_many(p2, off, 5).size() >= 1);
  int total = 0;
  for (const auto& [node, n] : place_many(p2, off, 5)) total += n;
  CHECK(total == 5);
}

TEST_CASE("distinct_property allows N allocations per value", "[reconciler][placer]") {
  std::vector<Node> nodes = make_nodes(6);
  for (int i = 0; i < 6; ++i) nodes[i].meta["rack"] = "r" + std::to_string(i % 3);
  nodes[5].meta.clear();  // no rack: cannot be proven distinct
  spec::Job job = make_job("j", 10);
  job.groups[0].constraints.push_back(constraint("${meta.rack}", "distinct_property", "2"));
  Placer placer(nodes, SchedulerAlgorithm::kBinpack, 10);
  std::map<std::string, int> got = place_many(placer, job, 10);
  std::map<std::string, int> per_rack;
  int total = 0;
  for (const auto& [node, n] : got) {
    per_rack[nodes[std::stoi(node.substr(1))].meta["rack"]] += n;
    total += n;
  }
  CHECK(total == 6);
  CHECK(per_rack == std::map<std::string, int>{{"r0", 2}, {"r1", 2}, {"r2", 2}});
  PlacementOutcome outcome = placer.place(job, job.groups[0]);
  REQUIRE_FALSE(placed(outcome));
  CHECK(failure(outcome).constraint_filtered == std::map<std::string, int>{{"${meta.rack} distinct_property 2", 6}});

  spec::Job one = make_job("one", 10);
  one.constraints.push_back(constraint("${meta.rack}", "distinct_property", ""));
  got = place_many(placer, one, 10);
  total = 0;
  for (const auto& [node, n] : got) total += n;
  CHECK(total == 3);
}
