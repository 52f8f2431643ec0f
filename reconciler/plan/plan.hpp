// Plan: what `skiff plan` shows and `skiff apply` executes. A value made by
// compute_plan (diff.hpp) from the job files, the state and an observation
// of the hosts; rendered by plan_render.hpp (human) and plan_json.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skiff::reconciler {

enum class ActionKind {
  kPlace,          // a new allocation (count raised, new job, missing or dead copy replaced)
  kStop,           // count lowered, job stopped or pruned, unknown skiff allocation, stale copy
  kUpdateInPlace,  // same tasks, new job version (services, count, constraints, ... changed)
  kReplace,        // destructive update: stop the old, place the new (maybe elsewhere)
  kMigrate,        // moved off a draining or no longer feasible host
  kReschedule,     // lost on a down host, or failed: placed again per the reschedule policy
  kIgnore,         // stays as it is
};

// "place", "stop", "update in place", "replace", "migrate", "reschedule", "ignore".
std::string to_string(ActionKind kind);

// One allocation's fate.
struct Action {
  ActionKind kind = ActionKind::kIgnore;
  std::string job;
  std::string group;
  int index = 0;
  std::string alloc_id;              // the existing allocation; empty for kPlace
  std::string node;                  // where the existing one runs; empty for kPlace
  std::string to_node;               // where the new one goes (place, replace, migrate, reschedule)
  std::map<std::string, int> ports;  // the new one's: label -> host port
  uint64_t job_version = 0;          // of the new or updated allocation
  std::string reason;                // why, in words: "count 3 -> 2", "task \"web\": config changed", ...
  int wave = 0;                      // rolling order of replacements: canaries 0, then 1, 2, ... by update.max_parallel
  bool canary = false;

  // "web.frontend[0]"
  std::string name() const { return job + "." + group + "[" + std::to_string(index) + "]"; }

  bool operator==(const Action&) const = default;
};

enum class DiffType { kNone, kAdded, kDeleted, kEdited };

// One field of a job that differs between the running version and the job
// file, with Nomad's annotation of what the change forces.
struct FieldDiff {
  DiffType type = DiffType::kEdited;
  std::string path;       // "group.web.task.app.config.image", "group.web.count"
  std::string old_value;  // JSON text; empty when added
  std::string new_value;  // JSON text; empty when deleted
  // "forces create/destroy update", "forces in-place update", "forces create",
  // "forces destroy", or empty.
  std::string annotation;

  bool operator==(const FieldDiff&) const = default;
};

struct GroupSummary {
  std::string name;
  std::map<ActionKind, int> counts;  // allocations per action
  int canaries = 0;
  int desired = 0;  // the group's count (or feasible hosts for system jobs)

  bool operator==(const GroupSummary&) const = default;
};

// Why some allocations of a group could not be placed (PlacementFailure::messages()).
struct GroupFailure {
  std::string group;
  int unplaced = 0;
  std::vector<std::string> messages;  // `Dimension "memory" exhausted on 3 hosts`, ...

  bool operator==(const GroupFailure&) const = default;
};

struct JobPlan {
  std::string job;
  std::string type;                   // service | batch | system | sysbatch
  DiffType change = DiffType::kNone;  // added: a new job; deleted: stopped (pruned); edited
  uint64_t version = 0;               // the version the plan applies (new when the spec changed)
  std::optional<uint64_t> previous_version;
  std::vector<FieldDiff> fields;  // empty when the previous spec is unknown
  std::vector<GroupSummary> groups;
  std::vector<GroupFailure> failures;
  std::optional<int64_t> next_periodic_launch_unix;  // periodic jobs
  std::string note;                                  // e.g. "removed from the job files; not stopped without -prune"

  bool operator==(const JobPlan&) const = default;
};

// A job whose last deployment, of the version the plan keeps, failed. As
// in Nomad, nothing of it changes until its job file does; `apply
// -retry-failed` rolls that version out again.
struct FailedDeployment {
  std::string job;
  std::string deployment_id;
  uint64_t version = 0;
  std::string description;             // why it failed
  std::vector<std::string> unhealthy;  // "web.g[0] (1a2b3c4d) on h1: unhealthy"

  bool operator==(const FailedDeployment&) const = default;
};

struct PlanSummary {
  int place = 0;  // kPlace and kReschedule
  int update_in_place = 0;
  int replace = 0;
  int stop = 0;
  int migrate = 0;
  int unplaced = 0;  // allocations that fit nowhere (not a change, but a failure)

  bool has_changes() const { return place + update_in_place + replace + stop + migrate > 0; }
  bool operator==(const PlanSummary&) const = default;
};

struct Plan {
  std::vector<JobPlan> jobs;                         // by job id
  std::vector<Action> actions;                       // by job, group, index; kIgnore included
  std::vector<std::string> drift;                    // ClusterSnapshot::drift: shown, not acted on
  std::vector<FailedDeployment> failed_deployments;  // from the state (state_snapshot.hpp)
  PlanSummary summary;
  uint64_t state_serial = 0;    // of the state it was computed from (0: none)
  std::string observed_digest;  // of the observation it was computed from
  // observed_host_digests: host -> digest of its node and allocations
  // (empty in a plan saved before they were kept).
  std::map<std::string, std::string> host_digests;
  uint64_t seed = 0;
  int64_t computed_unix = 0;

  // Field by field, so a plan read back from its JSON can be checked whole.
  bool operator==(const Plan&) const = default;
};

// Counts the actions (unplaced is left 0: failures are not actions).
PlanSummary summarize(const std::vector<Action>& actions);

// Whether applying the plan changes anything: an allocation
// (summary.has_changes()) or a job's spec alone, as when a periodic job's
// schedule is edited and the new version must still be recorded.
bool has_changes(const Plan& plan);

}  // namespace skiff::reconciler
