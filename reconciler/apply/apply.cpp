#include "reconciler/apply/apply.hpp"

#include <algorithm>
#include <set>

#include "drivers/host/observe.hpp"
#include "parser/load.hpp"
#include "reconciler/apply/apply_health.hpp"
#include "reconciler/apply/apply_steps.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::reconciler {

using namespace apply_detail;

std::string to_string(RecordedStatus status) {
  switch (status) {
    case RecordedStatus::kPending: return "pending";
    case RecordedStatus::kRunning: return "running";
    case RecordedStatus::kFailed: return "failed";
    case RecordedStatus::kStopped: return "stopped";
    case RecordedStatus::kLost: return "lost";
  }
  return "unknown";
}

namespace {

using Clock = std::chrono::steady_clock;

// How long a wave may take to be healthy, and which setting said so.
struct WaveDeadline {
  std::chrono::milliseconds after{0};
  const char* setting = "healthy_deadline";
};

// An allocation started in this step whose health gates the next wave.
struct Gated {
  drivers::Allocation allocation;
  std::chrono::milliseconds min_healthy{0};
  // The update policy's progress_deadline bounds the wave when it is set
  // shorter than healthy_deadline (Nomad wants it longer; 0: off).
  WaveDeadline deadline;
  spec::HealthCheckMode health_check = spec::HealthCheckMode::kChecks;  // from the policy that gates it
};

bool in_wave(const Action& a, int wave) {
  if (a.kind == ActionKind::kIgnore) return false;
  if (a.kind == ActionKind::kReplace || a.kind == ActionKind::kMigrate) return a.wave == wave;
  return wave == 0;
}

class Executor {
 public:
  Executor(const Plan& plan, const std::vector<spec::Job>& jobs, const std::map<std::string, ApplyHost>& hosts,
           const drivers::ObservedAllocations& observed, ApplyEnvironment& env)
      : plan_(plan), hosts_(hosts), observed_(observed), env_(env) {
    for (const spec::Job& job : jobs) specs_.jobs[job.id] = &job;
  }

  ApplyReport run() {
    int last_wave = 0;
    for (const Action& a : plan_.actions)
      if (a.kind == ActionKind::kReplace || a.kind == ActionKind::kMigrate) last_wave = std::max(last_wave, a.wave);
    for (int wave = 0; wave <= last_wave; ++wave) {
      if (interrupted_before("wave " + std::to_string(wave) + " started")) break;
      stop_step(wave);
      std::vector<Gated> gated = start_step(wave);
      if (!report_.ok()) break;
      if (!gated.empty() && !healthy(gated, wave)) break;
    }
    return std::move(report_);
  }

 private:
  // True (and the report says where) once the user asked apply to stop.
  bool interrupted_before(const std::string& where) {
    if (!env_.interrupted || !env_.interrupted()) return false;
    report_.interrupted = "interrupted before " + where;
    return true;
  }

  void save_step() {
    if (Status saved = env_.recorder.step_done(); !saved.ok()) report_.errors.push_back("state: " + saved.error().message);
  }

  // The old copies this wave ends or updates, one batch per host.
  void stop_step(int wave) {
    std::vector<Item> items;
    for (const Action& a : plan_.actions) {
      if (!in_wave(a, wave) || a.alloc_id.empty()) continue;
      auto host = hosts_.find(a.node);
      auto observed = observed_.find({a.node, a.alloc_id});
      if (host == hosts_.end() || observed == observed_.end()) {
        // A down host: nothing to stop there; the copy is lost.
        env_.recorder.ended(a.alloc_id, RecordedStatus::kLost, a.reason);
        continue;
      }
      if (a.kind == ActionKind::kUpdateInPlace) {
        items.push_back(update(a, observed->second));
        continue;
      }
      env_.progress({"stopping",
                     "Stopping " + a.name() + " (" + a.alloc_id.substr(0, 8) + ") on " + a.node + " (" + a.reason + ")", a.name(),
                     a.alloc_id, a.node, a.reason});
      const std::string id = a.alloc_id, where = a.node, name = a.name();
      // The ended copy a reschedule clears away is not a stop the plan
      // counted: its new copy is one of the plan's places.
      const bool counted = a.kind != ActionKind::kReschedule;
      for (Item& item : stop_items(a.node, host->second, observed->second, specs_.group(a.job, a.group),
                                   [this, id, where, name, counted](const std::string& error) {
                                     if (!error.empty()) return report_.errors.push_back(where + ": stop " + name + ": " + error);
                                     if (counted) ++report_.stopped;
                                     env_.recorder.ended(id, RecordedStatus::kStopped, "stopped by apply");
                                   }))
        items.push_back(std::move(item));
    }
    if (items.empty()) return;
    run_step(items, env_, report_);
    save_step();
  }

