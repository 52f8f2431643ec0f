// The diff (compute_plan): what happens to each allocation slot, from jobs
// and synthetic hosts; and that applying a plan then planning again gives
// no changes.
#include <catch2/catch.hpp>
#include <set>

#include "parser/load.hpp"
#include "reconciler/diff.hpp"
#include "reconciler/plan/field_diff.hpp"
#include "reconciler/plan/plan_effect.hpp"
#include "reconciler/spec_hash.hpp"
#include "support/job_from_hcl.hpp"
#include "unit/reconciler/scheduler/placer_fixtures.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using skiff::reconciler::testing::make_nodes;
using skiff::testing::job_from;

namespace {

std::string web_job(int count, const std::string& image = "web:1", const std::string& group_extra = "",
                    const std::string& task_extra = "") {
  return R"(job "web" {
  group "web" {
    count = )" +
      std::to_string(count) + "\n" + group_extra + R"(
    task "app" {
      driver = "docker"
)" + task_extra +
      R"(
      config {
        image = ")" +
      image + R"("
      }
      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
)";
}

struct Fleet {
  PlanInputs inputs;
  int next_id = 0;

  explicit Fleet(int nodes) { inputs.cluster.nodes = make_nodes(nodes); }
  Plan plan(Prune prune = Prune::kKeep, uint64_t seed = 7) {
    PlanOptions options;
    options.seed = seed;
    options.prune = prune;
    return compute_plan(inputs, options);
  }
  // Applies the plan in full and returns it.
  Plan apply(Plan plan) {
    inputs.cluster = apply_plan(inputs.cluster, inputs.jobs, plan, [this] { return "alloc-" + std::to_string(next_id++); });
    return plan;
  }
  Node& node(const std::string& name) {
    for (Node& n : inputs.cluster.nodes)
      if (n.name == name) return n;
    FAIL("no node " << name);
    throw;
  }
};

std::map<ActionKind, int> kinds(const Plan& plan) {
  std::map<ActionKind, int> out;
  for (const Action& a : plan.actions) ++out[a.kind];
  return out;
}

std::vector<const Action*> of_kind(const Plan& plan, ActionKind kind) {
  std::vector<const Action*> out;
  for (const Action& a : plan.actions)
    if (a.kind == kind) out.push_back(&a);
  return out;
}

}  // namespace

TEST_CASE("a new job is placed; after applying it, planning again changes nothing", "[diff]") {
  Fleet f(3);
  f.inputs.jobs = {job_from(web_job(3))};
  Plan first = f.apply(f.plan());
  CHECK(kinds(first) == std::map<ActionKind, int>{{ActionKind::kPlace, 3}});
  CHECK(first.jobs.at(0).change == DiffType::kAdded);
  CHECK(first.jobs.at(0).version == 0);
  CHECK(first.summary.place == 3);
  std::set<int> indexes;
  for (const Action& a : first.actions) indexes.insert(a.index);
  CHECK(indexes == std::set<int>{0, 1, 2});

  Plan again = f.plan();
  CHECK_FALSE(again.summary.has_changes());
  CHECK(kinds(again) == std::map<ActionKind, int>{{ActionKind::kIgnore, 3}});
  CHECK(again.jobs.at(0).change == DiffType::kNone);
}

TEST_CASE("count changes place the missing indexes and stop the highest ones", "[diff]") {
  Fleet f(3);
  f.inputs.jobs = {job_from(web_job(2))};
  f.apply(f.plan());
  f.inputs.jobs = {job_from(web_job(4))};
  Plan up = f.apply(f.plan());
  REQUIRE(of_kind(up, ActionKind::kPlace).size() == 2);
  CHECK(of_kind(up, ActionKind::kPlace)[0]->index == 2);
  CHECK(of_kind(up, ActionKind::kPlace)[1]->index == 3);
  // Count is not in the tasks' specs: the two that run are updated in place.
  CHECK(of_kind(up, ActionKind::kUpdateInPlace).size() == 2);
  CHECK(up.jobs.at(0).version == 1);

  f.inputs.jobs = {job_from(web_job(1))};
  Plan down = f.apply(f.plan());
  auto stops = of_kind(down, ActionKind::kStop);
  REQUIRE(stops.size() == 3);
  CHECK(stops[0]->index == 1);
  CHECK(stops[0]->reason == "count lowered to 1");
  CHECK_FALSE(f.plan().summary.has_changes());
}

