// One task of a job (from HCL text) placed on a fleet host, with the pool
// that reaches the host: start it through the task's driver, observe it,
// wait for a state. Shared by the driver tests.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "drivers/host/observe.hpp"
#include "drivers/ssh/ssh_pool.hpp"
#include "drivers/task/task_env.hpp"
#include "fleet_fixture.hpp"
#include "support/job_from_hcl.hpp"

namespace skiff::testing {

struct PlacedTask {
  spec::Job job;
  spec::Host host;           // meta { rack = "r1" }
  drivers::HostFacts facts;  // the host's, fingerprinted
  drivers::Allocation allocation;
  drivers::SshPool pool;

  // The first task of the job's first group on fleet host `i`, a fresh
  // allocation id, `ports` assigned.
  PlacedTask(TestFleet& f, size_t i, const std::string& hcl, std::vector<drivers::AssignedPort> ports);

  const spec::Task& task() const { return job.groups.at(0).tasks.at(0); }
  drivers::TaskContext context() const;
  // Runs `command` on the host; the calling test fails when it cannot.
  drivers::CommandResult run(const drivers::Command& command);
  // Starts the task through its driver; fails the test unless it starts.
  void start();
  drivers::ObservedTask observe();
  // Observes until the task is in `state`, or `within` passes.
  drivers::ObservedTask await(const std::string& state, std::chrono::seconds within);
};

}  // namespace skiff::testing
