// skiff apply [PATHS | PLANFILE] [-auto-approve] [-var ...] [-prune]
// [-lock-timeout D]: takes the state lock, plans as `skiff plan` does (or
// checks a saved plan is still current), asks for `yes`, then carries the
// plan out wave by wave, recording every step in the state as it happens.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "base/random_bytes.hpp"
#include "base/text.hpp"
#include "cli/adoption.hpp"
#include "cli/apply_output.hpp"
#include "cli/apply_set.hpp"
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/job_operations.hpp"
#include "cli/job_set.hpp"
#include "cli/locked_state.hpp"
#include "cli/plan_file.hpp"
#include "cli/planning.hpp"
#include "cli/promotion.hpp"
#include "cli/state_recorder.hpp"
#include "cli/workspace.hpp"
#include "drivers/ssh/ssh_shell.hpp"
#include "drivers/task/allocation.hpp"
#include "drivers/task/task_driver.hpp"
#include "parser/load.hpp"
#include "parser/sensitive.hpp"
#include "reconciler/dispatch.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/plan/plan_render.hpp"
#include "reconciler/plan/plan_staleness.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::cli {

namespace {

struct ApplyOptions {
  std::vector<std::string> paths;
  VarFlags flags;
  bool auto_approve = false;
  bool prune = false;
  bool retry_failed = false;  // -retry-failed: roll out the version of a failed deployment again
  bool no_color = false;
  bool json = false;  // -json: one JSON object per line (apply_output.hpp)
  std::string lock_timeout = "0s";
  // What the command is: apply of the job files, or one job's operation
  // (`job revert JOB VERSION`, `deployment promote|fail JOB`, `job stop JOB`).
  enum class Mode { kApply, kRevert, kPromote, kFail, kStop, kDispatch } mode = Mode::kApply;
  std::string job;
  uint64_t version = 0;           // kRevert
  bool purge = false;             // kStop
  std::vector<std::string> meta;  // kDispatch: -meta k=v
  std::string payload_file;       // kDispatch
  std::string inventory;
  int parallelism = 0;
  FleetAccess* fleet = nullptr;  // connections kept open by the caller (the reconcile loop); null: opened here
  PlanSeen plan_seen;            // told each round's plan
};

bool confirmed(const ApplyOptions& options, Context& context) {
  if (options.auto_approve) return true;
  if (options.json) {
    context.err << "skiff: -json needs -auto-approve: nothing can be asked on a stream of JSON lines\n";
    return false;
  }
  if (::isatty(STDIN_FILENO) != 1) {
    context.err << "skiff: apply asks for confirmation on a terminal; without one, pass -auto-approve\n";
    return false;
  }
  context.out << "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: "
              << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  if (answer == "yes") return true;
  context.err << "\nApply cancelled.\n";
  return false;
}

// A new version in the state for every job whose spec differs from the
// state's current one, before anything runs.
void record_job_versions(state::State& state, const JobSet& set, const reconciler::Plan& plan, const std::string& who) {
  std::map<std::string, uint64_t> versions;
  for (const reconciler::JobPlan& job : plan.jobs) versions[job.job] = job.version;
  for (const spec::Job& job : set.jobs) {
    nlohmann::json spec = parser::job_to_json(job);
    const std::string hash = reconciler::job_spec_hash(spec);
    const state::JobVersion* current = state.current(job.id);
    if (current && current->spec_hash == hash) continue;
    state::JobRecord& record = state.jobs[job.id];
    record.type = spec::to_string(job.type);
    record.versions.push_back(
        state::JobVersion{versions[job.id], std::move(spec), hash, job.source_path, who, now_unix(), false, false});
  }
}

// A periodic job whose run this plan places: its launch is recorded (the
// next run is due at a cron time after it).
void record_periodic_launches(state::State& state, const JobSet& set, const reconciler::Plan& plan) {
  for (const spec::Job& job : set.jobs) {
    if (!job.periodic || !job.periodic->enabled) continue;
    const bool launched = std::any_of(plan.actions.begin(), plan.actions.end(), [&](const reconciler::Action& a) {
      return a.job == job.id && a.kind == reconciler::ActionKind::kPlace;
    });
    if (launched) state.jobs[job.id].last_periodic_launch_unix = plan.computed_unix;
  }
}

// How a round ended; kInterrupted: SIGINT or SIGTERM stopped it
// (InterruptScope::signal_caught says which).
enum class RoundResult { kApplied, kNoChanges, kFailed, kInterrupted };

// After apply stopped at its user's request: the deployments it began are
// cancelled, the state saved, and one line says so.
RoundResult interrupted(const reconciler::ApplyReport& report, const std::map<std::string, std::string>& deployments,
                        LockedState& locked, ApplyOutput& out) {
  const std::string signal = InterruptScope::signal_name(InterruptScope::signal_caught());
  cancel_deployments(locked.state, deployments, "Cancelled by " + signal + " (" + report.interrupted + ")", now_unix());
  Status saved = locked.store->save(locked.state, locked.state.serial);
  out.interrupted("Apply interrupted by " + signal + ", " + report.interrupted + ": " + std::to_string(report.started) +
                  " started, " + std::to_string(report.stopped) + " stopped; " +
                  (saved.ok() ? "the deployment is cancelled and the state records what ran (" + locked.store->describe() +
                           ", serial " + std::to_string(locked.state.serial) + ")."
                              : "the state could not be saved (" + saved.error().message + "): it may lag behind the hosts."));
  return RoundResult::kInterrupted;
}

// The plan's placement failures, one line per group, as plan shows them:
// `job "web" group "g": 2 unplaced: 3 hosts unreachable`.
std::vector<std::string> placement_failures(const reconciler::Plan& plan) {
  std::vector<std::string> lines;
  for (const reconciler::JobPlan& job : plan.jobs)
    for (const reconciler::GroupFailure& f : job.failures) {
      std::string line = "job \"" + job.job + "\" group \"" + f.group + "\": " + std::to_string(f.unplaced) + " unplaced";
      for (size_t i = 0; i < f.messages.size(); ++i) line += (i ? "; " : ": ") + f.messages[i];
      lines.push_back(std::move(line));
    }
  return lines;
}

constexpr const char* kUnplacedNext =
    "what could not be placed stays unplaced until a host can take it (added, freed, reachable again or eligible).";

// The jobs of `set` that would start allocations in `plan` but hold only
// digests of their sensitive values (a version read back from the state),
// each as one line saying what to do instead.
std::vector<std::string> starts_without_secrets(const JobSet& set, const reconciler::Plan& plan) {
  std::vector<std::string> lines;
  for (const spec::Job& job : set.jobs) {
    const bool starts = std::any_of(plan.actions.begin(), plan.actions.end(), [&](const reconciler::Action& a) {
      return a.job == job.id && !a.to_node.empty() && a.kind != reconciler::ActionKind::kUpdateInPlace;
    });
    if (starts && parser::holds_sensitive_digests(job))
      lines.push_back("job \"" + job.id +
                      "\" holds sensitive values, which the state keeps only as digests: its allocations cannot be "
                      "started from the state alone. Run `skiff apply` with its job file and the same -var values.");
  }
  return lines;
}

// One plan-and-execute round under the lock: `set` against the fleet as
// observed now. Fills `failed_jobs` with the jobs whose deployment failed.
RoundResult apply_round(const JobSet& set, const SavedPlan* saved, const Workspace& workspace, LockedState& locked,
                        const ApplyOptions& options, ApplyOutput& out, std::vector<std::string>& failed_jobs) {
  Context& context = out.context();
  std::optional<state::State> current;
  if (locked.read_serial > 0 || locked.state.serial > 0) current = locked.state;
  std::optional<ObservedFleet> fleet;
  if (options.fleet) fleet.emplace(ObservedFleet{std::move(*options.fleet), {}});
  else fleet = observe_workspace(workspace, options.parallelism, FleetUse::kChange, Owner{locked.state}, context);
  if (!fleet) return RoundResult::kFailed;
  // The caller's connections go back to it whatever this round does.
  struct GiveBack {
    FleetAccess* to;
    ObservedFleet& from;
    ~GiveBack() {
      if (to) *to = std::move(from.access);
    }
  } give_back{options.fleet, *fleet};
  if (options.fleet) {
    fleet->view = observe_fleet(fleet->access, workspace, Owner{locked.state});
    for (const std::string& warning : fleet->view.warnings) context.err << "warning: " << warning << "\n";
  }
  FleetView& view = fleet->view;
  reconciler::Plan plan =
      compute(set, view, current, options.prune, options.retry_failed ? FailedDeployments::kRetry : FailedDeployments::kLeave);
  if (saved) {
    Result<reconciler::Plan> old = reconciler::plan_from_json(saved->plan);
    if (!old.ok()) {
      out.error("Saved plan cannot be read: " + old.error().message + ". Run `skiff plan -out` again.");
      return RoundResult::kFailed;
    }
    if (std::vector<std::string> moved = reconciler::plan_staleness(*old, plan); !moved.empty()) {
      std::string since;
      for (size_t i = 0; i < moved.size(); ++i) since += (i == 0 ? "" : "; ") + moved[i];
      out.error("Saved plan is stale: since it was made, " + since + ". Run `skiff plan -out` again.");
      return RoundResult::kFailed;
    }
  }
  out.plan(plan);
  if (options.plan_seen) options.plan_seen(plan);
  if (std::vector<std::string> refused = starts_without_secrets(set, plan); !refused.empty()) {
    for (const std::string& line : refused) out.error(line);
    return RoundResult::kFailed;
  }

  state::State& state = locked.state;
  merge_observed(state, view, now_unix());
  const bool changes = reconciler::has_changes(plan);
  if (changes && !confirmed(options, context)) return RoundResult::kFailed;
  record_job_versions(state, set, plan, locked.lock->info().who);
  if (Status saved_state = locked.store->save(state, state.serial); !saved_state.ok()) {
    out.error(saved_state.error().message);
    return RoundResult::kFailed;
  }
  // Saved: a new state has its lineage now, to write into what it adopts.
  for (const std::string& error : adopt_allocations(fleet->access, workspace, view, state.lineage)) out.error(error);
  const std::vector<std::string> unplaced = placement_failures(plan);
  const std::string state_where = locked.store->describe() + ", serial " + std::to_string(state.serial);
  if (!changes && !unplaced.empty()) {
    reconciler::ApplyReport nothing_ran;
    nothing_ran.errors = unplaced;
    out.errored(nothing_ran, state_where, kUnplacedNext);
    return RoundResult::kFailed;
  }
  if (!changes) return RoundResult::kNoChanges;

  if (!out.json()) context.out << "\n";
  record_periodic_launches(state, set, plan);
  const std::map<std::string, std::string> deployments = begin_deployments(state, plan, now_unix());
  StateRecorder recorder(*locked.store, state, now_unix, deployments);
  recorder.hide(sensitive_texts_of(set));
  recorder.rescheduling(plan, view);
  reconciler::ApplyEnvironment env{*fleet->access.fleet,
                                   recorder,
                                   [&](const reconciler::ApplyEvent& event) { out.event(event); },
                                   [] { return drivers::new_allocation_id(); },
                                   [] { return drivers::random_shell_token(); },
                                   now_unix,
                                   [] { return std::chrono::steady_clock::now(); },
                                   [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); },
                                   [] { return InterruptScope::signal_caught() != 0; },
                                   state.lineage};
  reconciler::ApplyReport report;
  {
    InterruptScope interrupt;
    report = reconciler::execute_plan(plan, set.jobs, apply_hosts(workspace, view), view.observed, env);
  }
  if (!report.interrupted.empty()) return interrupted(report, deployments, locked, out);
  end_deployments(state, deployments, report.ok(), report.ok() ? "" : report.errors.front(), now_unix());
  hide_in_state(state, sensitive_texts_of(set));
  if (Status saved_state = locked.store->save(state, state.serial); !saved_state.ok())
    report.errors.push_back("state: " + saved_state.error().message);
  if (!report.ok()) {
    report.errors.insert(report.errors.end(), unplaced.begin(), unplaced.end());
    // A failed deployment is not rolled out again by the next apply.
    const std::string next = deployments.empty()
        ? ""
        : "its deployment is marked failed: `skiff apply` again places only what is missing and leaves the unhealthy "
          "allocations as they are until the job file changes (or `skiff apply -retry-failed`).";
    out.errored(report, locked.store->describe() + ", serial " + std::to_string(state.serial), next);
    for (const auto& [job, id] : deployments) failed_jobs.push_back(job);
    return RoundResult::kFailed;
  }
  if (!unplaced.empty()) {
    // Everything else was done; what could not be placed makes it fail.
    report.errors = unplaced;
    out.errored(report, locked.store->describe() + ", serial " + std::to_string(state.serial), kUnplacedNext);
    return RoundResult::kFailed;
  }
  out.complete(report);
  return RoundResult::kApplied;
}

