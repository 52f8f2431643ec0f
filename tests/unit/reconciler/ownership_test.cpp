// Whose allocations a host holds (reconciler/ownership.hpp): a plan sees
// only its own state's and the ones it adopts; another state's are left
// alone, one drift line per host, yet keep their ports and resources used.
#include <catch2/catch.hpp>

#include "reconciler/diff.hpp"
#include "reconciler/ownership.hpp"
#include "reconciler/snapshot.hpp"
#include "support/job_from_hcl.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using skiff::testing::job_from;

namespace {

const std::string kMine = "5f2c1e8a-0000-4000-8000-000000000001";
const std::string kTheirs = "9b3d7a10-0000-4000-8000-000000000002";
const std::string kOthers = "c4e5f6a7-0000-4000-8000-000000000003";

drivers::ObservedAllocation allocation(int n, const std::string& job, const std::string& lineage, int port = 0) {
  drivers::ObservedAllocation o;
  o.allocation.id = "0186a1b2-0000-4000-8000-00000000000" + std::to_string(n);
  o.allocation.job = job;
  o.allocation.group = job;
  o.allocation.index = n;
  o.allocation.lineage = lineage;
  o.allocation.memory_mb = 100;
  if (port) o.allocation.ports.push_back({"http", port, 0});
  drivers::ObservedTask task;
  task.state = drivers::TaskState::kRunning;
  task.supervisor_alive = true;
  o.tasks["app"] = task;
  return o;
}

std::vector<std::string> ids(const std::vector<drivers::ObservedAllocation>& list) {
  std::vector<std::string> out;
  for (const auto& o : list) out.push_back(o.allocation.id.substr(35));
  return out;
}

}  // namespace

TEST_CASE("ownership_of: own lineage, none (from before lineages), another's", "[ownership]") {
  CHECK(ownership_of(allocation(1, "web", kMine).allocation, kMine) == Ownership::kOwn);
  CHECK(ownership_of(allocation(1, "web", "").allocation, kMine) == Ownership::kUnclaimed);
  CHECK(ownership_of(allocation(1, "web", kTheirs).allocation, kMine) == Ownership::kForeign);
  // A state not written yet has no lineage: it owns nothing with one.
  CHECK(ownership_of(allocation(1, "web", kTheirs).allocation, "") == Ownership::kForeign);
  CHECK(ownership_of(allocation(1, "web", "").allocation, "") == Ownership::kUnclaimed);
}

TEST_CASE("split_by_owner: own and adopted go on, with this lineage; another state's are left alone", "[ownership]") {
  const std::vector<drivers::ObservedAllocation> host = {allocation(1, "web", kMine), allocation(2, "api", kTheirs),
                                                         allocation(3, "old", ""), allocation(4, "db", kOthers)};
  const OwnedAllocations split = split_by_owner(host, kMine, ForeignAllocations::kLeaveAlone);
  CHECK(ids(split.own) == std::vector<std::string>{"1", "3"});
  CHECK(ids(split.foreign) == std::vector<std::string>{"2", "4"});
  REQUIRE(split.adopted.size() == 1);
  CHECK(split.adopted[0].id == host[2].allocation.id);
  CHECK(split.adopted[0].lineage == kMine);
  CHECK(split.own[1].allocation.lineage == kMine);  // an update writes it back as adopted

  // state rebuild -adopt-foreign: every allocation is taken in.
  const OwnedAllocations all = split_by_owner(host, kMine, ForeignAllocations::kAdopt);
  CHECK(ids(all.own) == std::vector<std::string>{"1", "2", "3", "4"});
  CHECK(all.foreign.empty());
  CHECK(all.adopted.size() == 3);
  for (const drivers::Allocation& a : all.adopted) CHECK(a.lineage == kMine);
}

TEST_CASE("ownership_drift: one line for what is left alone, one for what is adopted", "[ownership]") {
  OwnedAllocations one_other =
      split_by_owner({allocation(1, "a", kTheirs), allocation(2, "b", kTheirs), allocation(3, "c", kTheirs)}, kMine,
                     ForeignAllocations::kLeaveAlone);
  CHECK(ownership_drift("h1", one_other) ==
        std::vector<std::string>{"h1: 3 allocations of another state (lineage 9b3d7a10…), left alone"});

  OwnedAllocations mixed = split_by_owner({allocation(1, "a", kOthers), allocation(2, "b", kTheirs), allocation(3, "old", "")},
                                          kMine, ForeignAllocations::kLeaveAlone);
  CHECK(ownership_drift("h2", mixed) ==
        std::vector<std::string>{"h2: 2 allocations of other states (lineages 9b3d7a10…, c4e5f6a7…), left alone",
                                 "h2: 1 allocation from before skiff recorded lineages: this state adopts it on apply"});

  CHECK(ownership_drift("h3", split_by_owner({allocation(1, "a", kMine)}, kMine, ForeignAllocations::kLeaveAlone)).empty());
}

namespace {

// Two nodes; another state runs "web" with static port 8080 on n0.
PlanInputs shared_hosts() {
  PlanInputs inputs;
  inputs.cluster.nodes = reconciler::testing::make_nodes(2);
  const OwnedAllocations split = split_by_owner({allocation(1, "web", kTheirs, 8080)}, kMine, ForeignAllocations::kLeaveAlone);
  for (const auto& o : split.foreign) inputs.cluster.foreign.push_back(existing_from(o, "n0"));
  return inputs;
}

const char* kStaticPortJob = R"(job "web" {
  group "web" {
    count = 1
    network {
      port "http" {
        static = 8080
      }
    }
    task "app" {
      driver = "exec"
      config {
        command = "sleep"
      }
    }
  }
})";

}  // namespace

TEST_CASE("another state's static port is not double-booked; its job of the same name is not this one's", "[ownership]") {
  PlanInputs inputs = shared_hosts();
  inputs.jobs = {job_from(kStaticPortJob)};
  PlanOptions options;
  options.prune = Prune::kStop;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    options.seed = seed;
    const Plan plan = compute_plan(inputs, options);
    REQUIRE(plan.actions.size() == 1);
    CHECK(plan.actions[0].kind == ActionKind::kPlace);
    CHECK(plan.actions[0].to_node == "n1");  // n0's 8080 is the other state's
  }

  // Only n0: nowhere to place, and nothing of the other state is touched.
  inputs.cluster.nodes.pop_back();
  const Plan full = compute_plan(inputs, options);
  CHECK(full.summary.place == 0);
  CHECK(full.summary.stop == 0);
  CHECK(full.summary.unplaced == 1);
}

TEST_CASE("another state's allocations are never pruned, and weigh in the observed digest", "[ownership]") {
  PlanInputs inputs = shared_hosts();
  PlanOptions options;
  options.prune = Prune::kStop;
  const Plan plan = compute_plan(inputs, options);
  CHECK(plan.actions.empty());
  CHECK(plan.jobs.empty());  // "web" is the other project's, not a job missing from this one's files

  PlanInputs without = inputs;
  without.cluster.foreign.clear();
  CHECK(observed_digest(without.cluster) != observed_digest(inputs.cluster));
}