TEST_CASE("a changed task config replaces allocations in waves of max_parallel", "[diff]") {
  Fleet f(4);
  const std::string update = "    update {\n      max_parallel = 2\n    }\n";
  f.inputs.jobs = {job_from(web_job(5, "web:1", update))};
  f.apply(f.plan());
  f.inputs.jobs = {job_from(web_job(5, "web:2", update))};
  Plan plan = f.plan();
  auto replaced = of_kind(plan, ActionKind::kReplace);
  REQUIRE(replaced.size() == 5);
  CHECK_FALSE(replaced[0]->canary);
  CHECK(replaced[0]->wave == 1);
  CHECK(replaced[1]->wave == 1);
  CHECK(replaced[2]->wave == 2);
  CHECK(replaced[3]->wave == 2);
  CHECK(replaced[4]->wave == 3);
  CHECK(replaced[1]->reason == "task \"app\" changed");
  // A replacement stays on its host when it still fits there.
  for (const Action* a : replaced) CHECK(a->to_node == a->node);
  CHECK(plan.summary.replace == 5);
  f.apply(plan);
  CHECK_FALSE(f.plan().summary.has_changes());
}

TEST_CASE("canaries run beside the old copies until promoted, then the rest rolls", "[diff]") {
  Fleet f(4);
  const std::string update = "    update {\n      max_parallel = 2\n      canary = 2\n    }\n";
  f.inputs.jobs = {job_from(web_job(4, "web:1", update))};
  f.apply(f.plan());
  const spec::Job v2 = job_from(web_job(4, "web:2", update));
  f.inputs.jobs = {v2};
  JobHistory& history = f.inputs.history["web"];
  history.version = 0;
  history.job_spec_hash = "the hash of version 0";

  // The canaries: two new allocations of version 1; the four old copies stay.
  Plan canaries = f.plan();
  auto placed = of_kind(canaries, ActionKind::kPlace);
  REQUIRE(placed.size() == 2);
  CHECK(placed[0]->canary);
  CHECK(placed[1]->canary);
  CHECK(placed[0]->job_version == 1);
  CHECK(placed[0]->wave == 0);
  CHECK(of_kind(canaries, ActionKind::kIgnore).size() == 4);
  CHECK(of_kind(canaries, ActionKind::kStop).empty());
  CHECK(canaries.jobs[0].note == "canaries first; the rest waits for `skiff deployment promote web`");
  CHECK(canaries.jobs[0].groups[0].canaries == 2);
  f.apply(canaries);
  REQUIRE(f.inputs.cluster.allocations.size() == 6);

  // Recorded as the version's deployment: nothing more until promotion.
  history.version = 1;
  history.job_spec_hash = job_spec_hash(parser::job_to_json(v2));
  GroupCanaries& group = history.canaries["web"];
  for (const ExistingAllocation& a : f.inputs.cluster.allocations)
    if (a.job_version == 1) group.ids.insert(a.id);
  REQUIRE(group.ids.size() == 2);
  Plan waiting = f.plan();
  CHECK_FALSE(waiting.summary.has_changes());
  CHECK(of_kind(waiting, ActionKind::kIgnore).size() == 6);

  // Promoted: the old copies at the canaries' indexes stop, the others roll.
  group.promoted = true;
  Plan rest = f.plan();
  auto stops = of_kind(rest, ActionKind::kStop);
  auto replaced = of_kind(rest, ActionKind::kReplace);
  REQUIRE(stops.size() == 2);
  REQUIRE(replaced.size() == 2);
  for (const Action* stop : stops) CHECK(stop->job_version == 0);
  CHECK(replaced[0]->wave == 1);
  CHECK(replaced[1]->wave == 1);
  f.apply(rest);
  CHECK(f.inputs.cluster.allocations.size() == 4);
  for (const ExistingAllocation& a : f.inputs.cluster.allocations) CHECK(a.job_version == 1);
  CHECK_FALSE(f.plan().summary.has_changes());
}

