// skiff reconcile --once --repo URL [--ref REF] [--path DIR]: one GitOps
// cycle. Fetches the followed ref into a cache (drivers/git_source.hpp),
// loads the commit's project from its tree (cli/commit_load.hpp), and under
// the state lock plans and applies it as `apply -auto-approve` does. The
// state records the last applied commit and the last attempted one with
// its error (state::ReconcileRecord); a commit that does not load is
// recorded as attempted and nothing of it is applied, so the previous good
// version keeps running.
#include <algorithm>
#include <chrono>
#include <memory>

#include "base/text.hpp"
#include "base/utc_time.hpp"
#include "cli/apply_output.hpp"
#include "cli/apply_set.hpp"
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/commit_load.hpp"
#include "cli/interrupt.hpp"
#include "cli/job_files.hpp"
#include "cli/locked_state.hpp"
#include "cli/planning.hpp"
#include "cli/state_access.hpp"
#include "cli/workspace.hpp"
#include "drivers/git/libgit2_source.hpp"
#include "reconciler/reconcile_retry.hpp"
#include "state/state_json.hpp"

namespace skiff::cli {

namespace {

// Exit codes of --once, as `plan -detailed-exitcode` has them.
constexpr int kExitApplied = 2;

struct ReconcileOptions {
  bool once = false;
  std::string repo;
  std::string ref;
  std::string path;
  std::string cache_dir;
  bool prune = false;
  bool allow_empty = false;
  bool json = false;
  bool no_color = false;
  std::string lock_timeout = "0s";
  VarFlags flags;
  int parallelism = 0;
};

// $XDG_CACHE_HOME/skiff, else ~/.cache/skiff.
std::string default_cache_dir(const parser::Environment& env) {
  if (auto xdg = env.getenv("XDG_CACHE_HOME"); xdg && !xdg->empty()) return *xdg + "/skiff";
  return env.home_dir() + "/.cache/skiff";
}

std::string source_of(const ReconcileOptions& options) {
  return options.repo + " ref " + (options.ref.empty() ? "HEAD" : options.ref) + " path " +
      (options.path.empty() ? "." : options.path);
}

// The jobs the state runs (not stopped) that `set` does not have.
std::vector<std::string> jobs_left_out(const state::State& state, const JobSet& set) {
  std::vector<std::string> out;
  for (const auto& [id, record] : state.jobs) {
    if (record.versions.empty() || record.versions.back().stopped) continue;
    const std::string& job = id;  // a structured binding cannot be captured before C++20's clang 16
    const bool kept = std::any_of(set.jobs.begin(), set.jobs.end(), [&job](const spec::Job& j) { return j.id == job; });
    if (!kept) out.push_back(job);
  }
  return out;
}

using Clock = std::chrono::steady_clock;

// The state's reconcile record, made when there is none.
state::ReconcileRecord& record_of(state::State& state) { return state.reconcile ? *state.reconcile : state.reconcile.emplace(); }

// Records commit `attempted` (and, when it applied, as applied) and the
// cycle that began at `began`, and saves.
Status record_attempt(LockedState& locked, const ReconcileOptions& options, const drivers::GitCommit& attempted,
                      const std::string& error, Clock::time_point began) {
  state::ReconcileRecord& r = record_of(locked.state);
  r.source = source_of(options);
  const bool again = r.attempted_commit == attempted.id && !r.attempted_error.empty();
  r.attempted_failures = error.empty() ? 0 : again ? r.attempted_failures + 1 : 1;
  r.attempted_commit = attempted.id;
  r.attempted_error = error;
  r.attempted_unix = now_unix();
  if (error.empty()) {
    r.applied_commit = attempted.id;
    r.applied_unix = r.attempted_unix;
  }
  r.cycle_unix = r.attempted_unix;
  r.cycle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began).count();
  return locked.store->save(locked.state, locked.state.serial);
}

std::string short_id(const std::string& id) { return id.substr(0, 12); }

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// One line on the commit a cycle looked at: "commit 1a2b3c4d5e6f by Ada
// <ada@example.com>: add web".
std::string describe(const drivers::GitCommit& c) {
  return "commit " + short_id(c.id) + " by " + base::terminal_safe(c.author) + ": " + base::terminal_safe(c.summary);
}

int reconcile_once(const ReconcileOptions& options, Context& context) {
  const Clock::time_point began = Clock::now();
  ApplyOutput out(context, options.json, render_options(options.no_color, context));
  auto fail = [&](const std::string& message) {
    out.error(message);
    return kExitError;
  };
  std::optional<spec::Duration> wait = spec::parse_duration(options.lock_timeout);
  if (!wait) return fail("-lock-timeout \"" + options.lock_timeout + "\" is not a duration (e.g. 30s, 5m)");
  drivers::GitSourceOptions git{options.repo, options.ref,
                                options.cache_dir.empty() ? default_cache_dir(context.env) : options.cache_dir};
  Result<std::unique_ptr<drivers::GitSource>> source = drivers::open_libgit2_source(git);
  if (!source.ok()) return fail(source.error().message);
  Result<drivers::GitCommit> head = (*source)->fetch();
  if (!head.ok()) return fail(head.error().message);
  Result<drivers::GitTree> tree = (*source)->read_tree(head->id, options.path);
  if (!tree.ok()) return fail(tree.error().message);
  out.info("Reconciling " + describe(head.value()) + " (" + source_of(options) + ")", "reconcile_start", {{"commit", head->id}});

  LoadedCommit loaded = load_commit(*tree, options.flags, context);
  if (!loaded.workspace)
    return fail(describe(*head) + " is not applied: " + loaded.error +
                "; its skiff.hcl or inventory does not load, so where its state is is not known either");
  Result<LockedState> locked = lock_state(*loaded.workspace, "reconcile", std::chrono::milliseconds(wait->nanoseconds / 1000000),
                                          [&out](const std::string& waiting) { out.info(waiting, "lock_wait"); });
  if (!locked.ok()) return fail(locked.error().message);
  if (locked->state.reconcile && locked->state.reconcile->suspended) {
    const state::ReconcileRecord& r = *locked->state.reconcile;
    out.info("Reconcile is suspended (since " + base::rfc3339_utc(r.suspended_unix) +
                 (r.suspended_reason.empty() ? "" : ": " + base::terminal_safe(r.suspended_reason)) + "): " + describe(*head) +
                 (loaded.ok() ? " loads" : " does not load (" + loaded.error + ")") +
                 ", and nothing is applied. `skiff reconcile resume` lifts it.",
             "reconcile_suspended", {{"commit", head->id}});
    return kExitOk;
  }
  std::string refused = loaded.error;
  if (loaded.jobs && options.prune && !options.allow_empty && loaded.jobs->jobs.empty()) {
    std::vector<std::string> stopping = jobs_left_out(locked->state, *loaded.jobs);
    if (!stopping.empty())
      refused =
          "it has no job file, and --prune would stop every job (" + joined(stopping) + "): pass --allow-empty to stop them all";
  }
  if (!refused.empty()) {
    Status saved = record_attempt(*locked, options, *head, refused, began);
    return fail(describe(*head) + " is not applied: " + refused + "; what runs stays as it is" +
                (saved.ok() ? "" : " (the state could not record the attempt: " + saved.error().message + ")"));
  }

  ApplyOutcome outcome = apply_set(*loaded.jobs, *loaded.workspace, *locked, {options.prune, options.parallelism}, out);
  if (outcome == ApplyOutcome::kInterrupted) return 128 + InterruptScope::signal_caught();
  const std::string error = outcome == ApplyOutcome::kFailed ? "the apply failed (see its errors)" : "";
  if (Status saved = record_attempt(*locked, options, *head, error, began); !saved.ok())
    return fail("the state could not record the commit: " + saved.error().message);
  const state::ReconcileRecord& r = *locked->state.reconcile;
  nlohmann::json fields = {{"applied_commit", r.applied_commit},
                           {"attempted_commit", r.attempted_commit},
                           {"attempted_error", r.attempted_error},
                           {"changes", outcome == ApplyOutcome::kApplied}};
  if (outcome == ApplyOutcome::kFailed) {
    out.info("Reconcile failed at " + describe(*head) + "; the last applied commit stays " +
                 (r.applied_commit.empty() ? "none" : short_id(r.applied_commit)) + ".",
             "reconcile_complete", fields);
    return kExitError;
  }
  out.info("Reconciled " + describe(*head) + (outcome == ApplyOutcome::kApplied ? ": changes applied." : ": no changes."),
           "reconcile_complete", fields);
  return outcome == ApplyOutcome::kApplied ? kExitApplied : kExitOk;
}

// "2026-12-07T20:21:52Z" or "never".
std::string when(int64_t unix_seconds) { return unix_seconds > 0 ? base::rfc3339_utc(unix_seconds) : "never"; }

// `reconcile status`: the state's reconcile record, for a person or as JSON.
int reconcile_status(bool json, Context& context) {
  std::optional<Workspace> workspace = load_workspace("", context);
  if (!workspace) return kExitError;
  Result<std::unique_ptr<state::StateStore>> store = open_state_store(*workspace);
  Result<std::optional<state::State>> loaded = store.ok() ? (*store)->load() : Result<std::optional<state::State>>(store.error());
  if (!loaded.ok()) {
    context.err << "skiff: " << loaded.error().message << "\n";
    return kExitError;
  }
  const state::ReconcileRecord* r = loaded->has_value() && (*loaded)->reconcile ? &*(*loaded)->reconcile : nullptr;
  if (json) {
    context.out << (r ? pretty_json(state::state_to_json(**loaded)["reconcile"]) : std::string("null\n"));
    return kExitOk;
  }
  if (!r) {
    context.out << "No reconcile has run against this state (" << (*store)->describe() << ").\n";
    return kExitOk;
  }
  auto commit = [](const std::string& id) { return id.empty() ? std::string("none") : id.substr(0, 12); };
  context.out << "Source:     " << base::terminal_safe(r->source) << "\n"
              << "Applied:    " << commit(r->applied_commit) << " at " << when(r->applied_unix) << "\n"
              << "Attempted:  " << commit(r->attempted_commit) << " at " << when(r->attempted_unix)
              << (r->attempted_error.empty() ? std::string(": applied") : ": " + base::terminal_safe(r->attempted_error)) << "\n"
              << "\n";
  if (r->attempted_failures > 0)
    context.out << "Retry:      failed " << r->attempted_failures << (r->attempted_failures == 1 ? " time" : " times")
                << " in a row; a loop tries it again at " << when(reconciler::next_try_unix(r->attempted_commit, *r))
                << ", a new commit at once\n";
  context.out << "Last cycle: " << when(r->cycle_unix) << ", took " << r->cycle_ms << " ms\n"
              << "Suspended:  "
              << (r->suspended ? "since " + when(r->suspended_unix) +
                          (r->suspended_reason.empty() ? "" : ": " + base::terminal_safe(r->suspended_reason))
                               : std::string("no"))
              << "\n";
  return kExitOk;
}

// `reconcile suspend` (suspend) and `resume`, under the state lock.
int reconcile_suspend(bool suspend, const std::string& reason, Context& context) {
  std::optional<Workspace> workspace = load_workspace("", context);
  if (!workspace) return kExitError;
  Result<LockedState> locked =
      lock_state(*workspace, suspend ? "reconcile suspend" : "reconcile resume", std::chrono::milliseconds(0));
  if (!locked.ok()) {
    context.err << "skiff: " << locked.error().message << "\n";
    return kExitError;
  }
  state::ReconcileRecord& r = record_of(locked->state);
  r.suspended = suspend;
  r.suspended_reason = suspend ? reason : "";
  r.suspended_unix = suspend ? now_unix() : 0;
  if (Status saved = locked->store->save(locked->state, locked->state.serial); !saved.ok()) {
    context.err << "skiff: " << saved.error().message << "\n";
    return kExitError;
  }
  context.out << (suspend ? "Reconcile suspended: cycles fetch and report, and apply nothing until `skiff reconcile resume`.\n"
                          : "Reconcile resumed: the next cycle applies the followed commit.\n");
  return kExitOk;
}

}  // namespace

