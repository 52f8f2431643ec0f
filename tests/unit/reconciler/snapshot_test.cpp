// The fleet as the scheduler sees it, from what hosts reported: nodes from
// the inventory and facts, allocations from observation.
#include <catch2/catch.hpp>

#include "reconciler/snapshot.hpp"

using namespace skiff;
using reconciler::NodeStatus;

namespace {

spec::Host inventory_host() {
  spec::Host host;
  host.name = "web-1";
  host.address = "10.0.0.5";
  host.datacenter = "eu";
  host.node_class = "big";
  host.node_pool = "prod";
  host.meta = {{"rack", "r1"}};
  host.host_volumes.push_back(spec::HostVolume{"data", "/srv/data"});
  return host;
}

drivers::HostFacts facts() {
  drivers::HostFacts f;
  f.hostname = "web-1.example";
  f.kernel_name = "linux";
  f.arch = "amd64";
  f.os_name = "debian";
  f.os_version = "12";
  f.cores = 4;
  f.cpu_mhz = 2000;
  f.memory_mb = 8192;
  f.disk_free_mb = 50000;
  f.drivers["raw_exec"] = {true, true, "", ""};
  f.drivers["podman"] = {true, true, "4.3.1", ""};
  f.drivers["java"] = {true, false, "", "no JVM"};
  return f;
}

}  // namespace

TEST_CASE("node_from: the inventory's place, the facts as attributes, healthy drivers, capacity", "[snapshot]") {
  const reconciler::Node node = reconciler::node_from(inventory_host(), facts());
  CHECK(node.name == "web-1");
  CHECK(node.datacenter == "eu");
  CHECK(node.node_class == "big");
  CHECK(node.node_pool == "prod");
  CHECK(node.meta.at("rack") == "r1");
  CHECK(node.host_volumes == std::set<std::string>{"data"});
  CHECK(node.status == NodeStatus::kReady);

  CHECK(node.attributes.at("kernel.name") == "linux");
  CHECK(node.attributes.at("cpu.arch") == "amd64");
  CHECK(node.attributes.at("unique.hostname") == "web-1.example");
  CHECK(node.attributes.at("unique.network.ip-address") == "10.0.0.5");
  CHECK(node.attributes.at("cpu.numcores") == "4");
  CHECK(node.attributes.at("cpu.totalcompute") == "8000");
  CHECK(node.attributes.at("memory.totalbytes") == std::to_string(8192LL * 1024 * 1024));
  CHECK(node.attributes.count("kernel.version") == 0);  // not reported: not set

  // podman serves the docker driver; an unhealthy java is no driver at all.
  CHECK(node.drivers == std::set<std::string>{"docker", "raw_exec"});
  CHECK(node.attributes.at("driver.podman") == "1");
  CHECK(node.attributes.at("driver.podman.version") == "4.3.1");
  CHECK(node.attributes.count("driver.java") == 0);

  CHECK(node.capacity.cores == 4);
  CHECK(node.capacity.cpu_mhz == 8000);
  CHECK(node.capacity.memory_mb == 8192);
  CHECK(node.capacity.disk_mb == 50000);
}

TEST_CASE("node_from: the inventory's resources win over the facts; a local host has no address", "[snapshot]") {
  spec::Host host = inventory_host();
  host.transport = spec::Transport::kLocal;
  host.resources.memory_mb = 1024;
  const reconciler::Node node = reconciler::node_from(host, facts());
  CHECK(node.capacity.memory_mb == 1024);
  CHECK(node.capacity.cpu_mhz == 8000);
  CHECK(node.attributes.count("unique.network.ip-address") == 0);
}

TEST_CASE("unreachable_node: down, with the inventory's place and nothing else", "[snapshot]") {
  const reconciler::Node node = reconciler::unreachable_node(inventory_host());
  CHECK(node.status == NodeStatus::kDown);
  CHECK(node.datacenter == "eu");
  CHECK(node.drivers.empty());
  CHECK(node.attributes.empty());
  CHECK(node.capacity.memory_mb == 0);
}