// The job as the state kept it at `version`, to run again. The state keeps
// sensitive values as markers; those that `live` (the job evaluated from its
// file now) has the same value for are put back.
Result<spec::Job> job_at_version(const state::State& state, const std::string& job, uint64_t version,
                                 const spec::Job* live = nullptr) {
  auto record = state.jobs.find(job);
  if (record == state.jobs.end()) return make_error(ErrorCode::kNotFound, "no job \"" + job + "\" in the state");
  for (const state::JobVersion& v : record->second.versions) {
    if (v.version != version) continue;
    if (!live || live->sensitive.empty()) return parser::job_from_json(v.spec, v.source);
    std::map<std::string, std::string> values;  // marker -> the text it stands for
    for (const auto& [text, marker] : live->sensitive) values[marker] = text;
    nlohmann::json spec = v.spec;
    parser::replace_sensitive_texts(spec, values);
    Result<spec::Job> restored = parser::job_from_json(spec, v.source);
    if (restored.ok()) restored->sensitive = live->sensitive;
    return restored;
  }
  return make_error(ErrorCode::kNotFound, "job \"" + job + "\" has no version " + std::to_string(version));
}

bool wants_auto_revert(const spec::Job& job) {
  for (const spec::Group& g : job.groups)
    if (g.update && g.update->auto_revert) return true;
  return false;
}

