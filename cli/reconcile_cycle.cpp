#include "cli/reconcile_cycle.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "base/utc_time.hpp"
#include "cli/apply_set.hpp"
#include "cli/clock.hpp"
#include "cli/commit_load.hpp"
#include "cli/fleet_view.hpp"
#include "cli/interrupt.hpp"
#include "cli/locked_state.hpp"
#include "cli/planning.hpp"
#include "drivers/git/libgit2_source.hpp"
#include "drivers/git/ssh_signature.hpp"
#include "drivers/http/outbound_request.hpp"
#include "reconciler/drift_corrections.hpp"
#include "reconciler/reconcile_retry.hpp"

namespace skiff::cli {

namespace {

using Clock = std::chrono::steady_clock;

// $XDG_CACHE_HOME/skiff, else ~/.cache/skiff.
std::string default_cache_dir(const parser::Environment& env) {
  if (auto xdg = env.getenv("XDG_CACHE_HOME"); xdg && !xdg->empty()) return *xdg + "/skiff";
  return env.home_dir() + "/.cache/skiff";
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

// The state's reconcile record, made when there is none.
state::ReconcileRecord& record_of(state::State& state) { return state.reconcile ? *state.reconcile : state.reconcile.emplace(); }

// What decides which connections are open: the hosts' addresses and the
// ssh settings. A commit that changes none of them keeps the loop's
// connections.
std::string connection_key(const Workspace& workspace, int parallelism) {
  nlohmann::json key = nlohmann::json::array();
  for (const spec::Host& h : workspace.inventory.hosts)
    key.push_back({h.name, static_cast<int>(h.transport), h.address, h.port.value_or(-1), h.user, h.identity_file});
  const spec::SshSettings& ssh = workspace.project.ssh;
  key.push_back({ssh.user, ssh.port.value_or(-1), ssh.identity_file, ssh.known_hosts,
                 static_cast<int>(ssh.strict_host_key_checking), ssh.connect_timeout.nanoseconds, ssh.parallelism,
                 ssh.control_persist.nanoseconds, workspace.project.fleet.max_output, parallelism});
  return key.dump();
}

// The allocations (job, status) and hosts (status) of `state`, for the metrics.
void count_fleet(const state::State& state, CycleReport& report) {
  for (const state::AllocationRecord& a : state.allocations) ++report.allocations[{a.job, a.status}];
  for (const auto& [name, host] : state.hosts) {
    const char* status = host.down_since_unix ? "unreachable" : host.draining ? "draining" : !host.eligible ? "ineligible" : "up";
    ++report.hosts[status];
  }
}

}  // namespace

ReconcileCycle::ReconcileCycle(ReconcileSettings settings, bool keep_connections, Context& context)
    : settings_(std::move(settings)), keep_connections_(keep_connections), context_(context) {}

ReconcileCycle::~ReconcileCycle() = default;

std::string reconcile_source(const ReconcileSettings& settings) {
  return drivers::without_userinfo(settings.repo) + " ref " + (settings.ref.empty() ? "HEAD" : settings.ref) + " path " +
      (settings.path.empty() ? "." : settings.path);
}

std::string ReconcileCycle::source() const { return reconcile_source(settings_); }

Result<drivers::GitCommit> ReconcileCycle::fetch() {
  if (!source_) {
    drivers::GitSourceOptions git;
    git.url = settings_.repo;
    git.ref = settings_.ref;
    git.cache_dir = settings_.cache_dir.empty() ? default_cache_dir(context_.env) : settings_.cache_dir;
    git.https_token = settings_.https_token;
    Result<std::unique_ptr<drivers::GitSource>> opened = drivers::open_libgit2_source(git);
    if (!opened.ok()) return opened.error();
    source_ = std::move(*opened);
  }
  return source_->fetch();
}

// Why `head` may not be applied under --verify-signatures; "" when it may
// (or nothing is asked).
std::string ReconcileCycle::untrusted_reason(const drivers::GitCommit& head) {
  if (!settings_.verify_signatures) return "";
  Result<drivers::CommitSignature> signature = source_->signature(head.id);
  if (!signature.ok()) return "its signature cannot be read: " + signature.error().message;
  Result<drivers::SignatureVerdict> verdict = drivers::verify_ssh_signature(*signature, settings_.allowed_signers);
  if (!verdict.ok()) return "its signature cannot be checked: " + verdict.error().message;
  if (verdict->good) return "";
  return "it is not signed by a key " + settings_.allowed_signers + " allows (" + verdict->reason +
      "): only signed commits are applied (--verify-signatures)";
}

// Where the state is: the commit's skiff.hcl says (or -state); for a
// commit that cannot say, -state, else the last commit that loaded.
std::optional<Workspace> ReconcileCycle::state_workspace(const std::optional<Workspace>& loaded) const {
  if (loaded) return loaded;
  if (!settings_.state_path.empty()) {
    Workspace w;
    w.project.state = spec::StateSettings{spec::StateBackend::kLocal, settings_.state_path, ""};
    return w;
  }
  return last_workspace_;
}

FleetAccess* ReconcileCycle::warm_fleet(const Workspace& workspace, Context& context) {
  if (!keep_connections_) return nullptr;
  const std::string key = connection_key(workspace, settings_.parallelism);
  if (!fleet_ || key != fleet_key_) {
    fleet_.reset();
    Result<FleetAccess> opened = open_fleet(workspace, settings_.parallelism, FleetUse::kChange, context);
    if (!opened.ok()) return nullptr;  // apply opens its own, and says why it cannot
    fleet_ = std::move(*opened);
    fleet_key_ = key;
  }
  return &*fleet_;
}

namespace {

// What a cycle did with its commit, for the record: nothing (suspended,
// drift only reported), tried it (applied when there is no error), or was
// stopped by a signal (not a failure: the retry rule does not hold the
// next cycle back).
enum class Attempt { kNone, kTried, kInterrupted };

// Records the cycle in the state's reconcile record: commit `head`
// attempted (and, when `error` is empty, applied), the drift it found, and
// saves.
Status record_cycle(LockedState& locked, const std::string& source, const drivers::GitCommit& head, Attempt attempt,
                    const std::string& error, const CycleReport& report, const CycleControl& control, Clock::time_point began) {
  state::ReconcileRecord& r = record_of(locked.state);
  r.source = source;
  if (attempt != Attempt::kNone) {
    const bool again = r.attempted_commit == head.id && !r.attempted_error.empty();
    r.attempted_failures = error.empty() || attempt == Attempt::kInterrupted ? 0 : again ? r.attempted_failures + 1 : 1;
    r.attempted_commit = head.id;
    r.attempted_error = error;
    r.attempted_unix = now_unix();
    if (error.empty()) {
      r.applied_commit = head.id;
      r.applied_unix = r.attempted_unix;
    }
  }
  r.drift.assign(report.drift.begin(),
                 report.drift.begin() + static_cast<std::ptrdiff_t>(std::min(report.drift.size(), r.kMaxDriftLines)));
  r.drift_corrected = report.drift_corrected && !report.drift.empty();
  r.next_cycle_unix = control.next_cycle_unix;
  r.cycle_unix = now_unix();
  r.cycle_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began).count();
  return locked.store->save(locked.state, locked.state.serial);
}

void add_drift(const reconciler::Plan& plan, CycleReport& report) {
  for (reconciler::DriftCorrection& c : reconciler::drift_corrections(plan)) {
    ++report.drift_kinds[c.kind];
    report.drift.push_back(std::move(c.line));
  }
}

// The report, with how the cycle ended and how long it took; a failure
// is said on `out`.
CycleReport finished(CycleReport& report, CycleResult result, const std::string& error, Clock::time_point began,
                     ApplyOutput& out) {
  report.result = result;
  report.error = error;
  report.seconds = std::chrono::duration<double>(Clock::now() - began).count();
  if (result == CycleResult::kFailed && !error.empty()) out.error(error);
  return report;
}

// "2026-12-07T20:21:52Z".
std::string when(int64_t unix_seconds) { return base::rfc3339_utc(unix_seconds); }

}  // namespace

CycleReport ReconcileCycle::run(ApplyOutput& out, const CycleControl& control) {
  const Clock::time_point began = Clock::now();
  CycleReport report;
  auto finish = [&](CycleResult result, const std::string& error) { return finished(report, result, error, began, out); };
  Result<drivers::GitCommit> head = fetch();
  if (!head.ok()) return finish(CycleResult::kFailed, head.error().message);
  report.head = *head;
  const std::string untrusted = untrusted_reason(*head);
  std::string refused = untrusted;
  out.info("Reconciling " + describe(*head) + " (" + base::terminal_safe(source()) + ")", "reconcile_start",
           {{"commit", head->id}});
  LoadedCommit loaded;
  if (untrusted.empty()) {
    Result<drivers::GitTree> tree = source_->read_tree(head->id, settings_.path);
    if (!tree.ok()) return finish(CycleResult::kFailed, tree.error().message);
    loaded = load_commit(*tree, settings_.flags, context_);
    if (loaded.workspace && !settings_.state_path.empty())
      loaded.workspace->project.state = spec::StateSettings{spec::StateBackend::kLocal, settings_.state_path, ""};
    if (loaded.workspace && loaded.jobs) last_workspace_ = loaded.workspace;
    refused = loaded.error;
  }
  std::optional<Workspace> workspace = state_workspace(loaded.workspace);
  if (!workspace)
    return finish(CycleResult::kFailed,
                  describe(*head) + " is not applied: " + refused +
                      (untrusted.empty() ? "; its skiff.hcl or inventory does not load, so where its state is is not known either"
                                         : "; its files are not read, so where its state is is not known either") +
                      " (-state PATH names it)");
  Result<LockedState> locked = lock_state(
      *workspace, "reconcile", control.lock_wait, [&out](const std::string& waiting) { out.info(waiting, "lock_wait"); },
      control.stopping);
  if (!locked.ok()) return finish(CycleResult::kFailed, locked.error().message);
  const state::ReconcileRecord before = locked->state.reconcile.value_or(state::ReconcileRecord{});
  count_fleet(locked->state, report);
  if (before.suspended) {
    out.info("Reconcile is suspended (since " + when(before.suspended_unix) +
                 (before.suspended_reason.empty() ? "" : ": " + base::terminal_safe(before.suspended_reason)) +
                 "): " + describe(*head) + (refused.empty() ? " loads" : " is refused (" + refused + ")") +
                 ", and nothing is applied. `skiff reconcile resume` lifts it.",
             "reconcile_suspended", {{"commit", head->id}});
    if (Status saved = record_cycle(*locked, source(), *head, Attempt::kNone, "", report, control, began); !saved.ok())
      out.error("the state could not record the cycle: " + saved.error().message);
    return finish(CycleResult::kSuspended, "");
  }
  if (control.respect_backoff) {
    const int64_t next_try = reconciler::next_try_unix(head->id, before);
    if (next_try > now_unix()) {
      const std::string waiting = describe(*head) + " failed " + std::to_string(before.attempted_failures) +
          (before.attempted_failures == 1 ? " time" : " times") + " (" + base::terminal_safe(before.attempted_error) +
          "); it is tried again at " + when(next_try) + ", a new commit at once";
      out.info(waiting, "reconcile_backoff", {{"commit", head->id}, {"next_try_unix", next_try}});
      return finish(CycleResult::kSkipped, waiting);
    }
  }
  if (refused.empty() && settings_.prune && !settings_.allow_empty && loaded.jobs->jobs.empty()) {
    std::vector<std::string> stopping = jobs_left_out(locked->state, *loaded.jobs);
    if (!stopping.empty())
      refused =
          "it has no job file, and --prune would stop every job (" + joined(stopping) + "): pass --allow-empty to stop them all";
  }
  report.applied_commit = before.applied_commit;
  if (!refused.empty()) {
    Status saved = record_cycle(*locked, source(), *head, Attempt::kTried, refused, report, control, began);
    report.attempted_commit = head->id;
    report.attempted_error = refused;
    return finish(CycleResult::kFailed,
                  describe(*head) + " is not applied: " + refused + "; what runs stays as it is" +
                      (saved.ok() ? "" : " (the state could not record the attempt: " + saved.error().message + ")"));
  }
  CycleResult result = apply_commit(out, control, *head, {*loaded.workspace, *loaded.jobs, *locked, before}, report);
  if (result == CycleResult::kInterrupted) {
    // The state says what ran; the record says the commit is not all out.
    const std::string why = std::string("interrupted by ") + InterruptScope::signal_name(InterruptScope::signal_caught()) +
        " before it was all applied: the next cycle carries on";
    if (Status saved = record_cycle(*locked, source(), *head, Attempt::kInterrupted, why, report, control, began); !saved.ok())
      out.error("the state could not record the cycle: " + saved.error().message);
    return finish(result, "");
  }
  const std::string error = result == CycleResult::kFailed ? "the apply failed (see its errors)" : "";
  const Attempt attempt = report.drift_commit && !settings_.self_heal ? Attempt::kNone : Attempt::kTried;
  if (Status saved = record_cycle(*locked, source(), *head, attempt, error, report, control, began); !saved.ok())
    return finish(CycleResult::kFailed, "the state could not record the commit: " + saved.error().message);
  const state::ReconcileRecord& r = *locked->state.reconcile;
  report.applied_commit = r.applied_commit;
  report.attempted_commit = r.attempted_commit;
  report.attempted_error = r.attempted_error;
  report.allocations.clear();
  report.hosts.clear();
  count_fleet(locked->state, report);
  nlohmann::json fields = {{"applied_commit", r.applied_commit},
                           {"attempted_commit", r.attempted_commit},
                           {"attempted_error", r.attempted_error},
                           {"changes", result == CycleResult::kApplied},
                           {"drift", report.drift},
                           {"drift_corrected", report.drift_corrected}};
  if (result == CycleResult::kFailed) {
    out.info("Reconcile failed at " + describe(*head) + "; the last applied commit stays " +
                 (r.applied_commit.empty() ? "none" : short_id(r.applied_commit)) + ".",
             "reconcile_complete", fields);
    return finish(result, "");
  }
  std::string what = result == CycleResult::kApplied ? ": changes applied." : ": no changes.";
  if (!report.drift.empty())
    what = report.drift_corrected
        ? ": drift corrected (" + std::to_string(report.drift.size()) + ")."
        : ": drift found (" + std::to_string(report.drift.size()) + "), not corrected (--no-self-heal).";
  out.info("Reconciled " + describe(*head) + what, "reconcile_complete", fields);
  return finish(result, "");
}

// The commit applied (or, when it is the one applied already and
// --no-self-heal is set, only planned): its drift reported.
CycleResult ReconcileCycle::apply_commit(ApplyOutput& out, const CycleControl& control, const drivers::GitCommit& head,
                                         const Commit& commit, CycleReport& report) {
  const bool drift_only = head.id == commit.before.applied_commit;
  report.drift_commit = drift_only;
  auto log_drift = [&out, &report](const char* verb) {
    for (const std::string& line : report.drift)
      out.info(std::string("Drift ") + verb + ": " + base::terminal_safe(line), "drift", {{"drift", line}});
  };
  if (drift_only && !settings_.self_heal) {
    FleetAccess* warm = warm_fleet(commit.workspace, context_);
    std::optional<FleetAccess> own;
    if (!warm) {
      Result<FleetAccess> opened = open_fleet(commit.workspace, settings_.parallelism, FleetUse::kRead, context_);
      if (!opened.ok()) {
        out.error(opened.error().message);
        return CycleResult::kFailed;
      }
      warm = &own.emplace(std::move(*opened));
    }
    FleetView view = observe_fleet(*warm, commit.workspace, Owner{commit.locked.state});
    for (const std::string& warning : view.warnings) context_.err << "warning: " << warning << "\n";
    std::optional<state::State> current;
    if (commit.locked.read_serial > 0) current = commit.locked.state;
    add_drift(compute(commit.jobs, view, current, settings_.prune), report);
    log_drift("found (not corrected: --no-self-heal)");
    return CycleResult::kNoChanges;
  }
  if (!drift_only && control.applying) control.applying(head);
  bool first_plan = true;
  ApplySetOptions options{settings_.prune, settings_.parallelism, warm_fleet(commit.workspace, context_),
                          [&](const reconciler::Plan& plan) {
                            if (drift_only && first_plan) add_drift(plan, report);
                            first_plan = false;
                          }};
  ApplyOutcome outcome = apply_set(commit.jobs, commit.workspace, commit.locked, options, out);
  report.drift_corrected = !report.drift.empty() && (outcome == ApplyOutcome::kApplied || outcome == ApplyOutcome::kNoChanges);
  log_drift(report.drift_corrected ? "corrected" : "found (its correction did not finish)");
  switch (outcome) {
    case ApplyOutcome::kNoChanges: return CycleResult::kNoChanges;
    case ApplyOutcome::kApplied: return CycleResult::kApplied;
    case ApplyOutcome::kFailed: return CycleResult::kFailed;
    case ApplyOutcome::kInterrupted: return CycleResult::kInterrupted;
  }
  return CycleResult::kFailed;
}

}  // namespace skiff::cli
