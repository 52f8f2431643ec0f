// Nomad's documented defaults that depend on the job type.
#include "parser/job_decode.hpp"

namespace skiff::spec {

std::string to_string(JobType type) {
  switch (type) {
    case JobType::kService: return "service";
    case JobType::kBatch: return "batch";
    case JobType::kSystem: return "system";
    case JobType::kSysbatch: return "sysbatch";
  }
  return "service";
}

std::string to_string(LifecycleHook hook) {
  switch (hook) {
    case LifecycleHook::kPrestart: return "prestart";
    case LifecycleHook::kPoststart: return "poststart";
    case LifecycleHook::kPoststop: return "poststop";
  }
  return "prestart";
}

}  // namespace skiff::spec

namespace skiff::parser::detail {

// service/system: 2 attempts in 30m, 15s apart; batch/sysbatch: 3 in 24h.
spec::RestartPolicy default_restart(spec::JobType type) {
  spec::RestartPolicy policy;
  if (type == spec::JobType::kBatch || type == spec::JobType::kSysbatch) {
    policy.attempts = 3;
    policy.interval = spec::Duration::hours(24);
  }
  return policy;
}

// service: unlimited, 30s exponential up to 1h; batch: once in 24h after 5s,
// constant; system and sysbatch jobs are never rescheduled.
std::optional<spec::ReschedulePolicy> default_reschedule(spec::JobType type) {
  spec::ReschedulePolicy policy;
  switch (type) {
    case spec::JobType::kService: return policy;
    case spec::JobType::kBatch:
      policy.attempts = 1;
      policy.interval = spec::Duration::hours(24);
      policy.delay = spec::Duration::seconds(5);
      policy.delay_function = spec::DelayFunction::kConstant;
      policy.unlimited = false;
      return policy;
    default: return std::nullopt;
  }
}

}  // namespace skiff::parser::detail