// The newest stable version of `job` before its current one.
std::optional<uint64_t> last_stable(const state::State& state, const std::string& job) {
  auto record = state.jobs.find(job);
  if (record == state.jobs.end()) return std::nullopt;
  const std::vector<state::JobVersion>& versions = record->second.versions;
  for (size_t i = versions.size(); i-- > 0;)
    if (versions[i].stable && i + 1 != versions.size()) return versions[i].version;
  return std::nullopt;
}

// After a failed deployment: each failed job whose groups ask for
// auto_revert goes back to its last stable version, in one more round.
void auto_revert(const JobSet& set, const std::vector<std::string>& failed_jobs, const Workspace& workspace, LockedState& locked,
                 ApplyOptions options, ApplyOutput& out) {
  JobSet reverted;
  for (const spec::Job& job : set.jobs) {
    if (std::find(failed_jobs.begin(), failed_jobs.end(), job.id) == failed_jobs.end() || !wants_auto_revert(job)) continue;
    std::optional<uint64_t> stable = last_stable(locked.state, job.id);
    if (!stable) continue;
    Result<spec::Job> old = job_at_version(locked.state, job.id, *stable, &job);
    if (!old.ok()) continue;
    if (parser::holds_sensitive_digests(*old)) {
      out.error("auto_revert: job \"" + job.id + "\" cannot go back to version " + std::to_string(*stable) +
                ": the state keeps only digests of its sensitive values, and the values given now are not the same. Run "
                "`skiff apply` with the job file of that version and its values.");
      continue;
    }
    out.info("auto_revert: rolling job \"" + job.id + "\" back to its last stable version, " + std::to_string(*stable),
             "auto_revert");
    reverted.jobs.push_back(std::move(*old));
  }
  if (reverted.jobs.empty()) return;
  options.auto_approve = true;  // the user approved the apply this revert undoes
  options.prune = false;
  std::vector<std::string> failed_again;
  apply_round(reverted, nullptr, workspace, locked, options, out, failed_again);
}

