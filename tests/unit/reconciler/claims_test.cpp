// What the hosts claim, weighed against the state (reconciler/claims.hpp):
// a compromised host may lie about itself, never about others. A forged
// version in another host's slot stops nothing; a replayed id is drift and
// the real host's commands come from the real host's observation; ids and
// versions the state never recorded are reported, not acted on.
#include <catch2/catch.hpp>

#include <algorithm>

#include "parser/load.hpp"
#include "reconciler/apply/apply.hpp"
#include "reconciler/claims.hpp"
#include "reconciler/diff.hpp"
#include "reconciler/snapshot.hpp"
#include "reconciler/spec_hash.hpp"
#include "support/fake_fleet.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using skiff::testing::FakeFleet;
using Lines = std::vector<std::string>;

namespace {

const std::string kLineage = "5f2c1e8a-0000-4000-8000-000000000001";
const std::string kReal = "0186a1b2-0000-4000-8000-000000000001";    // web.web[0] on h1
const std::string kSecond = "02b5c3d4-0000-4000-8000-000000000002";  // web.web[1] on h2
const std::string kForged = "f0f0f0f0-0000-4000-8000-000000000009";  // printed by h2 alone

// Job "web", group "web", task "app": what the state applied at version 1.
struct Web {
  spec::Job job;
  nlohmann::json json;
  explicit Web(int count) : job(reconciler::testing::make_job("web", count)), json(parser::job_to_json(job)) {}
};

drivers::ObservedAllocation observed(const Web& web, const std::string& id, int index, uint64_t version,
                                     const std::string& host) {
  drivers::ObservedAllocation o;
  drivers::Allocation& a = o.allocation;
  a.id = id;
  a.job = "web";
  a.group = "web";
  a.index = index;
  a.job_version = version;
  a.host = host;
  a.lineage = kLineage;
  a.task_spec_hashes = task_spec_hashes(web.json, "web");
  a.job_spec_hash = job_spec_hash(web.json);
  a.cpu_mhz = 100;
  a.memory_mb = 256;
  drivers::ObservedTask task;
  task.state = drivers::TaskState::kRunning;
  task.supervisor_alive = true;
  o.tasks["app"] = task;
  return o;
}

Claim claim(const std::string& host, drivers::ObservedAllocation o, bool adopting = false) {
  Claim c;
  c.host = host;
  c.observed = std::move(o);
  c.adopting = adopting;
  return c;
}

state::AllocationRecord record(const std::string& id, int index, const std::string& host) {
  state::AllocationRecord r;
  r.id = id;
  r.job = "web";
  r.group = "web";
  r.index = index;
  r.host = host;
  r.job_version = 1;
  r.status = "running";
  return r;
}

// The state that applied version 1 of web and placed `records`.
state::State state_of(const Web& web, std::vector<state::AllocationRecord> records) {
  state::State s;
  s.lineage = kLineage;
  s.serial = 3;
  state::JobRecord job;
  job.id = "web";
  job.type = "service";
  job.versions.push_back({1, web.json, job_spec_hash(web.json), "web.nomad.hcl", "ops@bastion", 1700000000, true, false});
  s.jobs["web"] = job;
  s.allocations = std::move(records);
  return s;
}

PlanInputs inputs_for(const Web& web, ClusterSnapshot cluster) {
  PlanInputs inputs;
  inputs.jobs = {web.job};
  inputs.cluster = std::move(cluster);
  inputs.cluster.nodes = {reconciler::testing::make_node("h1"), reconciler::testing::make_node("h2")};
  JobHistory& history = inputs.history["web"];
  history.version = 1;
  history.job_spec_hash = job_spec_hash(web.json);
  history.spec = web.json;
  return inputs;
}

Plan plan_from(const Web& web, const WeighedClaims& weighed) {
  ClusterSnapshot cluster;
  add_to_cluster(weighed, cluster);
  return compute_plan(inputs_for(web, std::move(cluster)), PlanOptions{});
}

std::vector<std::string> ids(const std::vector<Claim>& claims) {
  std::vector<std::string> out;
  for (const Claim& c : claims) out.push_back(c.host + " " + c.observed.allocation.id.substr(0, 8));
  return out;
}

bool stops(const Plan& plan, const std::string& id) {
  return std::any_of(plan.actions.begin(), plan.actions.end(), [&](const Action& a) {
    return a.alloc_id == id && a.kind != ActionKind::kIgnore && a.kind != ActionKind::kUpdateInPlace;
  });
}

}  // namespace

