#include "reconciler/diff.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "base/utc_time.hpp"
#include "drivers/task/allocation.hpp"
#include "parser/load.hpp"
#include "reconciler/cron.hpp"
#include "reconciler/diff_internal.hpp"
#include "reconciler/dispatch.hpp"
#include "reconciler/plan/field_diff.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::reconciler {

using namespace diff_detail;

namespace {

// The version a job's plan applies: the state's, or (without state) the
// one its allocations record; a new number when the spec changed.
void choose_version(DesiredJob& d, const JobHistory* history, const Allocations& existing, JobPlan& plan) {
  if (history) {
    plan.previous_version = history->version;
    d.version = history->job_spec_hash == d.hash ? history->version : history->version + 1;
    return;
  }
  std::optional<uint64_t> newest;
  for (const ExistingAllocation* a : existing) {
    if (a->job_spec_hash == d.hash) {
      d.version = a->job_version;
      plan.previous_version = a->job_version;
      return;
    }
    newest = std::max(newest.value_or(0), a->job_version);
  }
  plan.previous_version = newest;
  d.version = newest ? *newest + 1 : 0;
}

void record_failure(JobPlan& job, const std::string& group, const PlacementFailure& failure) {
  for (GroupFailure& f : job.failures) {
    if (f.group != group) continue;
    ++f.unplaced;
    return;
  }
  job.failures.push_back({group, 1, failure.messages()});
}

PlacementOutcome place_one(const PendingPlacement& p, Placer& placer) {
  if (!p.only_node.empty()) return placer.place_on(*p.job, *p.group, p.only_node);
  PlacementOptions options;
  if (p.old) options.penalty_nodes.insert(p.old->node);
  return placer.place(*p.job, *p.group, options);
}

// Replacements update.max_parallel per wave, migrations migrate.max_parallel
// per wave (all in the first from a host whose drain deadline passed),
// after wave 0 (stops, placements, canaries). REQUIRES: actions in plan order,
// so that each group's actions are one run.
void assign_waves(const std::vector<spec::Job>& jobs, const std::vector<Node>& nodes, std::vector<Action>& actions) {
  std::set<std::string> forced;
  for (const Node& node : nodes)
    if (node.draining && node.drain_deadline_passed) forced.insert(node.name);
  std::map<std::pair<std::string, std::string>, const spec::Group*> groups;
  for (const spec::Job& job : jobs)
    for (const spec::Group& group : job.groups) groups[{job.id, group.name}] = &group;
  const spec::Group* group = nullptr;
  int replaced = 0, migrated = 0;
  for (size_t i = 0; i < actions.size(); ++i) {
    Action& a = actions[i];
    if (i == 0 || a.group != actions[i - 1].group || a.job != actions[i - 1].job) {
      auto it = groups.find({a.job, a.group});
      group = it == groups.end() ? nullptr : it->second;
      replaced = migrated = 0;
    }
    if (!group) continue;
    if (a.kind == ActionKind::kReplace) {
      const int parallel = std::max(1, group->update ? group->update->max_parallel : 1);
      a.wave = 1 + replaced++ / parallel;
    } else if (a.kind == ActionKind::kMigrate) {
      a.wave = forced.count(a.node) ? 1 : 1 + migrated++ / std::max(1, group->migrate.max_parallel);
    }
  }
}

// Per job and group, how many allocations each action takes. REQUIRES:
// actions in plan order and plan.jobs sorted by id.
void summarize_jobs(Plan& plan) {
  auto job = plan.jobs.begin();
  GroupSummary* group = nullptr;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    if (i == 0 || a.group != plan.actions[i - 1].group || a.job != plan.actions[i - 1].job) {
      while (job != plan.jobs.end() && job->job < a.job) ++job;
      if (job == plan.jobs.end() || job->job != a.job) {
        group = nullptr;
        continue;
      }
      auto it = std::find_if(job->groups.begin(), job->groups.end(), [&](const GroupSummary& g) { return g.name == a.group; });
      if (it == job->groups.end()) it = job->groups.insert(job->groups.end(), GroupSummary{a.group, {}, 0, 0});
      group = &*it;
    }
    if (!group) continue;
    ++group->counts[a.kind];
    if (a.canary) ++group->canaries;
    if (a.kind != ActionKind::kIgnore && job->change == DiffType::kNone) job->change = DiffType::kEdited;
  }
  plan.summary = summarize(plan.actions);
  for (const JobPlan& j : plan.jobs)
    for (const GroupFailure& f : j.failures) plan.summary.unplaced += f.unplaced;
}

