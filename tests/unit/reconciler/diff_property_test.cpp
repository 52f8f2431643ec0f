// Random fleets and job changes against the diff's promises: after applying
// a plan no host is over-committed and no port is used twice on a host,
// every service group runs its count, nothing runs on a draining host,
// planning again right after gives no changes, and the same inputs and seed
// give the same plan. SKIFF_DIFF_SEED=N runs case N alone and prints its
// plans, to look into a failure.
#include <catch2/catch.hpp>

#include <set>

#include <cstdlib>
#include <iostream>
#include "reconciler/diff.hpp"
#include "reconciler/plan/plan_effect.hpp"
#include "reconciler/plan/plan_render.hpp"
#include "reconciler/scheduler/rng.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using skiff::reconciler::scheduler::Rng;

namespace {

constexpr uint64_t kBaseSeed = 0xd1ff5eed;
constexpr int kCases = 10000;

spec::Job random_job(Rng& rng, int n) {
  spec::Job job = testing::make_job("job" + std::to_string(n), 1 + static_cast<int>(rng.below(6)));
  const uint64_t type = rng.below(5);
  job.type = type == 0 ? spec::JobType::kSystem : type == 1 ? spec::JobType::kBatch : spec::JobType::kService;
  spec::Group& g = job.groups[0];
  g.tasks[0].resources.cpu = 100 + static_cast<int>(rng.below(900));
  g.tasks[0].resources.memory_mb = 64 + static_cast<int>(rng.below(2000));
  g.tasks[0].config = parser::Value::object({{"image", parser::Value::string("app:1")}});
  if (rng.below(4) == 0) g.constraints.push_back(testing::constraint("", "distinct_hosts", "true"));
  if (rng.below(4) == 0) g.network = spec::Network{"host", "", {spec::Port{"http", 8080}}};
  else if (rng.below(2)) g.network = spec::Network{"host", "", {spec::Port{"dyn"}}};
  if (rng.below(4) == 0) g.spreads.push_back(spec::Spread{"${node.datacenter}", 50, {}});
  if (rng.below(3) == 0) g.update = spec::UpdatePolicy{};
  return job;
}

// One change of the kind people make between two applies.
void change_something(Rng& rng, std::vector<spec::Job>& jobs, std::vector<Node>& nodes) {
  spec::Job& job = jobs[rng.below(jobs.size())];
  switch (rng.below(7)) {
    case 0: job.groups[0].count = 1 + static_cast<int>(rng.below(6)); break;
    case 1: job.groups[0].tasks[0].config = parser::Value::object({{"image", parser::Value::string("app:2")}}); break;
    case 2: job.groups[0].tasks[0].kill_timeout = spec::Duration::seconds(30); break;
    case 3: nodes[rng.below(nodes.size())].draining = true; break;
    case 4: nodes[rng.below(nodes.size())].status = NodeStatus::kDown; break;
    case 5: nodes.push_back(testing::make_node("n" + std::to_string(nodes.size()), "dc2")); break;
    default:
      if (jobs.size() > 1) jobs.pop_back();
      break;
  }
}

Plan plan_of(const PlanInputs& inputs, uint64_t seed) {
  PlanOptions options;
  options.seed = seed;
  options.prune = Prune::kStop;
  return compute_plan(inputs, options);
}

void check_fleet(const PlanInputs& inputs, const Plan& plan) {
  std::map<std::string, const Node*> nodes;
  for (const Node& n : inputs.cluster.nodes) nodes[n.name] = &n;
  std::map<std::string, Resources> used;
  std::map<std::string, std::set<int>> ports;
  std::map<std::string, int> live;
  for (const ExistingAllocation& a : inputs.cluster.allocations) {
    const Node& n = *nodes.at(a.node);
    if (n.status == NodeStatus::kDown) continue;  // lost there; gone from the plan's view
    INFO("allocation " << a.job << "[" << a.index << "] on " << a.node);
    if (plan.summary.unplaced == 0) CHECK_FALSE(n.draining);
    Resources& u = used[a.node];
    u.cpu_mhz += a.resources.cpu_mhz;
    u.memory_mb += a.resources.memory_mb;
    u.disk_mb += a.resources.disk_mb;
    CHECK(u.cpu_mhz <= n.capacity.cpu_mhz);
    CHECK(u.memory_mb <= n.capacity.memory_mb);
    CHECK(u.disk_mb <= n.capacity.disk_mb);
    for (const auto& [label, port] : a.ports) CHECK(ports[a.node].insert(port).second);
    ++live[a.job];
  }
  if (plan.summary.unplaced > 0) return;
  for (const spec::Job& job : inputs.jobs)
    if (job.type == spec::JobType::kService) CHECK(live[job.id] == job.groups[0].count);
}

}  // namespace

TEST_CASE("random fleets and changes: applied plans never over-commit, re-planning gives no changes, deterministic",
          "[reconciler][diff][property]") {
  int changed_plans = 0;
  const char* only = std::getenv("SKIFF_DIFF_SEED");
  for (int i = 0; i < kCases; ++i) {
    const uint64_t seed = only ? std::stoull(only) : kBaseSeed + static_cast<uint64_t>(i);
    if (only && i > 0) break;
    INFO("case seed " << seed);
    Rng rng(seed);
    PlanInputs inputs;
    inputs.cluster.nodes = testing::make_nodes(2 + static_cast<int>(rng.below(8)));
    for (int j = 1 + static_cast<int>(rng.below(3)); j > 0; --j) inputs.jobs.push_back(random_job(rng, j));
    int next_id = 0;
    auto new_id = [&] { return "a" + std::to_string(next_id++); };

    Plan first = plan_of(inputs, seed);
    inputs.cluster = apply_plan(inputs.cluster, inputs.jobs, first, new_id);
    for (int k = 1 + static_cast<int>(rng.below(2)); k > 0; --k) change_something(rng, inputs.jobs, inputs.cluster.nodes);

    Plan second = plan_of(inputs, seed + 1);
    REQUIRE(second == plan_of(inputs, seed + 1));
    changed_plans += second.summary.has_changes();
    inputs.cluster = apply_plan(inputs.cluster, inputs.jobs, second, new_id);
    check_fleet(inputs, second);

    Plan third = plan_of(inputs, seed + 2);
    if (only) std::cerr << render_plan(second) << "\n-----\n" << render_plan(third);
    if (second.summary.unplaced == 0) {
      INFO("re-plan after apply: " << third.summary.place << " place, " << third.summary.update_in_place << " in place, "
                                   << third.summary.replace << " replace, " << third.summary.stop << " stop, "
                                   << third.summary.migrate << " migrate");
      CHECK_FALSE(third.summary.has_changes());
    }
  }
  // The changes must make plans that change things, not only no-ops.
  CHECK(changed_plans > kCases / 2);
}