TEST_CASE("a forged version in another host's slot does not stop the real copy", "[claims]") {
  const Web web(1);
  const state::State state = state_of(web, {record(kReal, 0, "h1")});
  const std::vector<Claim> claims = {claim("h1", observed(web, kReal, 0, 1, "h1")),
                                     claim("h2", observed(web, kForged, 0, 99, "h2"))};

  // Believed as printed, h2's copy is the newer one of index 0 and the
  // real copy on h1 is stopped as a second copy: the attack.
  ClusterSnapshot believed;
  for (const Claim& c : claims) believed.allocations.push_back(existing_from(c.observed, c.host));
  CHECK(stops(compute_plan(inputs_for(web, believed), PlanOptions{}), kReal));

  const WeighedClaims weighed = weigh_claims(claims, state, UnrecordedAllocations::kDrift);
  CHECK(ids(weighed.trusted) == Lines{"h1 0186a1b2"});
  CHECK(ids(weighed.distrusted) == Lines{"h2 f0f0f0f0"});
  CHECK(weighed.drift ==
        Lines{"h2: reports allocation web.web[0] (f0f0f0f0), which the state never recorded (`skiff state rebuild` takes it "
              "in if it is really this state's): not trusted, left alone"});
  const Plan plan = plan_from(web, weighed);
  CHECK_FALSE(stops(plan, kReal));
  CHECK_FALSE(stops(plan, kForged));
  CHECK(plan.summary.place == 0);
  CHECK(std::find(plan.drift.begin(), plan.drift.end(), weighed.drift[0]) != plan.drift.end());
}

TEST_CASE("a host's own recorded allocation cannot claim another slot or an unrecorded version", "[claims]") {
  const Web web(2);
  const state::State state = state_of(web, {record(kReal, 0, "h1"), record(kSecond, 1, "h2")});

  SECTION("another slot") {
    const WeighedClaims weighed =
        weigh_claims({claim("h1", observed(web, kReal, 0, 1, "h1")), claim("h2", observed(web, kSecond, 0, 1, "h2"))}, state,
                     UnrecordedAllocations::kDrift);
    CHECK(ids(weighed.trusted) == Lines{"h1 0186a1b2"});
    CHECK(weighed.drift ==
          Lines{"h2: reports allocation 02b5c3d4 as web.web[0]; the state records it as web.web[1]: not "
                "trusted, left alone"});
    CHECK_FALSE(stops(plan_from(web, weighed), kReal));
  }
  SECTION("a version the state never recorded") {
    const WeighedClaims weighed =
        weigh_claims({claim("h1", observed(web, kReal, 0, 1, "h1")), claim("h2", observed(web, kSecond, 1, 99, "h2"))}, state,
                     UnrecordedAllocations::kDrift);
    CHECK(ids(weighed.trusted) == Lines{"h1 0186a1b2"});
    CHECK(weighed.drift ==
          Lines{"h2: reports allocation web.web[1] (02b5c3d4) at version 99, which the state never recorded: not trusted, "
                "left alone"});
  }
}

TEST_CASE("an id the state never recorded is drift, unless a rebuild takes it in or apply adopts it", "[claims]") {
  const Web web(2);
  const state::State state = state_of(web, {record(kReal, 0, "h1")});
  const Claim unknown = claim("h2", observed(web, kSecond, 1, 1, "h2"));

  CHECK(weigh_claims({unknown}, state, UnrecordedAllocations::kDrift).trusted.empty());
  // state rebuild: recording what the hosts run is its work.
  CHECK(ids(weigh_claims({unknown}, state, UnrecordedAllocations::kTakeIn).trusted) == Lines{"h2 02b5c3d4"});
  // From before lineages: adopted, at a version the state recorded, in a
  // slot no recorded allocation holds.
  Claim adopted = unknown;
  adopted.adopting = true;
  CHECK(ids(weigh_claims({adopted}, state, UnrecordedAllocations::kDrift).trusted) == Lines{"h2 02b5c3d4"});
  adopted.observed.allocation.job_version = 7;
  CHECK(weigh_claims({adopted}, state, UnrecordedAllocations::kDrift).drift ==
        Lines{"h2: reports allocation web.web[1] (02b5c3d4) at version 7, which the state never recorded: not trusted, left "
              "alone"});
  const Claim in_real_slot = claim("h2", observed(web, kForged, 0, 1, "h2"), true);
  const WeighedClaims weighed =
      weigh_claims({claim("h1", observed(web, kReal, 0, 1, "h1")), in_real_slot}, state, UnrecordedAllocations::kDrift);
  CHECK(weighed.drift ==
        Lines{"h2: reports allocation web.web[0] (f0f0f0f0) in the slot of allocation 0186a1b2 on h1: not "
              "trusted, left alone"});
  CHECK_FALSE(stops(plan_from(Web(1), weighed), kReal));
}