TEST_CASE("canaries the job no longer asks for stop, and auto_promote rolls on once they are healthy", "[diff]") {
  Fleet f(4);
  const std::string update = "    update {\n      canary = 1\n      auto_promote = true\n    }\n";
  f.inputs.jobs = {job_from(web_job(3, "web:1", update))};
  f.apply(f.plan());
  const spec::Job v2 = job_from(web_job(3, "web:2", update));
  f.inputs.jobs = {v2};
  f.apply(f.plan());
  JobHistory& history = f.inputs.history["web"];
  history.version = 1;
  history.job_spec_hash = job_spec_hash(parser::job_to_json(v2));
  GroupCanaries& group = history.canaries["web"];
  for (const ExistingAllocation& a : f.inputs.cluster.allocations)
    if (a.job_version == 1) group.ids.insert(a.id);
  REQUIRE(group.ids.size() == 1);
  // Not healthy yet: it waits.
  CHECK_FALSE(f.plan().summary.has_changes());
  // Healthy: auto_promote rolls the rest.
  group.healthy = group.ids;
  Plan rest = f.plan();
  CHECK(of_kind(rest, ActionKind::kStop).size() == 1);
  CHECK(of_kind(rest, ActionKind::kReplace).size() == 2);

  // The job goes back to web:1 before promotion: the canary stops, and
  // nothing else changes.
  f.inputs.jobs = {job_from(web_job(3, "web:1", update))};
  group.healthy.clear();
  Plan back = f.plan();
  auto stops = of_kind(back, ActionKind::kStop);
  REQUIRE(stops.size() == 1);
  CHECK(*group.ids.begin() == stops[0]->alloc_id);
  CHECK(stops[0]->reason == "canary of job version 1, which the job no longer asks for");
  CHECK(of_kind(back, ActionKind::kReplace).empty());
  CHECK(of_kind(back, ActionKind::kPlace).empty());
}

TEST_CASE("a stopped job stays stopped until its job file changes", "[diff]") {
  Fleet f(2);
  const spec::Job job = job_from(web_job(2));
  f.inputs.jobs = {job};
  f.apply(f.plan());
  JobHistory& history = f.inputs.history["web"];
  history.version = 0;
  history.job_spec_hash = job_spec_hash(parser::job_to_json(job));
  history.stopped = true;
  Plan stop = f.plan();
  CHECK(of_kind(stop, ActionKind::kStop).size() == 2);
  CHECK(stop.jobs[0].note.find("stopped by `skiff job stop` at version 0") == 0);
  f.apply(stop);
  CHECK_FALSE(f.plan().summary.has_changes());
  f.inputs.jobs = {job_from(web_job(2, "web:2"))};
  CHECK(of_kind(f.plan(), ActionKind::kPlace).size() == 2);
}

TEST_CASE("canaries of a failed deployment stop", "[diff]") {
  Fleet f(3);
  f.inputs.jobs = {job_from(web_job(2))};
  f.apply(f.plan());
  const std::string canary = f.inputs.cluster.allocations[0].id;
  f.inputs.history["web"].failed_canaries = {canary};
  f.inputs.history["web"].job_spec_hash = job_spec_hash(parser::job_to_json(f.inputs.jobs[0]));
  Plan plan = f.plan();
  auto stops = of_kind(plan, ActionKind::kStop);
  REQUIRE(stops.size() == 1);
  CHECK(stops[0]->alloc_id == canary);
  CHECK(stops[0]->reason == "canary of a failed deployment");
  // Its slot is filled again.
  CHECK(of_kind(plan, ActionKind::kPlace).size() == 1);
}