// Plan order: by job, group, index, then host and id. Sorting a million
// actions by their strings is slow; ranks make it integers but for ties.
void sort_actions(std::vector<Action>& actions) {
  std::map<std::string_view, int> job_rank;
  for (const Action& a : actions) job_rank.emplace(a.job, 0);
  int rank = 0;
  for (auto& [job, r] : job_rank) r = rank++;
  struct Key {
    int job;
    int index;
    const Action* action;
  };
  std::vector<Key> keys;
  keys.reserve(actions.size());
  for (const Action& a : actions) keys.push_back({job_rank[a.job], a.index, &a});
  std::sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
    if (x.job != y.job) return x.job < y.job;
    const int group = x.action->group.compare(y.action->group);
    if (group != 0) return group < 0;
    if (x.index != y.index) return x.index < y.index;
    return std::tie(x.action->node, x.action->alloc_id) < std::tie(y.action->node, y.action->alloc_id);
  });
  std::vector<Action> sorted;
  sorted.reserve(actions.size());
  for (const Key& k : keys) sorted.push_back(std::move(*const_cast<Action*>(k.action)));
  actions = std::move(sorted);
}

Action kept(const ExistingAllocation& a, const std::string& reason) {
  return action_for(ActionKind::kIgnore, a, reason, a.job_version);
}

bool launched_later(const spec::Job& job) { return (job.periodic && job.periodic->enabled) || job.parameterized; }

// The earliest next run over the job's crons, in its time zone.
void describe_launches(const spec::Job& job, const PlanOptions& options, JobPlan& plan) {
  if (job.parameterized) {
    plan.note = "parameterized: runs are dispatched, not placed by a plan";
    return;
  }
  const std::string& zone = job.periodic->time_zone;
  std::function<int64_t(int64_t)> offset;
  if (options.zone_offset && zone != "UTC") offset = [&](int64_t t) { return options.zone_offset(zone, t); };
  for (const std::string& cron : job.periodic->crons) {
    Result<CronSchedule> schedule = CronSchedule::parse(cron);
    if (!schedule.ok()) {
      plan.note = schedule.error().message;
      continue;
    }
    std::optional<int64_t> next = schedule->next_after(options.now_unix, offset);
    if (next && (!plan.next_periodic_launch_unix || *next < *plan.next_periodic_launch_unix))
      plan.next_periodic_launch_unix = next;
  }
  if (job.periodic->prohibit_overlap && plan.note.empty()) plan.note = "periodic: a run starts only when the last one has ended";
}

// The latest cron time in (since, now], over every cron of the job.
std::optional<int64_t> due_launch(const spec::Job& job, int64_t since, const PlanOptions& options) {
  const std::string& zone = job.periodic->time_zone;
  std::function<int64_t(int64_t)> offset;
  if (options.zone_offset && zone != "UTC") offset = [&](int64_t t) { return options.zone_offset(zone, t); };
  std::optional<int64_t> due;
  for (const std::string& cron : job.periodic->crons) {
    Result<CronSchedule> schedule = CronSchedule::parse(cron);
    if (!schedule.ok()) continue;
    // Missed runs launch once: walk to the last one before now.
    int64_t at = since;
    for (int steps = 0; steps < 100000; ++steps) {
      std::optional<int64_t> next = schedule->next_after(at, offset);
      if (!next || *next > options.now_unix) break;
      at = *next;
    }
    if (at > since && (!due || at > *due)) due = at;
  }
  return due;
}