void register_reconcile(CLI::App& app, Context& context) {
  auto options = std::make_shared<ReconcileOptions>();
  CLI::App* command = app.add_subcommand("reconcile", "Keep the fleet matching a git repository (GitOps)");
  command->add_flag("--once", options->once, "One cycle: fetch, load the commit, plan and apply, record; then exit");
  command->add_option("--repo", options->repo, "The repository: https://, file:// or a local path (with -once: required)");
  command->add_option("--ref", options->ref, "Branch, tag or commit to follow (default: the remote's HEAD)");
  command->add_option("--path", options->path, "The folder of the repository holding skiff.hcl or the job files");
  command->add_option("--cache-dir", options->cache_dir, "Where the repository's bare clone is kept (default ~/.cache/skiff)");
  command->add_flag("--prune", options->prune, "Stop jobs whose files left the repository");
  command->add_flag("--allow-empty", options->allow_empty, "With --prune, let a commit without job files stop every job");
  command->add_flag("--json", options->json, "One JSON object per line, as `apply -json`, then a reconcile_complete line");
  command->add_flag("--no-color", options->no_color, "No colours");
  command->add_option("--lock-timeout", options->lock_timeout, "Wait this long for the state lock (default 0s: fail at once)");
  add_var_flags(*command, options->flags);
  add_parallelism_flag(*command, options->parallelism);
  command->footer(
      "The commit's files are read from its tree, never from a working tree: skiff.hcl, its inventory and job\n"
      "files below --path, as if skiff ran there, except that a local state path in skiff.hcl is relative to\n"
      "the directory skiff runs in. The state records the last applied and the last attempted commit.\n"
      "Exit status (--once): 0 nothing to change, 2 changes applied, 1 an error (a commit that does not load\n"
      "or validate is not applied at all; what runs stays as it is).\n"
      "Only --once is built so far; the --watch loop is not.\n"
      "Examples:\n"
      "  skiff reconcile --once --repo https://git.example.com/ops/fleet.git --path prod\n"
      "  skiff reconcile --once --prune --repo /srv/git/fleet.git --ref release");
  command->require_subcommand(0, 1);
  command->callback([command, options, &context] {
    if (!command->get_subcommands().empty()) return;  // status, suspend or resume ran
    if (!options->once) {
      context.err << "skiff: reconcile needs --once: the --watch loop is not built yet (run --once from cron or CI)\n";
      context.exit_code = kExitError;
      return;
    }
    if (options->repo.empty()) {
      context.err << "skiff: reconcile -once needs -repo URL\n";
      context.exit_code = kExitError;
      return;
    }
    context.exit_code = reconcile_once(*options, context);
  });

  // The state's side: what the cycles did, and a switch for incidents. The
  // state is the current directory's project's, as for `state show`.
  auto json = std::make_shared<bool>(false);
  CLI::App* status = command->add_subcommand("status", "What reconcile did last: applied and attempted commits, suspended");
  status->add_flag("--json", *json, "The state's reconcile record as JSON");
  status->footer(
      "Reads the state of the project in the current directory (./skiff.hcl's, else ./.skiff/state.json).\n"
      "Examples:\n"
      "  skiff reconcile status\n"
      "  skiff reconcile status -json");
  status->callback([json, &context] { context.exit_code = reconcile_status(*json, context); });
  auto reason = std::make_shared<std::string>();
  CLI::App* suspend = command->add_subcommand("suspend", "Apply nothing until resumed: cycles fetch and report only");
  suspend->add_option("--reason", *reason, "Why, shown by `reconcile status` and each suspended cycle");
  suspend->footer(
      "Examples:\n"
      "  skiff reconcile suspend -reason \"incident 4711: hands off the fleet\"");
  suspend->callback([reason, &context] { context.exit_code = reconcile_suspend(true, *reason, context); });
  CLI::App* resume = command->add_subcommand("resume", "Let cycles apply again");
  resume->footer(
      "Examples:\n"
      "  skiff reconcile resume");
  resume->callback([&context] { context.exit_code = reconcile_suspend(false, "", context); });
}

}  // namespace skiff::cli