TEST_CASE("a change outside the tasks' destructive fields updates in place", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(web_job(2))};
  f.apply(f.plan());
  f.inputs.jobs = {job_from(web_job(2, "web:1", "", "      kill_timeout = \"30s\"\n"))};
  Plan plan = f.apply(f.plan());
  CHECK(kinds(plan) == std::map<ActionKind, int>{{ActionKind::kUpdateInPlace, 2}});
  CHECK(plan.actions[0].reason == "job version 0 -> 1");
  CHECK(plan.summary.update_in_place == 2);
  CHECK_FALSE(f.plan().summary.has_changes());
  // So does an env change force a replacement: env is destructive.
  f.inputs.jobs = {job_from(web_job(2, "web:1", "", "      kill_timeout = \"30s\"\n      env {\n        A = \"1\"\n      }\n"))};
  CHECK(kinds(f.plan()) == std::map<ActionKind, int>{{ActionKind::kReplace, 2}});
}

TEST_CASE("allocations on a draining host migrate; on a down host they are rescheduled elsewhere", "[diff]") {
  Fleet f(3);
  f.inputs.jobs = {job_from(web_job(3, "web:1", "    constraint {\n      distinct_hosts = true\n    }\n"))};
  f.apply(f.plan());
  Fleet g = f;
  f.node("n0").draining = true;
  f.inputs.cluster.nodes.push_back(reconciler::testing::make_node("n3"));
  Plan drained = f.plan();
  auto migrated = of_kind(drained, ActionKind::kMigrate);
  REQUIRE(migrated.size() == 1);
  CHECK(migrated[0]->node == "n0");
  CHECK(migrated[0]->to_node == "n3");
  CHECK(migrated[0]->reason == "host n0 is draining");
  CHECK(drained.summary.migrate == 1);

  g.node("n1").status = NodeStatus::kDown;
  g.inputs.cluster.nodes.push_back(reconciler::testing::make_node("n3"));
  Plan lost = g.plan();
  auto rescheduled = of_kind(lost, ActionKind::kReschedule);
  REQUIRE(rescheduled.size() == 1);
  CHECK(rescheduled[0]->node == "n1");
  CHECK(rescheduled[0]->to_node == "n3");
  CHECK(rescheduled[0]->reason == "lost: host n1 is down");
  CHECK(lost.summary.place == 1);
}

TEST_CASE("failed service allocations are placed again; completed batch allocations are left alone", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(web_job(2)), job_from(R"(job "report" {
  type = "batch"
  group "run" {
    count = 2
    task "r" {
      driver = "exec"
      config { command = "true" }
    }
  }
})")};
  f.apply(f.plan());
  for (ExistingAllocation& a : f.inputs.cluster.allocations) {
    if (a.job == "report") a.status = AllocationStatus::kComplete;
    if (a.job == "web" && a.index == 1) {
      a.status = AllocationStatus::kFailed;
      a.reason = "exited with status 3";
    }
  }
  Plan plan = f.plan();
  auto rescheduled = of_kind(plan, ActionKind::kReschedule);
  REQUIRE(rescheduled.size() == 1);
  CHECK(rescheduled[0]->job == "web");
  CHECK(rescheduled[0]->index == 1);
  CHECK(rescheduled[0]->reason == "failed on " + rescheduled[0]->node + ": exited with status 3");
  CHECK(plan.summary.place == 1);
}

