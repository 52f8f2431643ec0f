// skiff apply [PATHS | PLANFILE] [-auto-approve] [-var ...] [-prune]
// [-lock-timeout D]: takes the state lock, plans as `skiff plan` does (or
// checks a saved plan is still current), asks for `yes`, then carries the
// plan out wave by wave, recording every step in the state as it happens.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.hpp"
#include "cli/planning.hpp"
#include "cli/locked_state.hpp"
#include "cli/state_recorder.hpp"
#include "cli/workspace.hpp"
#include "drivers/allocation.hpp"
#include "drivers/ssh_shell.hpp"
#include "parser/load.hpp"
#include "cli/job_set.hpp"
#include "reconciler/plan_json.hpp"
#include "reconciler/plan_render.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::cli {

namespace {

struct ApplyOptions {
  std::vector<std::string> paths;
  VarFlags flags;
  bool auto_approve = false;
  bool prune = false;
  bool no_color = false;
  std::string lock_timeout = "0s";
  std::string revert_job;  // `job revert JOB VERSION`
  uint64_t revert_version = 0;
  std::string inventory;
  int parallelism = 0;
};

int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A saved plan (`plan -out`): its job files and variables, and the plan to
// check the new one against.
struct SavedPlan {
  nlohmann::json plan;
  std::vector<std::pair<std::string, std::string>> files;
  VarFlags flags;
};

std::optional<SavedPlan> read_saved_plan(const std::vector<std::string>& paths) {
  std::error_code ec;
  if (paths.size() != 1 || !std::filesystem::is_regular_file(paths[0], ec)) return std::nullopt;
  std::ifstream in(paths[0]);
  if (!in) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("skiff_plan_file")) return std::nullopt;
  SavedPlan saved{j.value("plan", nlohmann::json()), {}, {}};
  for (const auto& f : j.value("job_files", nlohmann::json::array())) saved.files.emplace_back(f.value("path", ""), f.value("text", ""));
  saved.flags.vars = j.value("vars", std::vector<std::string>{});
  saved.flags.var_files = j.value("var_files", std::vector<std::string>{});
  return saved;
}

bool confirmed(const ApplyOptions& options, Context& context) {
  if (options.auto_approve) return true;
  if (::isatty(STDIN_FILENO) != 1) {
    context.err << "skiff: apply asks for confirmation on a terminal; without one, pass -auto-approve\n";
    return false;
  }
  context.out << "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: " << std::flush;
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
    record.versions.push_back(state::JobVersion{versions[job.id], std::move(spec), hash, job.source_path, who, now_unix(), false, false});
  }
}

// One plan-and-execute round under the lock: `set` against the fleet as
// observed now. Fills `failed_jobs` with the jobs whose deployment failed.
enum class RoundResult { kApplied, kNoChanges, kFailed };