namespace {

drivers::ObservedTask task(drivers::TaskState state, std::optional<int> exit_code = std::nullopt, std::string reason = "",
                           std::optional<int64_t> since = std::nullopt) {
  drivers::ObservedTask t;
  t.state = state;
  t.exit_code = exit_code;
  t.reason = std::move(reason);
  t.since_unix = since;
  return t;
}

drivers::ObservedAllocation observed(std::map<std::string, drivers::ObservedTask> tasks) {
  drivers::ObservedAllocation o;
  o.allocation.id = "0186a1b2-0000-4000-8000-000000000001";
  o.allocation.job = "web";
  o.allocation.group = "g";
  o.allocation.index = 2;
  o.allocation.job_version = 7;
  o.allocation.cpu_mhz = 300;
  o.allocation.memory_mb = 128;
  o.allocation.ports.push_back(drivers::AssignedPort{"http", 25000, 8080});
  o.allocation.task_spec_hashes = {{"app", "sha256:a"}};
  o.allocation.job_spec_hash = "sha256:job";
  o.tasks = std::move(tasks);
  return o;
}

}  // namespace

TEST_CASE("existing_from: the allocation's identity, resources and ports as its host reported them", "[snapshot]") {
  using drivers::TaskState;
  const reconciler::ExistingAllocation e = reconciler::existing_from(observed({{"app", task(TaskState::kRunning)}}), "web-1");
  CHECK(e.id == "0186a1b2-0000-4000-8000-000000000001");
  CHECK(e.node == "web-1");
  CHECK(e.job == "web");
  CHECK(e.group == "g");
  CHECK(e.index == 2);
  CHECK(e.job_version == 7);
  CHECK(e.status == reconciler::AllocationStatus::kRunning);
  CHECK(e.resources.cpu_mhz == 300);
  CHECK(e.resources.memory_mb == 128);
  CHECK(e.ports.at("http") == 25000);
  CHECK(e.task_spec_hashes.at("app") == "sha256:a");
  CHECK(e.job_spec_hash == "sha256:job");
}

TEST_CASE("existing_from: one status from every task's state, and why it ended badly", "[snapshot]") {
  using drivers::TaskState;
  using reconciler::AllocationStatus;
  auto status_of = [](std::map<std::string, drivers::ObservedTask> tasks) {
    return reconciler::existing_from(observed(std::move(tasks)), "h");
  };
  CHECK(status_of({{"a", task(TaskState::kRunning)}, {"b", task(TaskState::kDead, 0, "exited")}}).status ==
        AllocationStatus::kRunning);
  CHECK(status_of({{"a", task(TaskState::kRestarting)}}).status == AllocationStatus::kRunning);
  CHECK(status_of({{"a", task(TaskState::kDead, 0, "exited")}}).status == AllocationStatus::kComplete);
  CHECK(status_of({{"a", task(TaskState::kDead, 137, "stopped")}}).status == AllocationStatus::kComplete);
  CHECK(status_of({{"a", task(TaskState::kUnknown)}}).status == AllocationStatus::kPending);
  CHECK(status_of({}).status == AllocationStatus::kPending);

  const auto lost =
      status_of({{"a", task(TaskState::kRunning)}, {"b", task(TaskState::kLost, std::nullopt, "the supervisor is gone")}});
  CHECK(lost.status == AllocationStatus::kLost);
  CHECK(lost.reason == "task \"b\": the supervisor is gone");

  const auto failed = status_of({{"a", task(TaskState::kDead, 3, "exited with status 3", 100)},
                                 {"b", task(TaskState::kDead, 0, "exited", 250)},
                                 {"c", task(TaskState::kRunning)}});
  CHECK(failed.status == AllocationStatus::kFailed);
  CHECK(failed.reason == "task \"a\": exited with status 3");
  CHECK(failed.failed_unix == 250);  // the last of its tasks' ends
}