TEST_CASE("a service allocation stopped by its user is placed again, the plan saying why", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(web_job(2))};
  f.apply(f.plan());
  ExistingAllocation& stopped = f.inputs.cluster.allocations[0];
  stopped.status = AllocationStatus::kComplete;
  stopped.reason = "stopped by user";  // from the state (state_snapshot.hpp)
  const std::string id = stopped.id;
  Plan plan = f.plan();
  auto rescheduled = of_kind(plan, ActionKind::kReschedule);
  REQUIRE(rescheduled.size() == 1);
  CHECK(rescheduled[0]->alloc_id == id);
  CHECK(rescheduled[0]->reason == "stopped by user");
  CHECK(plan.summary.place == 1);
  CHECK(plan.summary.stop == 0);
}

TEST_CASE("retry places the allocations it names again at once, whatever their reschedule policy says", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(web_job(2, "web:1", "    reschedule {\n      attempts  = 0\n      unlimited = false\n    }\n"))};
  f.apply(f.plan());
  ExistingAllocation& failed = f.inputs.cluster.allocations[0];
  failed.status = AllocationStatus::kFailed;
  failed.reason = "exited with status 3";
  const std::string failed_id = failed.id, unhealthy_id = f.inputs.cluster.allocations[1].id;
  // Without retry the failed one stays (its attempts are used up) and the
  // running one is kept.
  Plan held = f.plan();
  CHECK_FALSE(reconciler::has_changes(held));

  PlanOptions options;
  options.seed = 7;
  options.retry = {failed_id, unhealthy_id};
  Plan retried = compute_plan(f.inputs, options);
  auto rescheduled = of_kind(retried, ActionKind::kReschedule);
  auto replaced = of_kind(retried, ActionKind::kReplace);
  REQUIRE(rescheduled.size() == 1);
  CHECK(rescheduled[0]->alloc_id == failed_id);
  REQUIRE(replaced.size() == 1);
  CHECK(replaced[0]->alloc_id == unhealthy_id);
  CHECK(replaced[0]->reason == "retry of its failed deployment");
}

TEST_CASE("a job missing from the job files is stopped only with -prune", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(web_job(2))};
  f.apply(f.plan());
  f.inputs.jobs.clear();
  Plan kept = f.plan(Prune::kKeep);
  CHECK_FALSE(kept.summary.has_changes());
  CHECK(kept.jobs.at(0).note == "not in the job files: left running (plan -prune stops it)");
  Plan pruned = f.plan(Prune::kStop);
  CHECK(pruned.summary.stop == 2);
  CHECK(pruned.jobs.at(0).change == DiffType::kDeleted);
}

TEST_CASE("a drain migrates migrate.max_parallel at a time, and all at once after its deadline", "[diff]") {
  Fleet f(1);
  f.inputs.jobs = {job_from(web_job(4, "web:1", "    migrate {\n      max_parallel = 1\n    }\n"))};
  f.apply(f.plan());
  f.inputs.cluster.nodes.push_back(reconciler::testing::make_node("n1"));
  f.node("n0").draining = true;
  std::set<int> waves;
  // The plan is kept: of_kind points into it (a temporary in the range
  // expression would be gone before the loop's body runs).
  Plan plan = f.plan();
  for (const Action* a : of_kind(plan, ActionKind::kMigrate)) waves.insert(a->wave);
  CHECK(waves == std::set<int>{1, 2, 3, 4});
  f.node("n0").drain_deadline_passed = true;
  waves.clear();
  plan = f.plan();
  for (const Action* a : of_kind(plan, ActionKind::kMigrate)) waves.insert(a->wave);
  CHECK(waves == std::set<int>{1});
}

