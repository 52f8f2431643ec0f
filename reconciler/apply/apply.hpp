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
// min_healthy_time, within healthy_deadline. With health_check "checks"
// (Nomad's default) an allocation's service checks (tcp, http, script, of
// the group's and its tasks' services; apply_health.hpp) must also all
// pass, continuously for min_healthy_time; they run on the host itself,
// each no more often than its interval. An allocation without checks, or
// health_check "task_states", is judged by its tasks alone. An unhealthy
// wave fails the deployment: later waves are not started; a check still
// failing at the healthy_deadline is named in the error with its last
// result ("h2: web.web[1] check \"alive\" (http GET /health on port
// 23456): status 500").
//
// Not pure (it runs commands and waits), but all of its I/O goes through
// the Fleet and the functions in ApplyEnvironment, so tests can fake them.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "drivers/host/host_facts.hpp"
#include "drivers/host/observe.hpp"
#include "drivers/transport.hpp"
#include "parser/spec/inventory.hpp"
#include "parser/spec/job.hpp"
#include "reconciler/plan/plan.hpp"

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

// One line of apply's progress, for a person (message) and for CI
// (`apply -json`: the other fields).
struct ApplyEvent {
  std::string type = "progress";  // stopping | updating | starting | progress
  std::string message;
  std::string alloc;  // "web.web[0]"
  std::string alloc_id;
  std::string host;
  std::string reason;

  ApplyEvent(std::string line) : message(std::move(line)) {}  // NOLINT: a plain progress line
  ApplyEvent(std::string type, std::string message, std::string alloc, std::string alloc_id, std::string host, std::string reason)
      : type(std::move(type)),
        message(std::move(message)),
        alloc(std::move(alloc)),
        alloc_id(std::move(alloc_id)),
        host(std::move(host)),
        reason(std::move(reason)) {}
};

struct ApplyEnvironment {
  drivers::Fleet& fleet;
  ApplyRecorder& recorder;
  std::function<void(const ApplyEvent&)> progress;  // one per event
  // A new allocation id and a fresh random marker; both fail when there are
  // no random bytes, and the step that needed one fails with them.
  std::function<Result<std::string>()> new_id;
  std::function<Result<std::string>()> token;
  std::function<int64_t()> now_unix;
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
  // Asked before each wave and while a wave waits for health: true once the
  // user asked apply to stop (SIGINT, SIGTERM). The step in flight
  // finishes; no other starts (ApplyReport::interrupted says where).
  std::function<bool()> interrupted;
  // The lineage of the state the apply records in, written into every new
  // allocation's alloc.json (reconciler/ownership.hpp).
  std::string lineage;
};

struct ApplyReport {
  int started = 0;
  int stopped = 0;
  int updated = 0;
  std::vector<std::string> errors;               // "h3: start web.web[2]: ..."
  std::map<std::string, int> commands_per_host;  // the steps' batches (health observations apart)
  // Rounds of remote commands to a wave's hosts for its health: observing
  // them, and (another command per host) running their due service checks.
  int health_observations = 0;
  // Why apply stopped early at its user's request ("interrupted while wave
  // 0 waited for health"); empty when it was not interrupted.
  std::string interrupted;
  bool ok() const { return errors.empty(); }
};

// REQUIRES: plan computed from `jobs` and from the allocations in `observed`
// (by host and id: an action on a host is built from that host's own
// observation and nothing else); every host an action names is in `hosts`
// unless it is down.
ApplyReport execute_plan(const Plan& plan, const std::vector<spec::Job>& jobs, const std::map<std::string, ApplyHost>& hosts,
                         const drivers::ObservedAllocations& observed, ApplyEnvironment& env);

}  // namespace skiff::reconciler
