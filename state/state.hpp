// The State: what skiff has applied and what it believes runs where. One
// JSON document (state_json.hpp) kept by a StateStore (store.hpp) under an
// exclusive lock (lock.hpp), so that a laptop, a CI job and a bastion can
// share one fleet. The hosts remain the truth about what runs; the state
// adds what they cannot say: job version history (full specs, who applied
// them, from where), deployments and their health, hosts' drain and
// eligibility, and when a host was last seen.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace skiff::state {

inline constexpr int kStateFormatVersion = 1;

// One applied version of a job.
struct JobVersion {
  uint64_t version = 0;
  nlohmann::json spec;     // parser::job_to_json of the evaluated job
  std::string spec_hash;   // reconciler::job_spec_hash(spec)
  std::string source;      // a job file path, or "git:<commit>:<path>"
  std::string applied_by;  // user@host
  int64_t applied_unix = 0;
  bool stable = false;   // its deployment succeeded (auto_revert goes back to the last stable one)
  bool stopped = false;  // `skiff job stop`: the version that asked for no allocations

  bool operator==(const JobVersion&) const = default;
};

struct JobRecord {
  std::string id;
  std::string type;                  // service | batch | system | sysbatch
  std::vector<JobVersion> versions;  // oldest first; the last is the current one
  int64_t last_periodic_launch_unix = 0;

  bool operator==(const JobRecord&) const = default;
};

struct AllocationRecord {
  std::string id;
  std::string job;
  std::string group;
  int index = 0;
  std::string host;
  uint64_t job_version = 0;
  // pending | running | complete | failed | lost | stopped
  std::string status = "pending";
  std::string status_reason;
  // unknown | healthy | unhealthy (deployment health)
  std::string health = "unknown";
  std::map<std::string, int> ports;
  std::map<std::string, std::string> task_spec_hashes;
  std::string job_spec_hash;
  int64_t cpu_mhz = 0;
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
  std::string deployment;  // id, or empty
  bool canary = false;
  int64_t created_unix = 0;
  int64_t modified_unix = 0;
  // Rescheduled (its slot's previous copy was lost or failed): that copy's id.
  std::string previous_allocation;
  // When this allocation's chain was rescheduled after failures (not after
  // a lost host), oldest first: the reschedule policy's attempts and delay.
  std::vector<int64_t> reschedules_unix;

  bool operator==(const AllocationRecord&) const = default;
};

struct DeploymentGroup {
  int desired = 0;
  int placed = 0;
  int healthy = 0;
  int unhealthy = 0;
  int desired_canaries = 0;
  std::vector<std::string> canaries;  // allocation ids
  bool promoted = false;
  bool auto_revert = false;

  bool operator==(const DeploymentGroup&) const = default;
};

struct Deployment {
  std::string id;
  std::string job;
  uint64_t job_version = 0;
  // running (also while canaries wait for promotion) | paused (read, never written) | successful | failed | cancelled
  std::string status = "running";
  std::string description;
  std::map<std::string, DeploymentGroup> groups;
  int64_t created_unix = 0;
  int64_t modified_unix = 0;

  bool operator==(const Deployment&) const = default;
};

struct HostRecord {
  bool eligible = true;
  bool draining = false;
  std::optional<int64_t> drain_deadline_unix;
  int64_t last_seen_unix = 0;
  // Since when it cannot be reached (set by the first observation that
  // failed, cleared by one that succeeds); it is down once skiff.hcl's
  // fleet.down_after has passed since.
  std::optional<int64_t> down_since_unix;

  bool operator==(const HostRecord&) const = default;
};

// What `skiff reconcile` did last, as Flux records lastAppliedRevision and
// lastAttemptedRevision: the source it follows, the last commit it applied,
// and the last it tried, with why that failed.
struct ReconcileRecord {
  static constexpr size_t kMaxDriftLines = 50;

  std::string source;          // "URL ref REF path PATH", as reconcile was given them
  std::string applied_commit;  // empty: none yet
  int64_t applied_unix = 0;
  std::string attempted_commit;
  std::string attempted_error;  // empty: the attempt succeeded
  int64_t attempted_unix = 0;
  int attempted_failures = 0;  // failed tries of attempted_commit in a row
  int64_t cycle_unix = 0;      // when the last cycle ended, whatever it did
  int64_t cycle_ms = 0;        // how long it took
  // What the last cycle found running otherwise than the applied commit
  // says, one line each ("web.app[1] on node-2: place (lost copy
  // replaced)"), corrected unless --no-self-heal; at most kMaxDriftLines.
  std::vector<std::string> drift;
  bool drift_corrected = false;
  int64_t next_cycle_unix = 0;  // a --watch loop's next cycle; 0: no loop runs
  // `skiff reconcile suspend`: cycles fetch and report, and apply nothing.
  bool suspended = false;
  std::string suspended_reason;
  int64_t suspended_unix = 0;

  bool operator==(const ReconcileRecord&) const = default;
};

struct State {
  int format_version = kStateFormatVersion;
  std::string lineage;  // a UUID made when the state is first written; never changes
  uint64_t serial = 0;  // grows by one with every write
  std::map<std::string, JobRecord> jobs;
  std::vector<AllocationRecord> allocations;
  std::vector<Deployment> deployments;
  std::map<std::string, HostRecord> hosts;
  std::optional<ReconcileRecord> reconcile;  // written once reconcile has run

  bool operator==(const State&) const = default;

  // The job's current version, or null.
  const JobVersion* current(const std::string& job) const;
  // The allocation with this id, or null.
  AllocationRecord* allocation(const std::string& id);
  const AllocationRecord* allocation(const std::string& id) const;
};

}  // namespace skiff::state