TEST_CASE("an id two hosts report is drift where the state does not record it", "[claims]") {
  const Web web(1);
  // With no state yet, both are adoptions: neither host is believed.
  const WeighedClaims neither =
      weigh_claims({claim("h1", observed(web, kReal, 0, 1, "h1"), true), claim("h2", observed(web, kReal, 0, 1, "h2"), true)},
                   state::State{}, UnrecordedAllocations::kDrift);
  CHECK(neither.trusted.empty());
  CHECK(neither.drift ==
        Lines{"h1: reports allocation web.web[0] (0186a1b2), as does h2, and the state records it on neither: not trusted, "
              "left alone",
              "h2: reports allocation web.web[0] (0186a1b2), as does h1, and the state records it on neither: not trusted, "
              "left alone"});
  // Printed twice by one host: neither copy is believed.
  const WeighedClaims twice =
      weigh_claims({claim("h1", observed(web, kReal, 0, 1, "h1")), claim("h1", observed(web, kReal, 0, 1, "h1"))},
                   state_of(web, {record(kReal, 0, "h1")}), UnrecordedAllocations::kDrift);
  CHECK(twice.trusted.empty());
  CHECK(twice.drift.size() == 2);
}

namespace {

class NoRecorder : public ApplyRecorder {
 public:
  void allocation(const drivers::Allocation&, RecordedStatus, const std::string&) override {}
  void healthy(const std::string&) override {}
  void ended(const std::string&, RecordedStatus, const std::string&) override {}
  Status step_done() override { return Status::success(); }
};

ApplyHost apply_host(const std::string& name) {
  ApplyHost h;
  h.host.name = name;
  h.host.address = "10.0.0." + name.substr(1);
  return h;
}

drivers::ObservedAllocation in_container(drivers::ObservedAllocation o, const std::string& cli) {
  drivers::ObservedTask& task = o.tasks.at("app");
  task.driver = "docker";
  task.cli = cli;
  task.container = "skiff-" + o.allocation.id + "-app";
  return o;
}

}  // namespace

TEST_CASE("a replayed id is drift, and the real host's stop is built from the real host's observation", "[claims]") {
  const Web web(1);
  const state::State state = state_of(web, {record(kReal, 0, "h1")});
  // h2 prints h1's allocation, with podman where h1 runs docker; listed
  // first, it is what an index by id alone would have kept.
  const WeighedClaims weighed = weigh_claims({claim("h2", in_container(observed(web, kReal, 0, 1, "h2"), "podman")),
                                              claim("h1", in_container(observed(web, kReal, 0, 1, "h1"), "docker"))},
                                             state, UnrecordedAllocations::kDrift);
  CHECK(ids(weighed.trusted) == Lines{"h1 0186a1b2"});
  CHECK(weighed.drift ==
        Lines{"h2: reports allocation web.web[0] (0186a1b2), which the state records on h1: not trusted, left alone"});

  drivers::ObservedAllocations observed_allocations;
  for (const Claim& c : weighed.trusted) observed_allocations[{c.host, c.observed.allocation.id}] = c.observed;
  Action stop;
  stop.kind = ActionKind::kStop;
  stop.job = "web";
  stop.group = "web";
  stop.alloc_id = kReal;
  stop.node = "h1";
  stop.reason = "job stopped";
  Plan plan;
  plan.actions = {stop};
  FakeFleet fleet;
  NoRecorder recorder;
  ApplyEnvironment env{fleet,
                       recorder,
                       [](const ApplyEvent&) {},
                       [] { return Result<std::string>(kForged); },
                       [] { return Result<std::string>(std::string("skiff-t1")); },
                       [] { return int64_t{1700000000}; },
                       [] { return std::chrono::steady_clock::time_point{}; },
                       [](std::chrono::milliseconds) {},
                       [] { return false; },
                       kLineage};
  const ApplyReport report =
      execute_plan(plan, {web.job}, {{"h1", apply_host("h1")}, {"h2", apply_host("h2")}}, observed_allocations, env);
  CHECK(report.ok());
  CHECK(fleet.names_on("h2").empty());
  bool stopped_with_docker = false;
  for (const skiff::testing::RanCommand& c : fleet.ran()) {
    CHECK(c.host == "h1");
    CHECK(std::find(c.argv.begin(), c.argv.end(), "podman") == c.argv.end());
    if (c.name == "skiff-stop") stopped_with_docker = std::find(c.argv.begin(), c.argv.end(), "docker") != c.argv.end();
  }
  CHECK(stopped_with_docker);
}