// A run of a periodic job, when one is due: each group's count placed anew
// beside the finished runs (which stay until they are collected).
void launch_if_due(const spec::Job& job, const DesiredJob& desired, const JobHistory& history, const Allocations& all,
                   const PlanOptions& options, JobPlan& plan, Work& work) {
  if (history.periodic_since_unix <= 0) return;
  std::optional<int64_t> due = due_launch(job, history.periodic_since_unix, options);
  if (!due) return;
  const bool running = std::any_of(all.begin(), all.end(), [](const ExistingAllocation* a) { return !is_terminal(a->status); });
  if (running && job.periodic->prohibit_overlap) {
    plan.note = "periodic: the run due at " + base::rfc3339_utc(*due) + " waits: the last run still runs (prohibit_overlap)";
    return;
  }
  plan.note = "periodic: launches the run due at " + base::rfc3339_utc(*due);
  for (const spec::Group& group : job.groups) {
    plan.groups.push_back(GroupSummary{group.name, {}, 0, group.count});
    for (int index = 0; index < group.count; ++index)
      work.pending.push_back({ActionKind::kPlace, desired.job, &group, index, nullptr,
                              "periodic run due at " + base::rfc3339_utc(*due), "", desired.version});
  }
}

}  // namespace

namespace {

using AllocationsByGroup = std::map<std::string, Allocations>;

// Canaries of a failed deployment that were never promoted stop, and leave
// the slots they took.
void stop_failed_canaries(const JobHistory& history, AllocationsByGroup& existing, Placer& placer, Work& work) {
  if (history.failed_canaries.empty()) return;
  for (auto& [group, allocs] : existing) {
    Allocations kept_allocs;
    for (const ExistingAllocation* a : allocs) {
      if (!history.failed_canaries.count(a->id)) {
        kept_allocs.push_back(a);
        continue;
      }
      if (is_terminal(a->status)) continue;
      placer.release(*a);
      work.actions.push_back(action_for(ActionKind::kStop, *a, "canary of a failed deployment", a->job_version));
    }
    allocs = std::move(kept_allocs);
  }
}

Allocations all_of(const AllocationsByGroup& groups) {
  Allocations all;
  for (const auto& [group, allocs] : groups) all.insert(all.end(), allocs.begin(), allocs.end());
  return all;
}

// A job of the job files: its version and field diffs, then a decision per
// slot of each group (placements wait in `work.pending`).
JobPlan plan_listed_job(const spec::Job& job, AllocationsByGroup& existing, const PlanInputs& inputs, const PlanOptions& options,
                        Placer& placer, Work& work) {
  DesiredJob desired{&job, parser::job_to_json(job), "", 0};
  desired.hash = job_spec_hash(desired.json);
  const Allocations all = all_of(existing);
  auto history = inputs.history.find(job.id);
  JobPlan job_plan;
  job_plan.job = job.id;
  job_plan.type = spec::to_string(job.type);
  choose_version(desired, history == inputs.history.end() ? nullptr : &history->second, all, job_plan);
  job_plan.version = desired.version;
  if (history != inputs.history.end() && !history->second.spec.is_null())
    job_plan.fields = diff_job_specs(history->second.spec, desired.json);
  job_plan.change = all.empty() && history == inputs.history.end() ? DiffType::kAdded
      : job_plan.fields.empty()                                    ? DiffType::kNone
                                                                   : DiffType::kEdited;
  if (launched_later(job)) {
    describe_launches(job, options, job_plan);
    for (const ExistingAllocation* a : all) work.actions.push_back(kept(*a, "a run of a periodic or dispatched job"));
    if (!job.parameterized && history != inputs.history.end())
      launch_if_due(job, desired, history->second, all, options, job_plan, work);
    return job_plan;
  }
  const JobHistory* known = history == inputs.history.end() ? nullptr : &history->second;
  if (known && known->stopped && known->job_spec_hash == desired.hash) {
    job_plan.note =
        "stopped by `skiff job stop` at version " + std::to_string(known->version) + ": stays stopped until its job file changes";
    stop_all(all, "job \"" + job.id + "\" was stopped", placer, work);
    return job_plan;
  }
  if (known) stop_failed_canaries(*known, existing, placer, work);
  const bool system = job.type == spec::JobType::kSystem || job.type == spec::JobType::kSysbatch;
  for (const spec::Group& group : job.groups) {
    job_plan.groups.push_back(GroupSummary{group.name, {}, 0, system ? 0 : group.count});
    Allocations& allocs = existing[group.name];
    if (system) {
      decide_system_group(desired, group, allocs, placer, work);
      continue;
    }
    const GroupCanaries* canaries = nullptr;
    if (known)
      if (auto it = known->canaries.find(group.name); it != known->canaries.end()) canaries = &it->second;
    const CanaryStep step = decide_canary_group(desired, group, allocs, canaries, placer, work);
    if (step == CanaryStep::kNone) decide_counted_group(desired, group, allocs, placer, work);
    else if (!group.update->auto_promote)
      job_plan.note = "canaries first; the rest waits for `skiff deployment promote " + job.id + "`";
    else job_plan.note = "canaries first; promoted once they are healthy (auto_promote)";
  }
  for (const auto& [name, allocs] : existing) {
    // A structured binding cannot be captured by a lambda before C++20's
    // P1091 (clang 14 refuses it): the lambda captures a plain reference.
    const std::string& group = name;
    if (std::none_of(job.groups.begin(), job.groups.end(), [&](const spec::Group& g) { return g.name == group; }))
      stop_all(allocs, "group \"" + group + "\" was removed from the job", placer, work);
  }
  return job_plan;
}

// A job with allocations but no job file: stopped only when pruning. A
// dispatched run of a job that is in the job files has no file of its own:
// it is left to finish, pruned or not.
JobPlan plan_unlisted_job(const std::string& job_id, const AllocationsByGroup& existing, const std::set<std::string>& listed,
                          const PlanOptions& options, Placer& placer, Work& work) {
  JobPlan job_plan;
  job_plan.job = job_id;
  const Allocations all = all_of(existing);
  for (const ExistingAllocation* a : all) job_plan.version = std::max(job_plan.version, a->job_version);
  if (std::optional<std::string> parent = dispatch_parent(job_id); parent && listed.count(*parent)) {
    job_plan.note = "a dispatched run of job \"" + *parent + "\": left to finish";
    for (const ExistingAllocation* a : all) work.actions.push_back(kept(*a, "a run of a periodic or dispatched job"));
  } else if (options.prune == Prune::kStop) {
    job_plan.change = DiffType::kDeleted;
    job_plan.note = "not in the job files: stopped (-prune)";
    stop_all(all, "job \"" + job_id + "\" is not in the job files; -prune stops it", placer, work);
  } else {
    job_plan.note = "not in the job files: left running (plan -prune stops it)";
    for (const ExistingAllocation* a : all) work.actions.push_back(kept(*a, "job not in the job files"));
  }
  return job_plan;
}

// Every pending placement, in order; what fits nowhere is counted in its
// job's failures. REQUIRES: plan.jobs holds a JobPlan for each pending job.
void place_pending(Work& work, Placer& placer, Plan& plan) {
  std::map<std::string, JobPlan*> by_id;
  for (JobPlan& job : plan.jobs) by_id[job.job] = &job;
  for (const PendingPlacement& p : work.pending) {
    PlacementOutcome outcome = place_one(p, placer);
    if (const Placement* placed = std::get_if<Placement>(&outcome)) {
      if (p.kind == ActionKind::kReplace) placer.release(*p.old);
      work.actions.push_back(placed_action(p, *placed));
      continue;
    }
    record_failure(*by_id.at(p.job->id), p.group->name, std::get<PlacementFailure>(outcome));
    // A copy that still runs and has nowhere to go stays as it is.
    if (p.old && !is_terminal(p.old->status) && p.kind != ActionKind::kReschedule) {
      if (p.kind != ActionKind::kReplace) placer.reserve(*p.old);
      work.actions.push_back(kept(*p.old, p.reason + "; stays: no host can take it"));
    }
  }
}

}  // namespace

