// Internal to the apply executor (apply.cpp): a wave's health from the
// service checks of its allocations (health_check = "checks"), as Nomad's
// deployment watcher judges it. Each round runs, on each host, the checks
// that are due (never a check more often than its interval) in one command
// (drivers/health_checks.hpp) and keeps each check's last result.
//
// An allocation with checks passes when its last result of every check is
// passing (or warning, for on_update = "ignore_warnings"); the executor
// adds min_healthy_time on top, counted from the round everything passed.
// A check the host has no tool for can never pass: the verdict says
// kBroken at once rather than waiting out the healthy_deadline.
//
// Not thread-safe; one per health gate.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "drivers/host/health_checks.hpp"
#include "reconciler/apply/apply.hpp"

namespace skiff::reconciler::apply_detail {

class CheckGate {
 public:
  using Clock = std::chrono::steady_clock;

  // Resolves the checks of `allocation` (drivers/health_check_targets.hpp);
  // an allocation without any is judged by its tasks alone. Fails, naming
  // the host, the allocation and the check, when one cannot be run.
  Status add(const drivers::Allocation& allocation, const spec::Job& job, const spec::Group& group, const ApplyHost& host);

  bool has_checks(const std::string& alloc_id) const { return checks_.count(alloc_id) > 0; }

  // Runs the due checks of the allocations in `running` (whose tasks all
  // run), one command per host. Returns how many hosts got one.
  int run_due(drivers::Fleet& fleet, const std::set<std::string>& running, Clock::time_point now);

  enum class Verdict { kPassing, kPending, kBroken };
  Verdict verdict(const std::string& alloc_id) const;

  // "h2: web.web[1] check \"alive\" (http GET /health on port 23456): status 500"
  // for the allocation's first check that does not pass (or has not run);
  // "" when every check passes.
  std::string failure(const std::string& alloc_id) const;

  // Where every check of the allocation stands, for progress lines:
  // `check "alive" passing, check "port" failing: connection refused`,
  // `check "alive" not run yet`; "" when it has no checks.
  std::string summary(const std::string& alloc_id) const;

 private:
  struct Tracked {
    drivers::HealthCheck check;
    std::optional<Clock::time_point> last_run;
    std::optional<drivers::CheckStatus> last_status;
    std::string last_detail;
  };
  bool passes(const Tracked& t) const;

  std::map<std::string, std::vector<Tracked>> checks_;      // by allocation id
  std::map<std::string, drivers::Allocation> allocations_;  // by id
};

}  // namespace skiff::reconciler::apply_detail
