// Random clusters and jobs against the placer's promises: no node is ever
// over-committed, no port is used twice on a node, every placement satisfies
// every rule on its node, and the same seed gives the same placements.
#include <catch2/catch.hpp>

#include <set>

#include "reconciler/scheduler/constraint.hpp"
#include "reconciler/scheduler/placer.hpp"
#include "reconciler/scheduler/rng.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using namespace skiff::reconciler::testing;
using skiff::reconciler::scheduler::Rng;

namespace {

constexpr uint64_t kBaseSeed = 0x5eed2024;
constexpr int kCases = 10000;

template <typename T>
const T& pick(Rng& rng, const std::vector<T>& items) {
  return items[rng.below(items.size())];
}

std::vector<Node> random_nodes(Rng& rng) {
  std::vector<Node> nodes;
  int count = 1 + static_cast<int>(rng.below(10));
  for (int i = 0; i < count; ++i) {
    Node n = make_node("n" + std::to_string(i), pick(rng, std::vector<std::string>{"dc1", "dc2", "eu-1"}));
    n.node_pool = rng.below(5) == 0 ? "gpu" : "default";
    n.eligible = rng.below(10) != 0;
    n.draining = rng.below(10) == 0;
    if (rng.below(4)) n.meta["rack"] = "r" + std::to_string(rng.below(4));
    n.meta["version"] = pick(rng, std::vector<std::string>{"1.2.0", "1.10.1", "2.0.0-beta1", "0.9"});
    n.attributes["kernel.name"] = rng.below(5) ? "linux" : "windows";
    if (rng.below(3) == 0) n.drivers = {"exec"};
    if (rng.below(2)) n.host_volumes = {"data"};
    n.capacity = {static_cast<int64_t>(200 + rng.below(2000)), static_cast<int64_t>(256 + rng.below(4096)),
                  static_cast<int64_t>(300 + rng.below(3000)), static_cast<int>(rng.below(4))};
    nodes.push_back(n);
  }
  return nodes;
}

spec::Constraint random_constraint(Rng& rng) {
  static const std::vector<spec::Constraint> pool = {constraint("${attr.kernel.name}", "=", "linux"),
                                                     constraint("${meta.rack}", "!=", "r1"),
                                                     constraint("${meta.rack}", "regexp", "r[023]"),
                                                     constraint("${meta.rack}", "is_set", ""),
                                                     constraint("${meta.rack}", "is_not_set", ""),
                                                     constraint("${meta.version}", "version", ">= 1.2"),
                                                     constraint("${meta.version}", "semver", "< 2.0.0"),
                                                     constraint("${meta.rack}", "set_contains_any", "r0,r2"),
                                                     constraint("${meta.rack}", ">", "r1"),
                                                     constraint("${node.datacenter}", "=", "dc1"),
                                                     constraint("", "distinct_hosts", "true"),
                                                     constraint("${meta.rack}", "distinct_property", "2")};
  return pick(rng, pool);
}

spec::Job random_job(Rng& rng) {
  spec::Job job = make_job("job", 1 + static_cast<int>(rng.below(12)));
  job.datacenters = pick(rng, std::vector<std::vector<std::string>>{{"*"}, {"dc1"}, {"dc*", "eu-1"}});
  if (rng.below(6) == 0) job.node_pool = "all";
  spec::Group& g = job.groups[0];
  for (int i = static_cast<int>(rng.below(3)); i > 0; --i)
    (rng.below(2) ? job.constraints : g.constraints).push_back(random_constraint(rng));
  if (rng.below(4) == 0) g.tasks[0].constraints.push_back(random_constraint(rng));
  g.tasks[0].driver = rng.below(4) ? "exec" : "docker";
  g.tasks[0].resources.cpu = 50 + static_cast<int>(rng.below(400));
  g.tasks[0].resources.memory_mb = 64 + static_cast<int>(rng.below(800));
  g.tasks[0].resources.cores = rng.below(4) == 0 ? 1 : 0;
  g.ephemeral_disk.size_mb = 100 + static_cast<int>(rng.below(500));
  if (rng.below(3) == 0) g.volumes.push_back(spec::Volume{"v", "host", "data", false});
  if (rng.below(2)) {
    g.network = spec::Network{};
    if (rng.below(2)) g.network->ports.push_back(spec::Port{"http", 8000 + static_cast<int>(rng.below(3))});
    if (rng.below(2)) g.network->ports.push_back(spec::Port{"dyn"});
  }
  if (rng.below(4) == 0) g.spreads.push_back(spec::Spread{"${meta.rack}", 50, {}});
  if (rng.below(4) == 0) job.affinities.push_back(spec::Affinity{"${meta.rack}", "=", "r0", 50});
  return job;
}

struct Ledger {
  std::map<std::string, Resources> used;
  std::map<std::string, std::set<int>> ports;
  std::map<std::string, int> per_node;                              // this job's allocations
  std::map<std::pair<std::string, std::string>, int> per_property;  // (attribute, value)
};

// Some allocations of another job that fit their nodes, with ports.
std::vector<ExistingAllocation> random_existing(Rng& rng, const std::vector<Node>& nodes, Ledger& ledger) {
  std::vector<ExistingAllocation> out;
  for (const Node& n : nodes) {
    if (rng.below(2)) continue;
    Resources r{n.capacity.cpu_mhz / 2, n.capacity.memory_mb / 2, n.capacity.disk_mb / 2, 0};
    ExistingAllocation a = existing("other", "g", n.name, r);
    a.ports = {{"web", 8000 + static_cast<int>(rng.below(3))}, {"d", 20000 + static_cast<int>(rng.below(12001))}};
    ledger.used[n.name] = r;
    for (const auto& [label, port] : a.ports) ledger.ports[n.name].insert(port);
    out.push_back(a);
  }
  return out;
}

bool in_scope(const spec::Job& job, const Node& n) {
  if (job.node_pool != "all" && n.node_pool != job.node_pool) return false;
  for (const std::string& dc : job.datacenters) {
    if (dc == n.datacenter || dc == "*" || (dc.back() == '*' && n.datacenter.rfind(dc.substr(0, dc.size() - 1), 0) == 0))
      return true;
  }
  return false;
}

// Checks one placement against an independent reading of the rules and
// books it in the ledger.
void check_placement(const spec::Job& job, const Node& n, const Placement& p, Ledger& ledger) {
  const spec::Group& g = job.groups[0];
  CHECK(in_scope(job, n));
  CHECK((n.status == NodeStatus::kReady && n.eligible && !n.draining));
  CHECK(n.drivers.count(g.tasks[0].driver) == 1);
  if (!g.volumes.empty()) CHECK(n.host_volumes.count("data") == 1);
  std::vector<spec::Constraint> all = job.constraints;
  all.insert(all.end(), g.constraints.begin(), g.constraints.end());
  all.insert(all.end(), g.tasks[0].constraints.begin(), g.tasks[0].constraints.end());
  for (const spec::Constraint& c : all) {
    INFO(c.attribute << " " << c.op << " " << c.value << " on " << n.name);
    if (c.op == "distinct_hosts") {
      CHECK(ledger.per_node[n.name] == 0);
    } else if (c.op == "distinct_property") {
      const std::string* v = scheduler::resolve_target(n, c.attribute);
      REQUIRE(v != nullptr);
      CHECK(ledger.per_property[{c.attribute, *v}] < 2);
    } else {
      CHECK(scheduler::check_constraint(c.op, scheduler::resolve_target(n, c.attribute), &c.value));
    }
  }
  Resources need = group_resources(g);
  Resources& u = ledger.used[n.name];
  u.cpu_mhz += need.cpu_mhz;
  u.memory_mb += need.memory_mb;
  u.disk_mb += need.disk_mb;
  u.cores += need.cores;
  CHECK(u.cpu_mhz <= n.capacity.cpu_mhz);
  CHECK(u.memory_mb <= n.capacity.memory_mb);
  CHECK(u.disk_mb <= n.capacity.disk_mb);
  CHECK(u.cores <= n.capacity.cores);
  for (const auto& [label, port] : p.ports) CHECK(ledger.ports[n.name].insert(port).second);
  CHECK(p.ports.size() == (g.network ? g.network->ports.size() : 0));
  ++ledger.per_node[n.name];
  if (const std::string* rack = scheduler::resolve_target(n, "${meta.rack}")) ++ledger.per_property[{"${meta.rack}", *rack}];
}

std::vector<std::string> run_case(uint64_t seed, bool check) {
  Rng rng(seed);
  std::vector<Node> nodes = random_nodes(rng);
  spec::Job job = random_job(rng);
  Ledger ledger;
  std::vector<ExistingAllocation> others = random_existing(rng, nodes, ledger);
  Placer placer(nodes, rng.below(2) ? SchedulerAlgorithm::kBinpack : SchedulerAlgorithm::kSpread, seed);
  for (const ExistingAllocation& a : others) placer.reserve(a);
  std::vector<std::string> trace;
  for (int i = 0; i < job.groups[0].count; ++i) {
    PlacementOutcome outcome = placer.place(job, job.groups[0]);
    if (!placed(outcome)) {
      trace.push_back("failed");
      continue;
    }
    const Placement& p = placement(outcome);
    std::string line = p.node;
    for (const auto& [label, port] : p.ports) line += " " + label + "=" + std::to_string(port);
    trace.push_back(line);
    if (check) check_placement(job, nodes[std::stoi(p.node.substr(1))], p, ledger);
  }
  return trace;
}

}  // namespace

TEST_CASE("random clusters: never over-committed, no port collisions, every rule holds, deterministic",
          "[reconciler][placer][property]") {
  int placements = 0;
  for (int i = 0; i < kCases; ++i) {
    uint64_t seed = kBaseSeed + i;
    INFO("case seed " << seed);
    std::vector<std::string> first = run_case(seed, true);
    REQUIRE(first == run_case(seed, false));
    for (const std::string& line : first) placements += line != "failed";
  }
  // The generator must exercise the placer, not only its failures.
  CHECK(placements > kCases);
}