  Item update(const Action& a, const drivers::ObservedAllocation& observed) {
    drivers::Allocation updated = observed.allocation;
    updated.job_version = a.job_version;
    if (const spec::Job* job = specs_.job(a.job)) updated.job_spec_hash = job_spec_hash(job_json(*job));
    env_.progress({"updating", "Updating " + a.name() + " on " + a.node + " in place (" + a.reason + ")", a.name(), a.alloc_id,
                   a.node, a.reason});
    const std::string where = a.node;
    return update_item(a.node, updated, [this, updated, where](const std::string& error) {
      if (!error.empty()) return report_.errors.push_back(where + ": update " + updated.name() + ": " + error);
      ++report_.updated;
      env_.recorder.allocation(updated, RecordedStatus::kRunning, "");
    });
  }

  // parser::job_to_json of a job, made once per job.
  const nlohmann::json& job_json(const spec::Job& job);

  std::vector<Gated> start_step(int wave) {
    std::vector<Item> items;
    auto gated = std::make_shared<std::vector<Gated>>();
    for (const Action& a : plan_.actions) {
      if (!in_wave(a, wave) || a.to_node.empty() || a.kind == ActionKind::kUpdateInPlace) continue;
      const spec::Job* job = specs_.job(a.job);
      const spec::Group* group = specs_.group(a.job, a.group);
      auto host = hosts_.find(a.to_node);
      if (!job || !group || host == hosts_.end()) {
        report_.errors.push_back(a.to_node + ": start " + a.name() + ": the host or the job's group is unknown");
        continue;
      }
      Result<drivers::Allocation> made = new_allocation(a, *job, job_json(*job), *group, host->second, env_);
      if (!made.ok()) {
        report_.errors.push_back(a.to_node + ": start " + a.name() + ": " + made.error().message);
        continue;
      }
      const drivers::Allocation& allocation = *made;
      env_.progress({"starting",
                     "Starting " + a.name() + " (" + allocation.id.substr(0, 8) + ") on " + a.to_node + " (" + a.reason + ")",
                     a.name(), allocation.id, a.to_node, a.reason});
      env_.recorder.allocation(allocation, RecordedStatus::kPending, "starting");
      Gated gate{allocation, {}, {}};
      if (a.kind == ActionKind::kMigrate) {
        gate.min_healthy = std::chrono::milliseconds(group->migrate.min_healthy_time.nanoseconds / 1000000);
        gate.deadline.after = std::chrono::milliseconds(group->migrate.healthy_deadline.nanoseconds / 1000000);
        gate.health_check = group->migrate.health_check;
      } else if (group->update) {
        gate.min_healthy = std::chrono::milliseconds(group->update->min_healthy_time.nanoseconds / 1000000);
        gate.deadline.after = std::chrono::milliseconds(group->update->healthy_deadline.nanoseconds / 1000000);
        const auto progress = std::chrono::milliseconds(group->update->progress_deadline.nanoseconds / 1000000);
        if (progress.count() > 0 && progress < gate.deadline.after) gate.deadline = {progress, "progress_deadline"};
        gate.health_check = group->update->health_check;
      }
      const bool gate_it = a.kind == ActionKind::kMigrate || group->update.has_value();
      for (Item& item : start_items(
               allocation, *job, *group, host->second,
               [this, allocation, gate, gate_it, gated](const std::string& error) {
                 if (!error.empty()) {
                   report_.errors.push_back(allocation.host + ": start " + allocation.name() + ": " + error);
                   return env_.recorder.allocation(allocation, RecordedStatus::kFailed, error);
                 }
                 ++report_.started;
                 env_.recorder.allocation(allocation, RecordedStatus::kRunning, "");
                 if (gate_it) gated->push_back(gate);
               },
               report_.errors))
        items.push_back(std::move(item));
    }
    if (!items.empty()) {
      run_step(items, env_, report_);
      save_step();
    }
    return *gated;
  }

  // Observes the hosts of `gated` until every allocation has had all its
  // tasks running for its min_healthy_time, or one fails, or the deadline.
  bool healthy(const std::vector<Gated>& gated, int wave);