RoundResult apply_round(const JobSet& set, const SavedPlan* saved, const Workspace& workspace, LockedState& locked,
                        const ApplyOptions& options, Context& context, std::vector<std::string>& failed_jobs) {
  std::optional<state::State> current;
  if (locked.read_serial > 0 || locked.state.serial > 0) current = locked.state;
  std::optional<ObservedFleet> fleet = observe_workspace(workspace, options.parallelism, context);
  if (!fleet) return RoundResult::kFailed;
  FleetView& view = fleet->view;
  reconciler::Plan plan = compute(set, view, current, options.prune);
  if (saved) {
    Result<reconciler::Plan> old = reconciler::plan_from_json(saved->plan);
    if (!old.ok() || old->state_serial != plan.state_serial || old->observed_digest != plan.observed_digest) {
      context.err << "skiff: Saved plan is stale: the state or the hosts changed since it was made"
                  << (old.ok() ? " (state serial " + std::to_string(old->state_serial) + " -> " + std::to_string(plan.state_serial) + ")" : "")
                  << ". Run `skiff plan -out` again.\n";
      return RoundResult::kFailed;
    }
  }
  context.out << reconciler::render_plan(plan, render_options(options.no_color, context));

  state::State& state = locked.state;
  merge_observed(state, view, now_unix());
  const bool changes = reconciler::has_changes(plan);
  if (changes && !confirmed(options, context)) return RoundResult::kFailed;
  record_job_versions(state, set, plan, locked.lock->info().who);
  if (Status saved_state = locked.store->save(state, state.serial); !saved_state.ok()) {
    context.err << "skiff: " << saved_state.error().message << "\n";
    return RoundResult::kFailed;
  }
  if (!changes) return RoundResult::kNoChanges;

  context.out << "\n";
  const std::map<std::string, std::string> deployments = begin_deployments(state, plan, now_unix());
  StateRecorder recorder(*locked.store, state, now_unix, deployments);
  reconciler::ApplyEnvironment env{*fleet->access.fleet,
                                   recorder,
                                   [&](const std::string& line) { context.out << line << "\n" << std::flush; },
                                   [] { return drivers::new_allocation_id(); },
                                   [] { return drivers::random_shell_token(); },
                                   now_unix,
                                   [] { return std::chrono::steady_clock::now(); },
                                   [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }};
  reconciler::ApplyReport report = reconciler::execute_plan(plan, set.jobs, apply_hosts(workspace, view), view.observed, env);
  end_deployments(state, deployments, report.ok(), report.ok() ? "" : report.errors.front(), now_unix());
  if (Status saved_state = locked.store->save(state, state.serial); !saved_state.ok())
    report.errors.push_back("state: " + saved_state.error().message);
  if (!report.ok()) {
    context.err << "\nApply failed:\n";
    for (const std::string& error : report.errors) context.err << "  " << error << "\n";
    context.err << "The state records what ran (" << locked.store->describe() << ", serial " << state.serial
                << "); `skiff apply` again converges from there.\n";
    for (const auto& [job, id] : deployments) failed_jobs.push_back(job);
    return RoundResult::kFailed;
  }
  int most_commands = 0;
  for (const auto& [host, n] : report.commands_per_host) most_commands = std::max(most_commands, n);
  context.out << "\nApply complete! " << report.started << " started, " << report.updated << " updated in place, " << report.stopped
              << " stopped (at most " << most_commands << " remote command" << (most_commands == 1 ? "" : "s")
              << " per host for the changes, after one to observe; " << report.health_observations << " health observation"
              << (report.health_observations == 1 ? "" : "s") << ").\n";
  return RoundResult::kApplied;
}

// The job as the state kept it at `version`, to run again.
Result<spec::Job> job_at_version(const state::State& state, const std::string& job, uint64_t version) {
  auto record = state.jobs.find(job);
  if (record == state.jobs.end()) return make_error(ErrorCode::kNotFound, "no job \"" + job + "\" in the state");
  for (const state::JobVersion& v : record->second.versions)
    if (v.version == version) return parser::job_from_json(v.spec, v.source);
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
                 ApplyOptions options, Context& context) {
  JobSet reverted;
  for (const spec::Job& job : set.jobs) {
    if (std::find(failed_jobs.begin(), failed_jobs.end(), job.id) == failed_jobs.end() || !wants_auto_revert(job)) continue;
    std::optional<uint64_t> stable = last_stable(locked.state, job.id);
    if (!stable) continue;
    Result<spec::Job> old = job_at_version(locked.state, job.id, *stable);
    if (!old.ok()) continue;
    context.err << "auto_revert: rolling job \"" << job.id << "\" back to its last stable version, " << *stable << "\n";
    reverted.jobs.push_back(std::move(*old));
  }
  if (reverted.jobs.empty()) return;
  options.auto_approve = true;  // the user approved the apply this revert undoes
  options.prune = false;
  std::vector<std::string> failed_again;
  apply_round(reverted, nullptr, workspace, locked, options, context, failed_again);
}

