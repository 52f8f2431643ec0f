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
#include "cli/apply_output.hpp"
#include "cli/apply_set.hpp"
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/commit_load.hpp"
#include "cli/interrupt.hpp"
#include "cli/job_files.hpp"
#include "cli/locked_state.hpp"
#include "cli/planning.hpp"
#include "cli/workspace.hpp"
#include "drivers/git/libgit2_source.hpp"

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
    const bool kept = std::any_of(set.jobs.begin(), set.jobs.end(), [&](const spec::Job& j) { return j.id == id; });
    if (!kept) out.push_back(id);
  }
  return out;
}

// Records commit `attempted` (and, when it applied, as applied) and saves.
Status record_attempt(LockedState& locked, const ReconcileOptions& options, const drivers::GitCommit& attempted,
                      const std::string& error) {
  state::ReconcileRecord& r = locked.state.reconcile ? *locked.state.reconcile : locked.state.reconcile.emplace();
  r.source = source_of(options);
  r.attempted_commit = attempted.id;
  r.attempted_error = error;
  r.attempted_unix = now_unix();
  if (error.empty()) {
    r.applied_commit = attempted.id;
    r.applied_unix = r.attempted_unix;
  }
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
  std::string refused = loaded.error;
  if (loaded.jobs && options.prune && !options.allow_empty && loaded.jobs->jobs.empty()) {
    std::vector<std::string> stopping = jobs_left_out(locked->state, *loaded.jobs);
    if (!stopping.empty())
      refused =
          "it has no job file, and --prune would stop every job (" + joined(stopping) + "): pass --allow-empty to stop them all";
  }
  if (!refused.empty()) {
    Status saved = record_attempt(*locked, options, *head, refused);
    return fail(describe(*head) + " is not applied: " + refused + "; what runs stays as it is" +
                (saved.ok() ? "" : " (the state could not record the attempt: " + saved.error().message + ")"));
  }

  ApplyOutcome outcome = apply_set(*loaded.jobs, *loaded.workspace, *locked, {options.prune, options.parallelism}, out);
  if (outcome == ApplyOutcome::kInterrupted) return 128 + InterruptScope::signal_caught();
  const std::string error = outcome == ApplyOutcome::kFailed ? "the apply failed (see its errors)" : "";
  if (Status saved = record_attempt(*locked, options, *head, error); !saved.ok())
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

}  // namespace

void register_reconcile(CLI::App& app, Context& context) {
  auto options = std::make_shared<ReconcileOptions>();
  CLI::App* command = app.add_subcommand("reconcile", "Keep the fleet matching a git repository (GitOps)");
  command->add_flag("--once", options->once, "One cycle: fetch, load the commit, plan and apply, record; then exit");
  command->add_option("--repo", options->repo, "The repository: https://, file:// or a local path")->required();
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
  command->callback([options, &context] {
    if (!options->once) {
      context.err << "skiff: reconcile needs --once: the --watch loop is not built yet (run --once from cron or CI)\n";
      context.exit_code = kExitError;
      return;
    }
    context.exit_code = reconcile_once(*options, context);
  });
}

}  // namespace skiff::cli
