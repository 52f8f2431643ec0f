// One GitOps cycle, as `reconcile --once` runs it and `--watch` repeats it:
// fetch the followed ref; check the head's signature when asked; load the
// commit's project from its tree (cli/commit_load.hpp); under the state
// lock plan and apply it as `apply -auto-approve` does; record the applied
// and the attempted commit (state::ReconcileRecord). A commit that does not
// load, is not signed as required, or would stop every job is recorded as
// attempted and nothing of it is applied: what runs stays as it is.
//
// When the head is the commit applied already, whatever the plan still
// changes is drift (reconciler/drift_corrections.hpp): corrected and
// logged with its reason, or with --no-self-heal only reported.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/apply_output.hpp"
#include "cli/fleet_access.hpp"
#include "cli/job_set.hpp"
#include "cli/locked_state.hpp"
#include "cli/workspace.hpp"
#include "drivers/git_source.hpp"
#include "reconciler/reconcile_metrics.hpp"

namespace skiff::cli {

// What the flags say, for every cycle alike.
struct ReconcileSettings {
  std::string repo;
  std::string ref;
  std::string path;
  std::string cache_dir;   // "": $XDG_CACHE_HOME/skiff
  std::string state_path;  // -state: a local state file, over what skiff.hcl says
  bool prune = false;
  bool allow_empty = false;
  bool self_heal = true;        // false: drift is reported, not corrected
  std::string allowed_signers;  // with --verify-signatures: apply only commits it allows
  bool verify_signatures = false;
  std::string https_token;  // never printed
  VarFlags flags;
  int parallelism = 0;
};

using reconciler::CycleResult;

struct CycleReport {
  CycleResult result = CycleResult::kFailed;
  drivers::GitCommit head;  // empty id when the fetch failed
  std::string error;        // one line, for kFailed and kSkipped
  std::string applied_commit;
  std::string attempted_commit;
  std::string attempted_error;
  // Drift found: action -> how many, and one line each; `corrected` false
  // with --no-self-heal.
  std::map<std::string, int> drift_kinds;
  std::vector<std::string> drift;
  bool drift_corrected = false;
  // The head was the commit applied already: what the plan changed was drift.
  bool drift_commit = false;
  // From the state after the cycle, for the metrics: (job, status) -> count,
  // host status -> count.
  std::map<std::pair<std::string, std::string>, int> allocations;
  std::map<std::string, int> hosts;
  double seconds = 0;
};

// How one run of the cycle goes.
struct CycleControl {
  std::chrono::milliseconds lock_wait{0};  // wait this long for the state lock
  // Checked while waiting for the lock and between an apply's steps: true
  // stops there (SIGTERM to the loop).
  std::function<bool()> stopping;
  // Follow the retry rule (reconciler/reconcile_retry.hpp): a commit that
  // failed is not tried again before its backoff (the loop); --once tries.
  bool respect_backoff = false;
  int64_t next_cycle_unix = 0;  // recorded for `reconcile status`; 0: none
  // Told when a commit not applied before is about to be (its commit
  // status goes pending).
  std::function<void(const drivers::GitCommit&)> applying;
};

// "URL ref REF path PATH", the URL without a user or password (a token
// written into it), for the log, the state and what is sent on.
std::string reconcile_source(const ReconcileSettings& settings);

class ReconcileCycle {
 public:
  // `keep_connections`: SSH connections to the hosts stay open between
  // runs (the loop), as long as the inventory does not change.
  ReconcileCycle(ReconcileSettings settings, bool keep_connections, Context& context);
  ~ReconcileCycle();

  // One cycle; what it does goes to `out`.
  CycleReport run(ApplyOutput& out, const CycleControl& control);

  const ReconcileSettings& settings() const { return settings_; }
  // reconcile_source(settings()).
  std::string source() const;

 private:
  // A commit that loaded, under the state lock.
  struct Commit {
    const Workspace& workspace;
    const JobSet& jobs;
    LockedState& locked;
    const state::ReconcileRecord& before;  // the record as the cycle found it
  };
  CycleResult apply_commit(ApplyOutput& out, const CycleControl& control, const drivers::GitCommit& head, const Commit& commit,
                           CycleReport& report);
  Result<drivers::GitCommit> fetch();
  std::string untrusted_reason(const drivers::GitCommit& head);
  std::optional<Workspace> state_workspace(const std::optional<Workspace>& loaded) const;
  FleetAccess* warm_fleet(const Workspace& workspace, Context& context);

  ReconcileSettings settings_;
  bool keep_connections_;
  Context& context_;
  std::unique_ptr<drivers::GitSource> source_;
  // The last commit that loaded: where its state is, for a commit that
  // cannot say (unsigned, or its skiff.hcl broken).
  std::optional<Workspace> last_workspace_;
  std::optional<FleetAccess> fleet_;
  std::string fleet_key_;
};

}  // namespace skiff::cli
