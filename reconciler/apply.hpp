// The apply executor: carries out a Plan on the hosts, wave by wave, with
// one batched remote command per host per step (drivers/batch.hpp), and
// reports every allocation's outcome to an ApplyRecorder as it happens so
// that the state file tells the truth even when apply stops midway.
//
// Order: first the stops, in-place updates, new placements and reschedules
// (and wave-0 replacements: canaries); then each later wave of
// replacements and migrations: stop the old copies, start the new ones.
// A step that starts allocations of a group with an `update` (or `migrate`)
// policy is gated on health before the next wave: every task running for
// min_healthy_time, within healthy_deadline (health_check "task_states";
// "checks" is judged the same way until service checks are run). An
// unhealthy wave fails the deployment: later waves are not started.
//
// Not pure (it runs commands and waits), but all of its I/O goes through
// the Fleet and the functions in ApplyEnvironment, so tests can fake them.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "drivers/host_facts.hpp"
#include "drivers/observe.hpp"
#include "drivers/transport.hpp"
#include "parser/spec/inventory.hpp"
#include "parser/spec/job.hpp"
#include "reconciler/plan.hpp"

namespace skiff::reconciler {

// A host as apply needs it: how to reach it and what it is.
struct ApplyHost {
  spec::Host host;
  drivers::HostFacts facts;
};

enum class RecordedStatus { kPending, kRunning, kFailed, kStopped, kLost };
std::string to_string(RecordedStatus status);

// What apply tells the state as it goes.
class ApplyRecorder {
 public:
  virtual ~ApplyRecorder() = default;
  // An allocation started, updated in place, or found failed or healthy.
  virtual void allocation(const drivers::Allocation& allocation, RecordedStatus status, const std::string& reason) = 0;
  // An allocation passed its wave's health gate.
  virtual void healthy(const std::string& alloc_id) = 0;
  // An allocation stopped (and removed from its host) or lost.
  virtual void ended(const std::string& alloc_id, RecordedStatus status, const std::string& reason) = 0;
  // The end of a step: what was reported so far must be saved now.
  virtual Status step_done() = 0;
};

struct ApplyEnvironment {
  drivers::Fleet& fleet;
  ApplyRecorder& recorder;
  std::function<void(const std::string&)> progress;  // one line per event
  std::function<std::string()> new_id;               // a new allocation id
  std::function<std::string()> token;                // a fresh random marker
  std::function<int64_t()> now_unix;
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
};

struct ApplyReport {
  int started = 0;
  int stopped = 0;
  int updated = 0;
  std::vector<std::string> errors;            // "h3: start web.web[2]: ..."
  std::map<std::string, int> commands_per_host;  // the steps' batches (health observations apart)
  int health_observations = 0;                   // rounds of observing the hosts of a wave
  bool ok() const { return errors.empty(); }
};

// REQUIRES: plan computed from `jobs` and from the allocations in `observed`
// (by id); every host an action names is in `hosts` unless it is down.
ApplyReport execute_plan(const Plan& plan, const std::vector<spec::Job>& jobs, const std::map<std::string, ApplyHost>& hosts,
                         const std::map<std::string, drivers::ObservedAllocation>& observed, ApplyEnvironment& env);

}  // namespace skiff::reconciler
