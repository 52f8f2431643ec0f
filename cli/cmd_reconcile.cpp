// skiff reconcile: its flags, --once (one cycle, cli/reconcile_cycle.hpp)
// and --watch (the loop, cli/reconcile_loop.hpp), and the state's side:
// `reconcile status`, `suspend` and `resume`.
#include <chrono>
#include <fstream>
#include <memory>

#include "base/text.hpp"
#include "base/utc_time.hpp"
#include "cli/apply_output.hpp"
#include "cli/apply_set.hpp"
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/job_files.hpp"
#include "cli/locked_state.hpp"
#include "cli/planning.hpp"
#include "cli/reconcile_cycle.hpp"
#include "cli/reconcile_loop.hpp"
#include "cli/state_access.hpp"
#include "cli/workspace.hpp"
#include "reconciler/reconcile_retry.hpp"
#include "state/state_json.hpp"

namespace skiff::cli {

namespace {

// Exit codes of --once, as `plan -detailed-exitcode` has them.
constexpr int kExitApplied = 2;

struct ReconcileOptions {
  bool once = false;
  bool watch = false;
  ReconcileSettings settings;
  WatchSettings watch_settings;
  std::string interval = "1m";
  std::string log_format = "text";
  bool json = false;
  bool no_color = false;
  std::string lock_timeout = "0s";
  std::string token_file;
  std::string webhook_secret_file;
  std::string commit_status_token_file;
};

// The first line of file `path` (a token or a secret), its surrounding
// white space trimmed; `flag` names it in errors, which never quote it.
Result<std::string> read_secret_file(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kInvalidArgument, flag + " " + path + " cannot be read");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  if (text.size() > 64 * 1024) return make_error(ErrorCode::kInvalidArgument, flag + " " + path + " is larger than 64 KiB");
  const std::string secret = base::trimmed(text);
  if (secret.empty()) return make_error(ErrorCode::kInvalidArgument, flag + " " + path + " is empty");
  return secret;
}

// The https token: --token-file, else $SKIFF_GIT_TOKEN; never a flag's
// value, which every user's `ps` would show.
Status read_https_token(ReconcileOptions& options, const parser::Environment& env) {
  if (!options.token_file.empty()) {
    Result<std::string> token = read_secret_file(options.token_file, "--token-file");
    if (!token.ok()) return token.error();
    options.settings.https_token = *token;
    return {};
  }
  options.settings.https_token = env.getenv("SKIFF_GIT_TOKEN").value_or("");
  return {};
}

// The watch loop's settings that come from files and words.
Status prepare_watch(ReconcileOptions& options) {
  WatchSettings& w = options.watch_settings;
  std::optional<spec::Duration> interval = spec::parse_duration(options.interval);
  if (!interval || interval->nanoseconds < 1000000000LL)
    return make_error(ErrorCode::kInvalidArgument,
                      "--interval \"" + options.interval + "\" is not a duration of 1s or more (e.g. 30s, 5m)");
  w.interval = std::chrono::milliseconds(interval->nanoseconds / 1000000);
  w.json_logs = options.log_format == "json";
  w.no_color = options.no_color;
  if (!options.webhook_secret_file.empty()) {
    Result<std::string> secret = read_secret_file(options.webhook_secret_file, "--webhook-secret-file");
    if (!secret.ok()) return secret.error();
    w.webhook_secret = *secret;
  }
  if (!w.commit_status.empty()) {
    if (options.commit_status_token_file.empty())
      return make_error(ErrorCode::kInvalidArgument, "--commit-status needs --commit-status-token-file");
    Result<std::string> token = read_secret_file(options.commit_status_token_file, "--commit-status-token-file");
    if (!token.ok()) return token.error();
    w.commit_status_token = *token;
  }
  return {};
}

// Checks the flags that go together; "" when they do.
std::string flag_problem(const ReconcileOptions& o) {
  if (o.once == o.watch) return "reconcile needs one of --once (a cycle, for cron and CI) and --watch (the loop)";
  if (o.settings.repo.empty()) return "reconcile needs --repo URL";
  if (o.settings.verify_signatures && o.settings.allowed_signers.empty())
    return "--verify-signatures needs --allowed-signers FILE (OpenSSH's allowed signers format)";
  if (!o.settings.allowed_signers.empty() && !o.settings.verify_signatures)
    return "--allowed-signers is used only with --verify-signatures";
  if (o.log_format != "text" && o.log_format != "json") return "--log-format is text or json";
  const WatchSettings& w = o.watch_settings;
  if (o.once && (!w.listen.empty() || !w.notify_urls.empty() || !w.commit_status.empty()))
    return "--listen, --notify and --commit-status belong to --watch";
  return "";
}

int reconcile_once(const ReconcileOptions& options, Context& context) {
  ApplyOutput out(context, options.json || options.log_format == "json", render_options(options.no_color, context));
  std::optional<spec::Duration> wait = spec::parse_duration(options.lock_timeout);
  if (!wait) {
    out.error("-lock-timeout \"" + options.lock_timeout + "\" is not a duration (e.g. 30s, 5m)");
    return kExitError;
  }
  ReconcileCycle cycle(options.settings, false, context);
  CycleControl control{std::chrono::milliseconds(wait->nanoseconds / 1000000), {}, false, 0, {}};
  CycleReport report = cycle.run(out, control);
  switch (report.result) {
    case CycleResult::kApplied: return kExitApplied;
    case CycleResult::kNoChanges:
    case CycleResult::kSuspended: return kExitOk;
    case CycleResult::kInterrupted: return 128 + InterruptScope::signal_caught();
    case CycleResult::kFailed:
    case CycleResult::kSkipped: return kExitError;
  }
  return kExitError;
}

// "2026-12-07T20:21:52Z" or "never".
std::string when(int64_t unix_seconds) { return unix_seconds > 0 ? base::rfc3339_utc(unix_seconds) : "never"; }

// The project whose state status, suspend and resume read: -state PATH,
// else the current directory's (./skiff.hcl's, else ./.skiff/state.json).
std::optional<Workspace> state_workspace(const std::string& state_path, Context& context) {
  if (state_path.empty()) return load_workspace("", context);
  Workspace workspace;
  workspace.project.state = spec::StateSettings{spec::StateBackend::kLocal, state_path, ""};
  return workspace;
}

// `reconcile status`: the state's reconcile record, for a person or as JSON.
int reconcile_status(bool json, const std::string& state_path, Context& context) {
  std::optional<Workspace> workspace = state_workspace(state_path, context);
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
  context.out << "Last cycle: " << when(r->cycle_unix) << ", took " << r->cycle_ms << " ms\n";
  if (!r->drift.empty()) {
    context.out << "Drift:      " << r->drift.size()
                << (r->drift_corrected ? " corrected" : " found, not corrected (--no-self-heal)") << "\n";
    for (const std::string& line : r->drift) context.out << "              " << base::terminal_safe(line) << "\n";
  } else {
    context.out << "Drift:      none\n";
  }
  if (r->next_cycle_unix > 0) context.out << "Next cycle: " << when(r->next_cycle_unix) << " (as the --watch loop said)\n";
  context.out << "Suspended:  "
              << (r->suspended ? "since " + when(r->suspended_unix) +
                          (r->suspended_reason.empty() ? "" : ": " + base::terminal_safe(r->suspended_reason))
                               : std::string("no"))
              << "\n";
  return kExitOk;
}

// `reconcile suspend` (suspend) and `resume`, under the state lock.
int reconcile_suspend(bool suspend, const std::string& reason, const std::string& state_path, Context& context) {
  std::optional<Workspace> workspace = state_workspace(state_path, context);
  if (!workspace) return kExitError;
  Result<LockedState> locked =
      lock_state(*workspace, suspend ? "reconcile suspend" : "reconcile resume", std::chrono::milliseconds(0));
  if (!locked.ok()) {
    context.err << "skiff: " << locked.error().message << "\n";
    return kExitError;
  }
  state::ReconcileRecord& r = locked->state.reconcile ? *locked->state.reconcile : locked->state.reconcile.emplace();
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
  ReconcileSettings& settings = options->settings;
  WatchSettings& watch = options->watch_settings;
  CLI::App* command = app.add_subcommand("reconcile", "Keep the fleet matching a git repository (GitOps)");
  command->add_flag("--once", options->once, "One cycle: fetch, load the commit, plan and apply, record; then exit");
  command->add_flag("--watch", options->watch, "The loop: a cycle every --interval, on SIGHUP and on a webhook");
  command->add_option("--repo", settings.repo, "The repository: ssh://, git@host:path, https://, file:// or a local path");
  command->add_option("--ref", settings.ref, "Branch, tag or commit to follow (default: the remote's HEAD)");
  command->add_option("--path", settings.path, "The folder of the repository holding skiff.hcl or the job files");
  command->add_option("--cache-dir", settings.cache_dir, "Where the repository's bare clone is kept (default ~/.cache/skiff)");
  command->add_option("--state", settings.state_path, "A local state file, over what the commit's skiff.hcl names");
  command->add_option("--token-file", options->token_file, "An https token for the repository (else $SKIFF_GIT_TOKEN)");
  command->add_flag("--verify-signatures", settings.verify_signatures, "Apply only commits with a good SSH signature");
  command->add_option("--allowed-signers", settings.allowed_signers, "OpenSSH allowed signers file for --verify-signatures");
  command->add_flag("--prune", settings.prune, "Stop jobs whose files left the repository");
  command->add_flag("--allow-empty", settings.allow_empty, "With --prune, let a commit without job files stop every job");
  command->add_flag("!--no-self-heal", settings.self_heal, "Report drift (a killed or failed allocation) without correcting it");
  command->add_flag("--json", options->json, "--once: one JSON object per line, as `apply -json`, then reconcile_complete");
  command->add_option("--log-format", options->log_format,
                      "text (default) or json: one JSON object per line, for journald or Loki");
  command->add_flag("--no-color", options->no_color, "No colours");
  command->add_option("--lock-timeout", options->lock_timeout, "--once: wait this long for the state lock (default 0s)");
  command->add_option("--interval", options->interval, "--watch: time between cycles, ±10% (default 1m)");
  command->add_option("--listen", watch.listen, "--watch: serve webhooks, /metrics, /healthz, /readyz on ADDR (127.0.0.1:9090)");
  command->add_option("--webhook-secret-file", options->webhook_secret_file, "--watch: the push webhooks' shared secret");
  command->add_option("--notify", watch.notify_urls, "--watch: post an event per applied, failed, drift or suspended cycle")
      ->take_last()
      ->expected(0, 1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_option("--notify-format", watch.notify_format, "json (default), slack (blocks) or slack-text");
  command->add_option("--commit-status", watch.commit_status, "--watch: report each commit's state to github, gitea or gitlab");
  command->add_option("--commit-status-token-file", options->commit_status_token_file,
                      "The forge's API token for --commit-status");
  command->add_option("--commit-status-api", watch.commit_status_api, "The forge's API base, when not derived from --repo");
  add_var_flags(*command, settings.flags);
  add_parallelism_flag(*command, settings.parallelism);
  command->footer(
      "The commit's files are read from its tree, never from a working tree: skiff.hcl, its inventory and job\n"
      "files below --path, as if skiff ran there, except that a local state path in skiff.hcl is relative to\n"
      "the directory skiff runs in. The state records the last applied and the last attempted commit.\n"
      "When the head is the commit applied already, what the plan changes is drift: corrected and logged\n"
      "with its reason (--no-self-heal: only reported).\n"
      "Exit status (--once): 0 nothing to change, 2 changes applied, 1 an error (a commit that does not load\n"
      "or validate is not applied at all; what runs stays as it is).\n"
      "--watch runs until SIGTERM (exit 0 after the step in flight); SIGHUP runs a cycle now. A failed commit\n"
      "is tried again after 1 min, doubling to 30 min; a new commit at once.\n"
      "Examples:\n"
      "  skiff reconcile --once --repo https://git.example.com/ops/fleet.git --path prod\n"
      "  skiff reconcile --once --prune --repo /srv/git/fleet.git --ref release\n"
      "  skiff reconcile --watch --repo git@git.example.com:ops/fleet.git --listen 127.0.0.1:9090 --webhook-secret-file "
      "/etc/skiff/hook");
  command->require_subcommand(0, 1);
  command->callback([command, options, &context] {
    if (!command->get_subcommands().empty()) return;  // status, suspend or resume ran
    auto refuse = [&context](const std::string& message) {
      context.err << "skiff: " << message << "\n";
      context.exit_code = kExitError;
    };
    if (std::string problem = flag_problem(*options); !problem.empty()) return refuse(problem);
    if (Status token = read_https_token(*options, context.env); !token.ok()) return refuse(token.error().message);
    if (options->once) {
      context.exit_code = reconcile_once(*options, context);
      return;
    }
    if (Status prepared = prepare_watch(*options); !prepared.ok()) return refuse(prepared.error().message);
    context.exit_code = run_reconcile_watch(options->settings, options->watch_settings, context);
  });

  // The state's side: what the cycles did, and a switch for incidents. The
  // state is the current directory's project's, as for `state show`, or
  // the one -state names.
  auto state_path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* status = command->add_subcommand("status", "What reconcile did last: commits, drift, next cycle, suspended");
  status->add_flag("--json", *json, "The state's reconcile record as JSON");
  status->add_option("--state", *state_path, "A local state file (default: the current directory's project's)");
  status->footer(
      "Reads the state of the project in the current directory (./skiff.hcl's, else ./.skiff/state.json).\n"
      "Examples:\n"
      "  skiff reconcile status\n"
      "  skiff reconcile status -json");
  status->callback([json, state_path, &context] { context.exit_code = reconcile_status(*json, *state_path, context); });
  auto reason = std::make_shared<std::string>();
  CLI::App* suspend = command->add_subcommand("suspend", "Apply nothing until resumed: cycles fetch and report only");
  suspend->add_option("--reason", *reason, "Why, shown by `reconcile status` and each suspended cycle");
  suspend->add_option("--state", *state_path, "A local state file (default: the current directory's project's)");
  suspend->footer(
      "Examples:\n"
      "  skiff reconcile suspend -reason \"incident 4711: hands off the fleet\"");
  suspend->callback(
      [reason, state_path, &context] { context.exit_code = reconcile_suspend(true, *reason, *state_path, context); });
  CLI::App* resume = command->add_subcommand("resume", "Let cycles apply again");
  resume->add_option("--state", *state_path, "A local state file (default: the current directory's project's)");
  resume->footer(
      "Examples:\n"
      "  skiff reconcile resume");
  resume->callback([state_path, &context] { context.exit_code = reconcile_suspend(false, "", *state_path, context); });
}

}  // namespace skiff::cli