// After a round that placed canaries: promotes them when every canary
// group asks for auto_promote and they are healthy (true: run another
// round), or says how to promote them.
bool promoted_automatically(const JobSet& set, LockedState& locked, ApplyOutput& out) {
  bool promoted = false;
  for (const spec::Job& job : set.jobs) {
    state::Deployment* d = running_deployment_of(locked.state, job.id);
    if (!d || !awaits_promotion(*d)) continue;
    if (auto_promotes(job) && unhealthy_canaries(locked.state, *d).empty()) {
      out.info("auto_promote: the canaries of job \"" + job.id + "\" are healthy; promoting them", "auto_promote");
      promote(*d, now_unix());
      promoted = true;
      continue;
    }
    out.info("Deployment " + d->id.substr(0, 8) + " of job \"" + job.id + "\" waits for promotion: check the canaries, then " +
                 "`skiff deployment promote " + job.id + "` rolls out the rest (or `skiff deployment fail " + job.id + "`).",
             "awaiting_promotion");
  }
  if (promoted)
    if (Status saved = locked.store->save(locked.state, locked.state.serial); !saved.ok()) {
      out.error(saved.error().message);
      return false;
    }
  return promoted;
}

const char* operation_of(ApplyOptions::Mode mode) {
  switch (mode) {
    case ApplyOptions::Mode::kApply: return "apply";
    case ApplyOptions::Mode::kRevert: return "job revert";
    case ApplyOptions::Mode::kPromote: return "deployment promote";
    case ApplyOptions::Mode::kFail: return "deployment fail";
    case ApplyOptions::Mode::kStop: return "job stop";
    case ApplyOptions::Mode::kDispatch: return "job dispatch";
  }
  return "apply";
}