  const Plan& plan_;
  const std::map<std::string, ApplyHost>& hosts_;
  const drivers::ObservedAllocations& observed_;
  ApplyEnvironment& env_;
  Specs specs_;
  std::map<std::string, nlohmann::json> job_json_;
  ApplyReport report_;
};

const nlohmann::json& Executor::job_json(const spec::Job& job) {
  auto it = job_json_.find(job.id);
  if (it == job_json_.end()) it = job_json_.emplace(job.id, parser::job_to_json(job)).first;
  return it->second;
}

// Where an allocation of a wave stands, from its tasks.
enum class TasksState {
  kWaiting,  // not observed yet, or some task not running yet
  kRunning,  // every task runs
  kFailed,   // a task is dead or lost
};

// The state of every task of an observed allocation in one: running (all
// of its main tasks and sidecars), failed (any of those dead or lost, or an
// ephemeral hook task failed, with why) or waiting. An ephemeral hook task
// that completed, waits or runs does not count (task_hook.hpp).
TasksState tasks_state(const drivers::ObservedAllocation& observed, std::string& why) {
  const std::map<std::string, drivers::TaskHook>& hooks = observed.allocation.task_hooks;
  bool all_running = !observed.tasks.empty();
  for (const auto& [task, t] : observed.tasks) {
    if (!drivers::runs_for_health(hooks, task)) {
      const bool failed = t.state == drivers::TaskState::kLost ||
          (t.state == drivers::TaskState::kDead && t.exit_code.value_or(0) != 0 && t.reason != "stopped");
      if (failed) {
        why = drivers::describe_hook(hooks, task) + " task \"" + task + "\" " + drivers::to_string(t.state) +
            (t.reason.empty() ? "" : ": " + t.reason);
        return TasksState::kFailed;
      }
      continue;
    }
    if (t.state == drivers::TaskState::kDead || t.state == drivers::TaskState::kLost) {
      why = "task \"" + task + "\" " + drivers::to_string(t.state) + (t.reason.empty() ? "" : ": " + t.reason);
      return TasksState::kFailed;
    }
    if (t.state != drivers::TaskState::kRunning) all_running = false;
  }
  return all_running ? TasksState::kRunning : TasksState::kWaiting;
}

// The service checks of the allocations whose policy says health_check =
// "checks"; allocations of task_states policies, or without checks, have none.
Status gate_checks(const std::vector<Gated>& gated, const Specs& specs, const std::map<std::string, ApplyHost>& hosts,
                   CheckGate& checks) {
  for (const Gated& g : gated) {
    if (g.health_check != spec::HealthCheckMode::kChecks) continue;
    const spec::Job* job = specs.job(g.allocation.job);
    const spec::Group* group = specs.group(g.allocation.job, g.allocation.group);
    if (!job || !group) continue;
    if (Status added = checks.add(g.allocation, *job, *group, hosts.at(g.allocation.host)); !added.ok()) return added;
  }
  return Status::success();
}

// How often a wave that waits for health says where each allocation stands.
constexpr std::chrono::seconds kHealthProgressEvery{10};

std::string whole_seconds(std::chrono::steady_clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

// One allocation of a waiting wave, in a progress line:
// `web.web[2] on h1: running 7/10s, check "alive" passing`.
std::string health_progress_line(const Gated& g, TasksState state, const CheckGate& checks,
                                 const std::map<std::string, Clock::time_point>& running_since, Clock::time_point now) {
  const std::string who = g.allocation.name() + " on " + g.allocation.host + ": ";
  if (state != TasksState::kRunning) return who + "waiting for its tasks to run";
  const std::string check_summary = checks.summary(g.allocation.id);
  auto since = running_since.find(g.allocation.id);
  if (since == running_since.end()) return who + "running, " + check_summary;
  return who + "running " + whole_seconds(now - since->second) + "/" + whole_seconds(g.min_healthy) + "s" +
      (check_summary.empty() ? "" : ", " + check_summary);
}

bool Executor::healthy(const std::vector<Gated>& gated, int wave) {
  std::set<std::string> host_names;
  std::chrono::milliseconds min_healthy{0};
  WaveDeadline deadline;
  for (const Gated& g : gated) {
    host_names.insert(g.allocation.host);
    min_healthy = std::max(min_healthy, g.min_healthy);
    if (g.deadline.after > deadline.after) deadline = g.deadline;
  }
  CheckGate checks;
  if (Status added = gate_checks(gated, specs_, hosts_, checks); !added.ok()) {
    report_.errors.push_back(added.error().message);
    return false;
  }
  const bool any_checks =
      std::any_of(gated.begin(), gated.end(), [&](const Gated& g) { return checks.has_checks(g.allocation.id); });
  std::vector<drivers::HostToObserve> to_observe;
  for (const std::string& name : host_names) to_observe.push_back({name, hosts_.at(name).host.data_dir});
  env_.progress("Waiting for " + std::to_string(gated.size()) + " allocation(s) of wave " + std::to_string(wave) +
                " to be healthy (running" + (any_checks ? " with passing checks" : "") + " for " +
                std::to_string(min_healthy.count() / 1000) + " s)");
  std::map<std::string, Clock::time_point> running_since;
  const Clock::time_point start = env_.now();
  Clock::time_point last_progress = start;
  for (;;) {
    // Each allocation as its own host reports it: another host printing
    // its id cannot make it healthy, or fail it.
    std::map<drivers::HostAllocationId, const drivers::ObservedAllocation*> seen;
    std::vector<Result<drivers::Observation>> observations = drivers::observe_hosts(env_.fleet, to_observe);
    ++report_.health_observations;
    for (size_t i = 0; i < observations.size(); ++i)
      if (observations[i].ok())
        for (const drivers::ObservedAllocation& a : observations[i]->allocations)
          seen[{to_observe[i].host, a.allocation.id}] = &a;
    std::map<std::string, TasksState> states;  // by allocation id
    std::map<std::string, std::string> whys;
    std::set<std::string> running;
    for (const Gated& g : gated) {
      auto it = seen.find({g.allocation.host, g.allocation.id});
      const std::string& id = g.allocation.id;
      states[id] = it == seen.end() ? TasksState::kWaiting : tasks_state(*it->second, whys[id]);
      if (states[id] == TasksState::kRunning) running.insert(id);
    }
    // The checks of allocations whose tasks all run: one more command per host.
    if (checks.run_due(env_.fleet, running, env_.now()) > 0) ++report_.health_observations;
    size_t healthy_count = 0;
    for (const Gated& g : gated) {
      const TasksState state = states[g.allocation.id];
      if (state == TasksState::kFailed) {
        env_.recorder.allocation(g.allocation, RecordedStatus::kFailed, whys[g.allocation.id]);
        report_.errors.push_back(g.allocation.host + ": " + g.allocation.name() + " is unhealthy: " + whys[g.allocation.id]);
        save_step();
        return false;
      }
      if (state == TasksState::kRunning && checks.verdict(g.allocation.id) == CheckGate::Verdict::kBroken) {
        report_.errors.push_back(checks.failure(g.allocation.id));
        return false;
      }
      if (state != TasksState::kRunning || checks.verdict(g.allocation.id) != CheckGate::Verdict::kPassing) {
        running_since.erase(g.allocation.id);
        continue;
      }
      auto since = running_since.emplace(g.allocation.id, env_.now()).first->second;
      if (env_.now() - since >= g.min_healthy) ++healthy_count;
    }
    if (healthy_count < gated.size() && env_.now() - last_progress >= kHealthProgressEvery) {
      last_progress = env_.now();
      for (const Gated& g : gated)
        env_.progress({"health", health_progress_line(g, states[g.allocation.id], checks, running_since, env_.now()),
                       g.allocation.name(), g.allocation.id, g.allocation.host, ""});
    }
    if (healthy_count == gated.size()) {
      for (const Gated& g : gated) env_.recorder.healthy(g.allocation.id);
      save_step();
      env_.progress("Wave " + std::to_string(wave) + ": " + std::to_string(gated.size()) + " allocation(s) healthy");
      return true;
    }
    if (interrupted_before("wave " + std::to_string(wave) + " was healthy")) return false;
    if (env_.now() - start > deadline.after) {
      // The checks that kept failing first: they say why.
      for (const Gated& g : gated)
        if (running.count(g.allocation.id) && checks.verdict(g.allocation.id) != CheckGate::Verdict::kPassing)
          report_.errors.push_back(checks.failure(g.allocation.id));
      report_.errors.push_back("wave " + std::to_string(wave) + ": not every allocation was healthy within the " +
                               deadline.setting + " (" + std::to_string(deadline.after.count() / 1000) + " s)");
      return false;
    }
    env_.sleep(std::chrono::milliseconds(500));
  }
}

}  // namespace

ApplyReport execute_plan(const Plan& plan, const std::vector<spec::Job>& jobs, const std::map<std::string, ApplyHost>& hosts,
                         const drivers::ObservedAllocations& observed, ApplyEnvironment& env) {
  return Executor(plan, jobs, hosts, observed, env).run();
}

}  // namespace skiff::reconciler
