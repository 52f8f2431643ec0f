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