TEST_CASE("system jobs follow hosts as they join, drain and leave", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(R"(job "agent" {
  type = "system"
  group "a" {
    task "a" {
      driver = "exec"
      config { command = "true" }
    }
  }
})")};
  Plan first = f.apply(f.plan());
  CHECK(first.summary.place == 2);
  f.inputs.cluster.nodes.push_back(reconciler::testing::make_node("n2"));
  Plan joined = f.apply(f.plan());
  REQUIRE(of_kind(joined, ActionKind::kPlace).size() == 1);
  CHECK(of_kind(joined, ActionKind::kPlace)[0]->to_node == "n2");
  f.node("n0").draining = true;
  Plan drained = f.apply(f.plan());
  REQUIRE(of_kind(drained, ActionKind::kStop).size() == 1);
  CHECK(of_kind(drained, ActionKind::kStop)[0]->reason == "host n0 is draining");
  CHECK_FALSE(f.plan().summary.has_changes());
}

TEST_CASE("what does not fit is reported as Nomad does, per group", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(R"(job "big" {
  group "db" {
    count = 3
    task "db" {
      driver = "docker"
      config {
        image = "db"
      }
      resources {
        memory = 5000
      }
    }
  }
})")};
  Plan plan = f.plan();
  CHECK(plan.summary.place == 2);
  CHECK(plan.summary.unplaced == 1);
  REQUIRE(plan.jobs.at(0).failures.size() == 1);
  CHECK(plan.jobs.at(0).failures[0].unplaced == 1);
  CHECK(plan.jobs.at(0).failures[0].messages == std::vector<std::string>{"Dimension \"memory\" exhausted on 2 hosts"});
}

TEST_CASE("with the previous spec known, fields differ with Nomad's annotations", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(web_job(2))};
  f.apply(f.plan());
  JobHistory history{0, "", parser::job_to_json(f.inputs.jobs[0])};
  history.job_spec_hash = f.inputs.cluster.allocations[0].job_spec_hash;
  f.inputs.history["web"] = history;
  f.inputs.jobs = {job_from(web_job(3, "web:2", "", "      kill_timeout = \"9s\"\n"))};
  Plan plan = f.plan();
  const JobPlan& job = plan.jobs.at(0);
  CHECK(job.version == 1);
  CHECK(job.previous_version == 0u);
  std::map<std::string, std::string> annotations;
  for (const FieldDiff& d : job.fields) annotations[d.path] = d.annotation;
  CHECK(annotations["group.web.count"] == "forces create");
  CHECK(annotations["group.web.task.app.config.image"] == "forces create/destroy update");
  CHECK(annotations["group.web.task.app.kill_timeout"] == "forces in-place update");
  CHECK(job.change == DiffType::kEdited);
}

TEST_CASE("the same inputs and seed give the same plan", "[diff]") {
  Fleet f(20);
  f.inputs.jobs = {job_from(web_job(30))};
  Plan a = f.plan(Prune::kKeep, 11), b = f.plan(Prune::kKeep, 11);
  REQUIRE(a.actions.size() == b.actions.size());
  for (size_t i = 0; i < a.actions.size(); ++i) {
    CHECK(a.actions[i].to_node == b.actions[i].to_node);
    CHECK(a.actions[i].ports == b.actions[i].ports);
  }
  CHECK(a.observed_digest == b.observed_digest);
}

namespace {

// A periodic batch job every 15 minutes that never overlaps itself.
std::string cleanup_job(int count) {
  return R"(job "cleanup" {
  type = "batch"
  periodic {
    crons            = ["*/15 * * * *"]
    prohibit_overlap = true
  }
  group "g" {
    count = )" +
      std::to_string(count) + R"(
    task "t" {
      driver = "exec"
      config { command = "true" }
    }
  }
})";
}

}  // namespace

TEST_CASE("a periodic job places nothing; the plan shows its next launch", "[diff]") {
  Fleet f(1);
  f.inputs.jobs = {job_from(cleanup_job(1))};
  PlanOptions options;
  options.now_unix = 1796026050;  // 08:07:30Z
  Plan plan = compute_plan(f.inputs, options);
  CHECK(plan.actions.empty());
  CHECK_FALSE(plan.summary.has_changes());
  REQUIRE(plan.jobs.at(0).next_periodic_launch_unix);
  CHECK(*plan.jobs.at(0).next_periodic_launch_unix == 1796026500);  // 08:15:00Z
  CHECK(plan.jobs.at(0).note == "periodic: a run starts only when the last one has ended");
}