Plan compute_plan(const PlanInputs& inputs, const PlanOptions& options) {
  Plan plan;
  plan.seed = options.seed;
  plan.state_serial = options.state_serial;
  plan.computed_unix = options.now_unix;
  plan.observed_digest = observed_digest(inputs.cluster);
  plan.host_digests = observed_host_digests(inputs.cluster);
  plan.drift = inputs.cluster.drift;

  Work work;
  work.now_unix = options.now_unix;
  work.retry = options.retry;
  for (const Node& node : inputs.cluster.nodes) work.nodes[node.name] = &node;
  Placer placer(inputs.cluster.nodes, options.algorithm, options.seed);
  std::map<std::string, AllocationsByGroup> existing;  // by job
  for (const ExistingAllocation& a : inputs.cluster.allocations) {
    existing[a.job][a.group].push_back(&a);
    placer.reserve(a);
  }
  for (const ExistingAllocation& a : inputs.cluster.foreign) placer.reserve_foreign(a);

  // Every decision first, so that what stops frees room for what is placed.
  std::vector<const spec::Job*> jobs;
  for (const spec::Job& job : inputs.jobs) jobs.push_back(&job);
  std::sort(jobs.begin(), jobs.end(), [](const spec::Job* a, const spec::Job* b) { return a->id < b->id; });
  std::set<std::string> listed;
  for (const spec::Job* job : jobs) {
    listed.insert(job->id);
    plan.jobs.push_back(plan_listed_job(*job, existing[job->id], inputs, options, placer, work));
  }
  for (const auto& [job_id, groups] : existing)
    if (!listed.count(job_id)) plan.jobs.push_back(plan_unlisted_job(job_id, groups, listed, options, placer, work));

  place_pending(work, placer, plan);
  sort_actions(work.actions);
  std::sort(plan.jobs.begin(), plan.jobs.end(), [](const JobPlan& a, const JobPlan& b) { return a.job < b.job; });
  assign_waves(inputs.jobs, inputs.cluster.nodes, work.actions);
  plan.actions = std::move(work.actions);
  summarize_jobs(plan);
  return plan;
}