int run_apply(const ApplyOptions& options, Context& context) {
  std::optional<Workspace> workspace = load_workspace(options.inventory, context);
  if (!workspace) return kExitError;
  std::optional<SavedPlan> saved = read_saved_plan(options.paths);
  std::optional<JobSet> set;
  if (options.revert_job.empty()) {
    set = saved ? load_job_texts(saved->files, saved->flags, context) : load_job_set(options.paths, options.flags, *workspace, context);
    if (!set) return kExitError;
  }
  std::optional<spec::Duration> wait = spec::parse_duration(options.lock_timeout);
  if (!wait) {
    context.err << "skiff: -lock-timeout \"" << options.lock_timeout << "\" is not a duration (e.g. 30s, 5m)\n";
    return kExitError;
  }
  Result<LockedState> locked = lock_state(*workspace, options.revert_job.empty() ? "apply" : "job revert",
                                          std::chrono::milliseconds(wait->nanoseconds / 1000000));
  if (!locked.ok()) {
    context.err << "skiff: " << locked.error().message << "\n";
    return kExitError;
  }
  if (!options.revert_job.empty()) {
    // `job revert`: that job alone, at the old version; other jobs are left as they run.
    Result<spec::Job> old = job_at_version(locked->state, options.revert_job, options.revert_version);
    if (!old.ok()) {
      context.err << "skiff: " << old.error().message << "\n";
      return kExitError;
    }
    set = JobSet{{std::move(*old)}, {}};
  }
  std::vector<std::string> failed_jobs;
  RoundResult result = apply_round(*set, saved ? &*saved : nullptr, *workspace, *locked, options, context, failed_jobs);
  if (result != RoundResult::kFailed) return kExitOk;
  if (options.revert_job.empty()) auto_revert(*set, failed_jobs, *workspace, *locked, options, context);
  return kExitError;
}

}  // namespace

void register_apply(CLI::App& app, Context& context) {
  auto options = std::make_shared<ApplyOptions>();
  CLI::App* command = app.add_subcommand("apply", "Change the fleet to match the job files (or carry out a saved plan)");
  command->add_option("paths", options->paths, "Job files or directories, or one plan file from `plan -out`. Default: as plan");
  add_var_flags(*command, options->flags);
  command->add_flag("--auto-approve", options->auto_approve, "Do not ask for `yes` (CI; required without a terminal)");
  command->add_flag("--prune", options->prune, "Stop jobs that run on the fleet but are no longer in the job files");
  command->add_flag("--no-color", options->no_color, "No colours");
  command->add_option("--lock-timeout", options->lock_timeout, "Wait this long for the state lock (default 0s: fail at once)");
  add_inventory_flag(*command, options->inventory);
  add_parallelism_flag(*command, options->parallelism);
  command->footer(
      "Exit status: 0 when everything was applied (or nothing needed to be), 1 on any error; the state\n"
      "records every step, so running apply again converges.\n"
      "Examples:\n"
      "  skiff apply\n"
      "  skiff apply -auto-approve -lock-timeout 5m jobs/\n"
      "  skiff plan -out release.plan && skiff apply release.plan");
  command->callback([options, &context] { context.exit_code = run_apply(*options, context); });

  // skiff job revert JOB VERSION: the apply of that job's old version.
  CLI::App* job = app.get_subcommand("job");
  auto revert = std::make_shared<ApplyOptions>();
  CLI::App* revert_command = job->add_subcommand("revert", "Run a job's earlier version again (a new version, through plan and apply)");
  revert_command->add_option("job", revert->revert_job, "The job's id")->required();
  revert_command->add_option("version", revert->revert_version, "The version to go back to (skiff job history)")->required();
  revert_command->add_flag("--auto-approve", revert->auto_approve, "Do not ask for `yes`");
  revert_command->add_flag("--no-color", revert->no_color, "No colours");
  revert_command->add_option("--lock-timeout", revert->lock_timeout, "Wait this long for the state lock");
  add_inventory_flag(*revert_command, revert->inventory);
  revert_command->footer("The next `skiff apply` of the job files rolls the job forward to them again.");
  revert_command->callback([revert, &context] { context.exit_code = run_apply(*revert, context); });
}

}  // namespace skiff::cli