TEST_CASE("a periodic job launches a run once a cron time has passed since its last one; prohibit_overlap waits", "[diff]") {
  Fleet f(2);
  f.inputs.jobs = {job_from(cleanup_job(2))};
  JobHistory& history = f.inputs.history["cleanup"];
  history.job_spec_hash = job_spec_hash(parser::job_to_json(f.inputs.jobs[0]));
  history.periodic_since_unix = 1796026050;  // applied at 08:07:30Z
  PlanOptions options;
  options.now_unix = 1796026400;  // 08:13:20Z: nothing due yet
  CHECK_FALSE(compute_plan(f.inputs, options).summary.has_changes());

  options.now_unix = 1796028000;  // 08:40:00Z: 08:15 and 08:30 were missed; one run
  Plan due = compute_plan(f.inputs, options);
  auto placed = of_kind(due, ActionKind::kPlace);
  REQUIRE(placed.size() == 2);
  CHECK(placed[0]->reason == "periodic run due at 2026-11-30T08:30:00Z");
  CHECK(due.jobs.at(0).note == "periodic: launches the run due at 2026-11-30T08:30:00Z");
  f.apply(due);

  // The run still runs at the next cron time: prohibit_overlap holds the next one.
  history.periodic_since_unix = 1796028000;
  options.now_unix = 1796028900;  // 08:55:00Z
  Plan waits = compute_plan(f.inputs, options);
  CHECK_FALSE(waits.summary.has_changes());
  CHECK(waits.jobs.at(0).note ==
        "periodic: the run due at 2026-11-30T08:45:00Z waits: the last run still runs (prohibit_overlap)");
  // Finished: the next one launches beside the finished run.
  for (ExistingAllocation& a : f.inputs.cluster.allocations) a.status = AllocationStatus::kComplete;
  CHECK(of_kind(compute_plan(f.inputs, options), ActionKind::kPlace).size() == 2);
}

TEST_CASE("allocations stay where they run when a better host joins (stickiness)", "[diff]") {
  Fleet f(2);
  f.node("n0").capacity.memory_mb = 1024;
  f.node("n1").capacity.memory_mb = 1024;
  f.inputs.jobs = {job_from(web_job(4))};
  f.apply(f.plan());
  Node roomy = reconciler::testing::make_node("n2");
  roomy.capacity.memory_mb = 65536;
  f.inputs.cluster.nodes.push_back(roomy);
  Plan plan = f.plan();
  CHECK(kinds(plan) == std::map<ActionKind, int>{{ActionKind::kIgnore, 4}});
}

TEST_CASE("a removed group and a lowered count are annotated as forcing destroys", "[diff]") {
  spec::Job before = job_from(R"(job "j" {
  group "a" {
    count = 3
    task "t" {
      driver = "exec"
      config { command = "true" }
    }
  }
  group "b" {
    task "t" {
      driver = "exec"
      config { command = "true" }
    }
  }
})");
  spec::Job after = job_from(R"(job "j" {
  group "a" {
    count = 1
    task "t" {
      driver = "exec"
      config { command = "true" }
    }
  }
})");
  std::map<std::string, FieldDiff> by_path;
  for (const FieldDiff& d : diff_job_specs(parser::job_to_json(before), parser::job_to_json(after))) by_path[d.path] = d;
  CHECK(by_path.at("group.a.count").annotation == "forces destroy");
  CHECK(by_path.at("group.a.count").old_value == "3");
  CHECK(by_path.at("group.b").type == DiffType::kDeleted);
  CHECK(by_path.at("group.b").annotation == "forces destroy");
  CHECK(by_path.size() == 2);
}