// `job dispatch`: the child job of one run (reconciler/dispatch.hpp), from
// the -meta flags and the payload file.
Result<spec::Job> dispatch_run(const spec::Job& parent, const ApplyOptions& options) {
  reconciler::DispatchRequest request;
  for (const std::string& pair : options.meta) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0)
      return make_error(ErrorCode::kInvalidArgument, "-meta \"" + pair + "\" is not KEY=VALUE");
    request.meta[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  if (!options.payload_file.empty()) {
    std::ifstream in(options.payload_file, std::ios::binary);
    if (!in) return make_error(ErrorCode::kInvalidArgument, "payload file " + options.payload_file + " cannot be read");
    request.payload = std::string(std::istreambuf_iterator<char>(in), {});
  }
  request.now_unix = now_unix();
  Result<std::vector<uint8_t>> random = base::random_bytes(4);
  if (!random.ok()) return random.error().wrap("dispatch id");
  static const char* kHex = "0123456789abcdef";
  for (uint8_t b : *random) request.suffix += std::string{kHex[b >> 4], kHex[b & 15]};
  return reconciler::dispatch_child(parent, request);
}

int fail(ApplyOutput& out, const std::string& message) {
  out.error(message);
  return kExitError;
}

int run_apply(ApplyOptions options, Context& context) {
  using Mode = ApplyOptions::Mode;
  ApplyOutput out(context, options.json, render_options(options.no_color, context));
  std::optional<Workspace> workspace = load_workspace(options.inventory, context);
  if (!workspace) return kExitError;
  std::optional<SavedPlan> saved;
  std::optional<JobSet> set;
  if (options.mode == Mode::kApply) {
    Result<std::optional<SavedPlan>> read = read_saved_plan(options.paths);
    if (!read.ok()) return fail(out, read.error().message);
    saved = std::move(*read);
    set = saved ? load_saved_jobs(*saved, options.paths[0], options.flags, context)
                : load_job_set(options.paths, options.flags, *workspace, context);
    if (!set) return kExitError;
  }
  std::optional<spec::Duration> wait = spec::parse_duration(options.lock_timeout);
  if (!wait) return fail(out, "-lock-timeout \"" + options.lock_timeout + "\" is not a duration (e.g. 30s, 5m)");
  Result<LockedState> locked =
      lock_state(*workspace, operation_of(options.mode), std::chrono::milliseconds(wait->nanoseconds / 1000000),
                 [&out](const std::string& waiting) { out.info(waiting, "lock_wait"); });
  if (!locked.ok()) return fail(out, locked.error().message);
  if (set) out.hide(sensitive_texts_of(*set));
  if (options.mode != Mode::kApply) {
    // One job, at an old version (revert) or its current one.
    const state::JobVersion* current = locked->state.current(options.job);
    if (!current) return fail(out, "no job \"" + options.job + "\" in the state (" + locked->store->describe() + ")");
    Result<spec::Job> job =
        job_at_version(locked->state, options.job, options.mode == Mode::kRevert ? options.version : current->version);
    if (job.ok() && options.mode == Mode::kDispatch) job = dispatch_run(*job, options);
    if (!job.ok()) return fail(out, job.error().message);
    set = JobSet{{std::move(*job)}, {}, {}};
  }
  Status prepared;
  if (options.mode == Mode::kPromote) prepared = promote_deployment(options.job, *locked);
  if (options.mode == Mode::kStop) prepared = record_stop(set->jobs[0], *locked);
  if (options.mode == Mode::kFail) {
    prepared = fail_deployment(options.job, *locked);
    if (!prepared.ok()) return fail(out, prepared.error().message);
    out.info("Deployment of job \"" + options.job + "\" marked as failed.", "deployment_failed");
    if (wants_auto_revert(set->jobs[0])) auto_revert(*set, {options.job}, *workspace, *locked, options, out);
    return kExitOk;
  }
  if (!prepared.ok()) return fail(out, prepared.error().message);
  if (options.mode == Mode::kPromote) options.auto_approve = true;  // promoting is the approval

  std::vector<std::string> failed_jobs;
  RoundResult result = apply_round(*set, saved ? &*saved : nullptr, *workspace, *locked, options, out, failed_jobs);
  while (result == RoundResult::kApplied && promoted_automatically(*set, *locked, out)) {
    options.auto_approve = true;  // the apply the user approved goes on
    saved.reset();
    result = apply_round(*set, nullptr, *workspace, *locked, options, out, failed_jobs);
  }
  if (result == RoundResult::kInterrupted) return 128 + InterruptScope::signal_caught();
  if (result != RoundResult::kFailed) {
    if (options.mode == Mode::kDispatch)
      out.info("Dispatched job \"" + options.job + "\": its run is job \"" + set->jobs[0].id + "\" (skiff job status " +
                   set->jobs[0].id + ").",
               "dispatched");
    if (options.mode == Mode::kStop && options.purge) {
      if (Status left = purge_leftovers(options.job, *workspace, options.parallelism, locked->state, context); !left.ok())
        return fail(out, left.error().message);
      if (Status purged = purge_job(options.job, *locked); !purged.ok()) return fail(out, purged.error().message);
      out.info("Job \"" + options.job + "\" purged from the state.", "purged");
    }
    return kExitOk;
  }
  if (options.mode != Mode::kRevert) auto_revert(*set, failed_jobs, *workspace, *locked, options, out);
  return kExitError;
}

}  // namespace

