// From a job's `service { check {} }` blocks to the checks one allocation's
// host runs (health_checks.hpp): port labels become the allocation's host
// ports, script checks get their task's environment and folder (or the
// container's `exec`), and Nomad's defaults fill what the file leaves out.
// Pure: values in, values out.
//
// Where a check connects: the allocation's host address (NOMAD_IP_<label>,
// the address Nomad registers the service with), or 127.0.0.1 when it has
// none; a container's published port is reached there too. grpc checks
// are not run (an error says so); checks with on_update = "ignore" are
// left out, since they never count for a deployment.
#pragma once

#include <vector>

#include "base/result.hpp"
#include "drivers/host/health_checks.hpp"
#include "drivers/task/task_env.hpp"

namespace skiff::drivers {

// Where the allocation runs and what it runs.
struct CheckedAllocation {
  const spec::Job& job;
  const spec::Group& group;
  const Allocation& allocation;
  const spec::Host& host;
  const HostFacts& facts;
};

// Every check of the group's services and of its tasks' services, in that
// order. Fails, naming the service and the check, for a port label the
// allocation lacks, a script check whose task is unknown or ambiguous, a
// container task on a host without docker or podman, or a grpc check.
Result<std::vector<HealthCheck>> allocation_health_checks(const CheckedAllocation& allocation);

// Nomad's names when the file gives none: "<job>-<group>" for a group's
// service, "<job>-<group>-<task>" for a task's, and
// `service: "<service>" check` for a check.
std::string default_service_name(const spec::Job& job, const spec::Group& group, const spec::Task* task);
std::string default_check_name(const std::string& service);

}  // namespace skiff::drivers
