#include "unit/reconciler/plan/plan_golden_plans.hpp"

#include <utility>

namespace skiff::reconciler::testing {

namespace {

constexpr int64_t kComputedAt = 1780000000;  // 2026-05-28T20:26:40Z

Action make_action(ActionKind kind, const std::string& job, const std::string& group, int index) {
  Action a;
  a.kind = kind;
  a.job = job;
  a.group = group;
  a.index = index;
  return a;
}

Action place(const std::string& job, const std::string& group, int index, const std::string& to_node,
             std::map<std::string, int> ports, uint64_t version, const std::string& reason) {
  Action a = make_action(ActionKind::kPlace, job, group, index);
  a.to_node = to_node;
  a.ports = std::move(ports);
  a.job_version = version;
  a.reason = reason;
  return a;
}

// An action on an existing allocation; to_node is set by the caller where one is placed.
Action existing(ActionKind kind, const std::string& job, const std::string& group, int index, const std::string& alloc_id,
                const std::string& node, uint64_t version, const std::string& reason) {
  Action a = make_action(kind, job, group, index);
  a.alloc_id = alloc_id;
  a.node = node;
  a.job_version = version;
  a.reason = reason;
  return a;
}

Action ignore(const std::string& job, const std::string& group, int index, const std::string& alloc_id, const std::string& node,
              uint64_t version) {
  return existing(ActionKind::kIgnore, job, group, index, alloc_id, node, version, "");
}

JobPlan job_plan(const std::string& id, const std::string& type, DiffType change, uint64_t version,
                 std::optional<uint64_t> previous) {
  JobPlan job;
  job.job = id;
  job.type = type;
  job.change = change;
  job.version = version;
  job.previous_version = previous;
  return job;
}

GroupSummary group(const std::string& name, int desired) {
  GroupSummary g;
  g.name = name;
  g.desired = desired;
  return g;
}

FieldDiff edited(const std::string& path, const std::string& from, const std::string& to, const std::string& annotation = "") {
  return FieldDiff{DiffType::kEdited, path, from, to, annotation};
}
FieldDiff added(const std::string& path, const std::string& to, const std::string& annotation = "") {
  return FieldDiff{DiffType::kAdded, path, "", to, annotation};
}
FieldDiff deleted(const std::string& path, const std::string& from, const std::string& annotation = "") {
  return FieldDiff{DiffType::kDeleted, path, from, "", annotation};
}

// Fills the counts compute_plan would: per group from the actions, the
// canaries among them, and the plan's summary (unplaced is kept as set).
Plan finish(Plan plan) {
  for (JobPlan& job : plan.jobs) {
    for (GroupSummary& g : job.groups) {
      for (const Action& a : plan.actions) {
        if (a.job != job.job || a.group != g.name) continue;
        ++g.counts[a.kind];
        if (a.canary) ++g.canaries;
      }
    }
  }
  const int unplaced = plan.summary.unplaced;
  plan.summary = summarize(plan.actions);
  plan.summary.unplaced = unplaced;
  plan.state_serial = 17;
  plan.observed_digest = "sha256:5e0c2a8f3b7d41c9";
  plan.seed = 42;
  plan.computed_unix = kComputedAt;
  return plan;
}

Plan new_job() {
  Plan plan;
  JobPlan web = job_plan("web", "service", DiffType::kAdded, 1, std::nullopt);
  web.groups = {group("frontend", 3)};
  plan.jobs = {web};
  plan.actions = {
      place("web", "frontend", 0, "h1", {{"http", 23456}}, 1, "new"),
      place("web", "frontend", 1, "h2", {{"http", 24117}}, 1, "new"),
      place("web", "frontend", 2, "h3", {{"http", 21034}}, 1, "new"),
  };
  return finish(plan);
}

Plan count_up() {
  Plan plan;
  JobPlan web = job_plan("web", "service", DiffType::kEdited, 2, 1);
  web.fields = {edited("group.frontend.count", "2", "4", "forces create")};
  web.groups = {group("frontend", 4)};
  plan.jobs = {web};
  plan.actions = {
      ignore("web", "frontend", 0, "7c1e4f0a", "h1", 1),
      ignore("web", "frontend", 1, "b9d2a611", "h2", 1),
      place("web", "frontend", 2, "h3", {{"http", 21034}}, 2, "count 2 -> 4"),
      place("web", "frontend", 3, "h4", {{"http", 28801}}, 2, "count 2 -> 4"),
  };
  return finish(plan);
}

Plan count_down() {
  Plan plan;
  JobPlan web = job_plan("web", "service", DiffType::kEdited, 3, 2);
  web.fields = {edited("group.frontend.count", "4", "2", "forces destroy")};
  web.groups = {group("frontend", 2)};
  plan.jobs = {web};
  plan.actions = {
      ignore("web", "frontend", 0, "7c1e4f0a", "h1", 2),
      ignore("web", "frontend", 1, "b9d2a611", "h2", 2),
      existing(ActionKind::kStop, "web", "frontend", 2, "e04f77c2", "h3", 2, "count 4 -> 2"),
      existing(ActionKind::kStop, "web", "frontend", 3, "1a5b9e3d", "h4", 2, "count 4 -> 2"),
  };
  return finish(plan);
}

Plan in_place_update() {
  Plan plan;
  JobPlan api = job_plan("api", "service", DiffType::kEdited, 4, 3);
  api.fields = {
      edited("priority", "50", "70", "forces in-place update"),
      edited("group.api.service.api.tags", "[\"v1\"]", "[\"v1\",\"blue\"]", "forces in-place update"),
      edited("group.api.service.api.check.http.interval", "\"10s\"", "\"5s\"", "forces in-place update"),
      deleted("group.api.constraint", "[{\"attribute\":\"${meta.tier}\",\"operator\":\"=\",\"value\":\"gold\"}]",
              "forces in-place update"),
  };
  api.groups = {group("api", 3)};
  plan.jobs = {api};
  for (int i = 0; i < 3; ++i) {
    const std::string node = "h" + std::to_string(i + 1);
    Action a =
        existing(ActionKind::kUpdateInPlace, "api", "api", i, "c0ffee0" + std::to_string(i), node, 4, "job version 3 -> 4");
    a.ports = {{"http", 25000 + i}};
    plan.actions.push_back(a);
  }
  return finish(plan);
}

Plan destructive_update() {
  Plan plan;
  JobPlan shop = job_plan("shop", "service", DiffType::kEdited, 6, 5);
  shop.fields = {
      edited("group.web.task.app.config.image", "\"shop:1.4\"", "\"shop:1.5\"", "forces create/destroy update"),
      added("group.web.task.app.env.FEATURE_CART", "\"on\"", "forces create/destroy update"),
      edited("group.web.update.max_parallel", "1", "2"),
  };
  shop.groups = {group("web", 4), group("worker", 2)};
  plan.jobs = {shop};
  const std::string reason = "task \"app\": config, env changed";
  const std::pair<const char*, const char*> moves[] = {{"h1", "h1"}, {"h2", "h5"}, {"h3", "h3"}, {"h4", "h4"}};
  for (int i = 0; i < 4; ++i) {
    Action a = existing(ActionKind::kReplace, "shop", "web", i, "5a7e00" + std::to_string(i), moves[i].first, 6, reason);
    a.to_node = moves[i].second;
    a.ports = {{"http", 26000 + i}, {"metrics", 27000 + i}};
    a.wave = 1 + i / 2;
    plan.actions.push_back(a);
  }
  plan.actions.push_back(ignore("shop", "worker", 0, "0b0e1a11", "h2", 5));
  plan.actions.push_back(ignore("shop", "worker", 1, "0b0e1a12", "h3", 5));
  return finish(plan);
}

// update.canary = 1: one allocation of the new version beside the four old
// copies, which keep running until the canary is promoted.
Plan canary_update() {
  Plan plan;
  JobPlan shop = job_plan("shop", "service", DiffType::kEdited, 6, 5);
  shop.fields = {
      edited("group.web.task.app.config.image", "\"shop:1.4\"", "\"shop:1.5\"", "forces create/destroy update"),
      edited("group.web.update.canary", "0", "1"),
  };
  shop.groups = {group("web", 4)};
  shop.note = "canaries first; the rest waits for `skiff deployment promote shop`";
  plan.jobs = {shop};
  Action canary = place("shop", "web", 0, "h5", {{"http", 26100}}, 6, "canary of job version 6");
  canary.canary = true;
  plan.actions.push_back(canary);
  for (int i = 0; i < 4; ++i) {
    Action a = ignore("shop", "web", i, "5a7e00" + std::to_string(i), "h" + std::to_string(i + 1), 5);
    a.reason = "runs until the canaries are promoted";
    plan.actions.push_back(a);
  }
  return finish(plan);
}

Plan migrate_drain() {
  Plan plan;
  // compute_plan marks a job edited when any of its allocations changes.
  JobPlan db = job_plan("db", "service", DiffType::kEdited, 7, 7);
  db.groups = {group("postgres", 3)};
  plan.jobs = {db};
  plan.actions = {ignore("db", "postgres", 0, "d1e2f3a4", "h1", 7)};
  for (int i = 1; i < 3; ++i) {
    Action a =
        existing(ActionKind::kMigrate, "db", "postgres", i, "d1e2f3a" + std::to_string(4 + i), "h3", 7, "host h3 is draining");
    a.to_node = i == 1 ? "h4" : "h5";
    a.wave = i;  // migrate.max_parallel = 1
    a.ports = {{"pg", 5432}};
    plan.actions.push_back(a);
  }
  return finish(plan);
}

Plan reschedule_lost() {
  Plan plan;
  JobPlan worker = job_plan("worker", "batch", DiffType::kEdited, 2, 2);
  worker.groups = {group("jobs", 2)};
  plan.jobs = {worker};
  Action lost = existing(ActionKind::kReschedule, "worker", "jobs", 1, "9f8e7d6c", "h2", 2, "lost: host h2 is down");
  lost.to_node = "h6";
  plan.actions = {ignore("worker", "jobs", 0, "9f8e7d6b", "h1", 2), lost};
  return finish(plan);
}

Plan pruned_job() {
  Plan plan;
  JobPlan legacy = job_plan("legacy", "service", DiffType::kNone, 9, 9);
  legacy.groups = {group("app", 1)};
  legacy.note = "not in the job files: left running (plan -prune stops it)";
  JobPlan old = job_plan("old", "service", DiffType::kDeleted, 4, 4);
  old.groups = {group("cache", 2)};
  old.note = "not in the job files: stopped (-prune)";
  plan.jobs = {legacy, old};
  plan.actions = {
      ignore("legacy", "app", 0, "aa11bb22", "h1", 9),
      existing(ActionKind::kStop, "old", "cache", 0, "cc33dd44", "h2", 4, "job \"old\" is not in the job files; -prune stops it"),
      existing(ActionKind::kStop, "old", "cache", 1, "ee55ff66", "h3", 4, "job \"old\" is not in the job files; -prune stops it"),
  };
  return finish(plan);
}

Plan drift() {
  Plan plan;
  JobPlan web = job_plan("web", "service", DiffType::kEdited, 2, 2);
  web.groups = {group("frontend", 3)};
  plan.jobs = {web};
  Action extra = existing(ActionKind::kStop, "web", "frontend", 7, "3c4d5e6f", "h4", 1, "count lowered to 3");
  plan.actions = {
      ignore("web", "frontend", 0, "7c1e4f0a", "h1", 2),
      place("web", "frontend", 1, "h2", {{"http", 24117}}, 2, "index 1 has no allocation"),
      ignore("web", "frontend", 2, "e04f77c2", "h3", 2),
      extra,
  };
  plan.drift = {"h3: container skiff-5f1c2d3e-0a1b-4c2d-8e9f-0123456789ab-app is labelled by skiff but has no allocation folder",
                "h4: /var/lib/skiff/allocs/tmp-restore/alloc.json cannot be read"};
  return finish(plan);
}

Plan placement_failures() {
  Plan plan;
  JobPlan shop = job_plan("shop", "service", DiffType::kEdited, 2, 1);
  shop.fields = {edited("group.db.count", "1", "3", "forces create"),
                 edited("group.db.task.postgres.resources.memory_mb", "2048", "8192", "forces create/destroy update")};
  shop.groups = {group("db", 3)};
  GroupFailure failure;
  failure.group = "db";
  failure.unplaced = 2;
  failure.messages = {"Constraint \"${attr.kernel.name} = linux\" filtered 1 host", "Dimension \"memory\" exhausted on 3 hosts"};
  shop.failures = {failure};
  plan.jobs = {shop};
  Action replace = existing(ActionKind::kReplace, "shop", "db", 0, "4b3a2918", "h1", 2, "task \"postgres\": resources changed");
  replace.to_node = "h5";
  replace.ports = {{"pg", 5432}};
  plan.actions = {replace};
  plan.summary.unplaced = 2;
  return finish(plan);
}

Plan periodic_job() {
  Plan plan;
  JobPlan report = job_plan("report", "batch", DiffType::kEdited, 3, 2);
  report.fields = {edited("periodic.crons", "[\"0 0 * * *\"]", "[\"0 0 1 * *\"]")};
  report.groups = {group("report", 1)};
  report.next_periodic_launch_unix = 1796083200;  // 2026-12-01T00:00:00Z
  plan.jobs = {report};
  return finish(plan);
}

Plan no_changes() {
  Plan plan;
  JobPlan api = job_plan("api", "service", DiffType::kNone, 4, 4);
  api.groups = {group("api", 2)};
  JobPlan web = job_plan("web", "service", DiffType::kNone, 2, 2);
  web.groups = {group("frontend", 1)};
  plan.jobs = {api, web};
  plan.actions = {
      ignore("api", "api", 0, "c0ffee00", "h1", 4),
      ignore("api", "api", 1, "c0ffee01", "h2", 4),
      ignore("web", "frontend", 0, "7c1e4f0a", "h1", 2),
  };
  return finish(plan);
}

// Several jobs at once, as a GitOps commit often brings them.
Plan several_jobs() {
  Plan plan;
  JobPlan api = job_plan("api", "service", DiffType::kEdited, 5, 4);
  api.fields = {edited("datacenters", "[\"dc1\"]", "[\"dc1\",\"dc2\"]", "forces in-place update"),
                edited("group.api.task.app.config.image", "\"api:2.0\"", "\"api:2.1\"", "forces create/destroy update")};
  api.groups = {group("api", 2)};
  JobPlan cron = job_plan("cleanup", "sysbatch", DiffType::kAdded, 1, std::nullopt);
  cron.groups = {group("sweep", 2)};
  cron.next_periodic_launch_unix = 1780012800;  // 2026-05-29T00:00:00Z
  JobPlan web = job_plan("web", "service", DiffType::kNone, 2, 2);
  web.groups = {group("frontend", 1)};
  plan.jobs = {api, cron, web};
  Action r0 = existing(ActionKind::kReplace, "api", "api", 0, "c0ffee00", "h1", 5, "task \"app\": config changed");
  r0.to_node = "h1";
  r0.ports = {{"http", 25000}};
  Action r1 = existing(ActionKind::kReplace, "api", "api", 1, "c0ffee01", "h2", 5, "task \"app\": config changed");
  r1.to_node = "h2";
  r1.ports = {{"http", 25001}};
  plan.actions = {
      r0,
      r1,
      ignore("web", "frontend", 0, "7c1e4f0a", "h1", 2),
  };
  return finish(plan);
}

// Whole groups and tasks added, and a group whose name has a dot in it.
Plan groups_added() {
  Plan plan;
  JobPlan web = job_plan("web", "service", DiffType::kEdited, 3, 2);
  web.fields = {
      added("group.cache", "", "forces create"),
      added("group.web.task.sidecar", "", "forces create/destroy update"),
      added("group.web.v2.meta.track", "\"beta\"", "forces in-place update"),
  };
  web.groups = {group("cache", 2), group("web", 2), group("web.v2", 1)};
  plan.jobs = {web};
  plan.actions = {
      place("web", "cache", 0, "h3", {{"redis", 22001}}, 3, "new"),
      place("web", "cache", 1, "h4", {{"redis", 22002}}, 3, "new"),
  };
  for (int i = 0; i < 2; ++i) {
    const std::string node = "h" + std::to_string(i + 1);
    Action a = existing(ActionKind::kReplace, "web", "web", i, "7c1e4f0" + std::to_string(i), node, 3, "task \"sidecar\" added");
    a.to_node = node;
    a.wave = i + 1;
    plan.actions.push_back(a);
  }
  plan.actions.push_back(existing(ActionKind::kUpdateInPlace, "web", "web.v2", 0, "8d2f5a10", "h2", 3, "meta changed"));
  return finish(plan);
}

// Nothing to change, but the last deployment of the job's version failed:
// the plan names it and what is unhealthy, and promises no change.
Plan failed_deployment() {
  Plan plan;
  JobPlan web = job_plan("web", "service", DiffType::kNone, 4, 4);
  web.groups = {group("frontend", 2)};
  plan.jobs = {web};
  plan.actions = {ignore("web", "frontend", 0, "7c1e4f0a", "h1", 4), ignore("web", "frontend", 1, "b9d2a611", "h2", 4)};
  plan.failed_deployments = {{"web",
                              "3f9a0c12-5b7e-4d21-9c3a-8e6f1d2b4a70",
                              4,
                              "wave 0: not every allocation was healthy within the healthy_deadline (30 s)",
                              {"web.frontend[1] (b9d2a611) on h2: unhealthy"}}};
  return finish(plan);
}

}  // namespace

std::vector<GoldenPlan> golden_plans() {
  return {
      {"new_job", new_job()},
      {"count_up", count_up()},
      {"count_down", count_down()},
      {"in_place_update", in_place_update()},
      {"destructive_update", destructive_update()},
      {"canary_update", canary_update()},
      {"migrate_drain", migrate_drain()},
      {"reschedule_lost", reschedule_lost()},
      {"pruned_job", pruned_job()},
      {"drift", drift()},
      {"placement_failures", placement_failures()},
      {"periodic_job", periodic_job()},
      {"no_changes", no_changes()},
      {"several_jobs", several_jobs()},
      {"groups_added", groups_added()},
      {"failed_deployment", failed_deployment()},
  };
}

}  // namespace skiff::reconciler::testing