ApplyOutcome apply_set(const JobSet& set, const Workspace& workspace, LockedState& locked, const ApplySetOptions& given,
                       ApplyOutput& out) {
  ApplyOptions options;
  options.auto_approve = true;
  options.prune = given.prune;
  options.json = out.json();
  options.parallelism = given.parallelism;
  options.fleet = given.fleet;
  options.plan_seen = given.plan_seen;
  out.hide(sensitive_texts_of(set));
  std::vector<std::string> failed_jobs;
  RoundResult result = apply_round(set, nullptr, workspace, locked, options, out, failed_jobs);
  const bool applied = result == RoundResult::kApplied;
  while (result == RoundResult::kApplied && promoted_automatically(set, locked, out))
    result = apply_round(set, nullptr, workspace, locked, options, out, failed_jobs);
  switch (result) {
    case RoundResult::kInterrupted: return ApplyOutcome::kInterrupted;
    case RoundResult::kFailed: auto_revert(set, failed_jobs, workspace, locked, options, out); return ApplyOutcome::kFailed;
    case RoundResult::kApplied:
    case RoundResult::kNoChanges: break;
  }
  return applied ? ApplyOutcome::kApplied : ApplyOutcome::kNoChanges;
}

void register_apply(CLI::App& app, Context& context) {
  auto options = std::make_shared<ApplyOptions>();
  CLI::App* command = app.add_subcommand("apply", "Change the fleet to match the job files (or carry out a saved plan)");
  command->add_option("paths", options->paths, "Job files or directories, or one plan file from `plan -out`. Default: as plan");
  add_var_flags(*command, options->flags);
  command->add_flag("--auto-approve", options->auto_approve, "Do not ask for `yes` (CI; required without a terminal)");
  command->add_flag("--prune", options->prune, "Stop jobs that run on the fleet but are no longer in the job files");
  command->add_flag("--retry-failed", options->retry_failed,
                    "Place the unhealthy and failed allocations of failed deployments again (a new deployment)");
  command->add_flag("--no-color", options->no_color, "No colours");
  command->add_flag("--json", options->json,
                    "One JSON object per line (plan, every step, the outcome), for CI; needs -auto-approve");
  command->add_option("--lock-timeout", options->lock_timeout, "Wait this long for the state lock (default 0s: fail at once)");
  add_inventory_flag(*command, options->inventory);
  add_parallelism_flag(*command, options->parallelism);
  command->footer(
      "Exit status: 0 when everything was applied (or nothing needed to be), 1 on any error or when an\n"
      "allocation could not be placed. The state records every step: running apply again carries on from\n"
      "there, except that a failed deployment stays as it is until its job file changes (or -retry-failed).\n"
      "Examples:\n"
      "  skiff apply\n"
      "  skiff apply -auto-approve -lock-timeout 5m jobs/\n"
      "  skiff plan -out release.plan && skiff apply release.plan");
  command->callback([options, &context] { context.exit_code = run_apply(*options, context); });

  // One job's operations, each a plan and apply of that job alone.
  using Mode = ApplyOptions::Mode;
  auto one_job = [&context](CLI::App& parent, const std::string& name, const std::string& about, Mode mode) {
    auto options = std::make_shared<ApplyOptions>();
    options->mode = mode;
    CLI::App* command = parent.add_subcommand(name, about);
    command->add_option("job", options->job, "The job's id")->required();
    command->add_flag("--no-color", options->no_color, "No colours");
    command->add_flag("--json", options->json, "One JSON object per line, as `apply -json`");
    command->add_option("--lock-timeout", options->lock_timeout, "Wait this long for the state lock");
    add_inventory_flag(*command, options->inventory);
    command->callback([options, &context] { context.exit_code = run_apply(*options, context); });
    return std::make_pair(command, options);
  };
  CLI::App* job = app.get_subcommand("job");
  auto [revert, revert_options] =
      one_job(*job, "revert", "Run a job's earlier version again (a new version, through plan and apply)", Mode::kRevert);
  revert->add_option("version", revert_options->version, "The version to go back to (skiff job history)")->required();
  revert->add_flag("--auto-approve", revert_options->auto_approve, "Do not ask for `yes`");
  revert->footer(
      "The next `skiff apply` of the job files rolls the job forward to them again.\n"
      "Examples:\n"
      "  skiff job revert web 3\n"
      "  skiff job revert -auto-approve web 3");

  auto [stop, stop_options] =
      one_job(*job, "stop", "Stop every allocation of a job (a new version that asks for none)", Mode::kStop);
  stop->add_flag("--purge", stop_options->purge,
                 "Then forget the job: its versions, allocations and deployments leave the state");
  stop->add_flag("--auto-approve", stop_options->auto_approve, "Do not ask for `yes`");
  stop->footer(
      "The job stays stopped while its job file is unchanged: `skiff apply` leaves it stopped.\n"
      "It runs again when its job file changes, or with `skiff job revert JOB VERSION`.\n"
      "With -purge, the next `skiff apply` of its job file starts it as a new job.\n"
      "Examples:\n"
      "  skiff job stop web\n"
      "  skiff job stop -purge -auto-approve web");

  auto [dispatch, dispatch_options] =
      one_job(*job, "dispatch", "Run a parameterized job once, with its meta and payload (a child job JOB/dispatch-...)",
              Mode::kDispatch);
  dispatch->add_option("payload", dispatch_options->payload_file, "PAYLOAD_FILE: the run's input");
  dispatch->add_option("--meta", dispatch_options->meta, "KEY=VALUE of the job's meta_required or meta_optional (repeatable)")
      ->allow_extra_args(false);
  dispatch->add_flag("--auto-approve", dispatch_options->auto_approve, "Do not ask for `yes`");
  dispatch->footer(
      "The job must have been applied (it is read from the state) and have a `parameterized` block: its\n"
      "meta_required keys must be given, only meta_required and meta_optional keys are taken, and the payload\n"
      "is checked against parameterized.payload. The run is a job of its own, planned and applied like `job stop`;\n"
      "its tasks see the meta as NOMAD_META_<key>. `skiff apply` leaves runs alone, even with -prune.\n"
      "Examples:\n"
      "  skiff job dispatch -meta input=2026-12-01 report\n"
      "  skiff job dispatch -auto-approve -meta input=a -meta mode=full report");

  CLI::App* deployment = app.get_subcommand("deployment");
  one_job(*deployment, "promote", "Promote a deployment's healthy canaries and roll out the rest of the job", Mode::kPromote)
      .first->footer(
          "Refused while any canary is not healthy. Runs the rest of the rolling update at once.\n"
          "Examples:\n"
          "  skiff deployment promote web");
  one_job(*deployment, "fail", "Mark a job's running deployment failed (auto_revert then rolls back)", Mode::kFail)
      .first->footer(
          "Unpromoted canaries of a failed deployment are stopped by the next apply.\n"
          "Examples:\n"
          "  skiff deployment fail web");
}

}  // namespace skiff::cli
