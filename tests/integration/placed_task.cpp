#include "placed_task.hpp"

#include <catch2/catch.hpp>
#include <thread>

#include "drivers/host/fingerprint.hpp"
#include "drivers/task/task_driver.hpp"

namespace skiff::testing {

PlacedTask::PlacedTask(TestFleet& f, size_t i, const std::string& hcl, std::vector<drivers::AssignedPort> ports)
    : job(job_from(hcl)) {
  const FleetHost& fh = f.hosts()[i];
  host.name = fh.name;
  host.address = fh.address;
  host.meta = {{"rack", "r1"}};
  pool.add_host(f.target(i));
  auto fingerprint = drivers::parse_fingerprint(run(drivers::fingerprint_command("/var/lib/skiff")).stdout_data);
  if (!fingerprint.ok()) FAIL(fingerprint.error().message);
  facts = *fingerprint;
  Result<std::string> id = drivers::new_allocation_id();
  if (!id.ok()) FAIL(id.error().message);
  allocation.id = *id;
  allocation.job = job.id;
  allocation.group = job.groups.at(0).name;
  allocation.job_type = spec::to_string(job.type);
  allocation.host = fh.name;
  allocation.host_address = fh.address;
  allocation.ports = std::move(ports);
}

drivers::TaskContext PlacedTask::context() const {
  return drivers::TaskContext{job, job.groups.at(0), task(), allocation, host, facts};
}

drivers::CommandResult PlacedTask::run(const drivers::Command& command) {
  auto r = pool.run_all({drivers::HostCommand{host.name, command}});
  if (!r[0].ok()) FAIL(r[0].error().message);
  return *r[0];
}

void PlacedTask::start() {
  auto driver = drivers::driver_for(task());
  if (!driver.ok()) FAIL(driver.error().message);
  auto command = (*driver)->start(context());
  if (!command.ok()) FAIL(command.error().message);
  drivers::CommandResult r = run(*command);
  INFO(r.stderr_data);
  REQUIRE(r.exit_status == 0);
}

drivers::ObservedTask PlacedTask::observe() {
  auto observation = drivers::parse_observation(run(drivers::observe_command(allocation.data_dir)).stdout_data);
  if (!observation.ok()) FAIL(observation.error().message);
  for (const auto& a : observation->allocations)
    if (a.allocation.id == allocation.id) return a.tasks.at(task().name);
  FAIL("allocation " << allocation.id << " not observed");
  return {};
}

drivers::ObservedTask PlacedTask::await(const std::string& state, std::chrono::seconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  drivers::ObservedTask t = observe();
  while (drivers::to_string(t.state) != state && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    t = observe();
  }
  return t;
}

}  // namespace skiff::testing