std::map<std::string, std::string> observed_host_digests(const ClusterSnapshot& cluster) {
  std::map<std::string, nlohmann::json> hosts;
  for (const Node& n : cluster.nodes)
    hosts[n.name]["node"] = {n.status == NodeStatus::kReady, n.eligible, n.draining, n.capacity.cpu_mhz, n.capacity.memory_mb};
  std::vector<const ExistingAllocation*> allocs;
  for (const ExistingAllocation& a : cluster.allocations) allocs.push_back(&a);
  std::sort(allocs.begin(), allocs.end(), [](auto* a, auto* b) { return a->id < b->id; });
  for (const ExistingAllocation* a : allocs)
    hosts[a->node]["allocations"].push_back({a->id, to_string(a->status), a->job_version, a->job_spec_hash, a->task_spec_hashes});
  std::map<std::string, std::string> digests;
  for (const auto& [host, facts] : hosts) digests[host] = drivers::task_spec_hash(facts);
  return digests;
}

std::string observed_digest(const ClusterSnapshot& cluster) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const Node& n : cluster.nodes)
    nodes.push_back({n.name, n.status == NodeStatus::kReady, n.eligible, n.draining, n.capacity.cpu_mhz, n.capacity.memory_mb});
  std::vector<const ExistingAllocation*> allocs;
  for (const ExistingAllocation& a : cluster.allocations) allocs.push_back(&a);
  std::sort(allocs.begin(), allocs.end(), [](auto* a, auto* b) { return a->id < b->id; });
  nlohmann::json list = nlohmann::json::array();
  for (const ExistingAllocation* a : allocs)
    list.push_back({a->id, a->node, to_string(a->status), a->job_version, a->job_spec_hash, a->task_spec_hashes});
  std::sort(nodes.begin(), nodes.end());
  nlohmann::json digested = {{"nodes", nodes}, {"allocations", list}};
  // Another state's allocations change where this plan may place (their
  // ports, their resources); without any, the digest is what it always was.
  if (!cluster.foreign.empty()) {
    nlohmann::json foreign = nlohmann::json::array();
    for (const ExistingAllocation& a : cluster.foreign) foreign.push_back({a.id, a.node, to_string(a.status), a.ports});
    std::sort(foreign.begin(), foreign.end());
    digested["foreign"] = std::move(foreign);
  }
  return drivers::task_spec_hash(digested);
}

}  // namespace skiff::reconciler
