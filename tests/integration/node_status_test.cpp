// skiff node status through the built binary against the test fleet: the
// fleet's skiff.hcl names its inventory and known_hosts.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "drivers/shell_quote.hpp"
#include "integration/fleet_fixture.hpp"

using skiff::testing::fleet;
using skiff::testing::run_skiff;
using skiff::testing::sh;
using skiff::testing::ShellResult;
using skiff::testing::TestFleet;

TEST_CASE("node status reaches every fleet host in one round trip and reports its facts", "[integration]") {
  TestFleet& f = fleet();
  ShellResult run = run_skiff(f, "node status -json", false);
  INFO(run.output);
  REQUIRE(run.status == 0);
  nlohmann::json report = nlohmann::json::parse(run.output);
  REQUIRE(report["hosts"].size() == f.hosts().size());
  CHECK(report["summary"]["ready"] == f.hosts().size());
  for (size_t i = 0; i < f.hosts().size(); ++i) {
    const nlohmann::json& host = report["hosts"][i];
    CHECK(host["name"] == f.hosts()[i].name);
    CHECK(host["address"] == f.hosts()[i].address);
    CHECK(host["status"] == "ready");
    // Each fleet host has its own UTS namespace named after it: the facts
    // come from that host, not from this machine.
    CHECK(host["facts"]["hostname"] == f.hosts()[i].name);
    CHECK(host["facts"]["kernel_name"] == "linux");
    CHECK(host["facts"]["drivers"]["raw_exec"]["healthy"] == true);
    CHECK(host["facts"]["memory_mb"].get<int64_t>() > 0);
    CHECK(host["resources"]["disk_mb"].get<int64_t>() > 0);
  }

  ShellResult table = run_skiff(f, "node status", false);
  CHECK(table.status == 0);
  CHECK_THAT(table.output, Catch::StartsWith("Name  Address     DC   Class  Status  OS"));
  CHECK_THAT(table.output, Catch::EndsWith("\n" + std::to_string(f.hosts().size()) + " hosts ready.\n"));
}

TEST_CASE("node status names every unreachable host and exits 1", "[integration][fault]") {
  TestFleet& f = fleet();
  const std::string partitioned = f.hosts()[1].name;
  const std::string refusing = f.hosts()[2].name;
  REQUIRE(f.fault("partition", partitioned).ok());
  REQUIRE(f.fault("stop-sshd", refusing).ok());
  ShellResult run = run_skiff(f, "node status", false);
  REQUIRE(f.fault("heal", partitioned).ok());
  REQUIRE(f.fault("start-sshd", refusing).ok());
  INFO(run.output);
  CHECK(run.status == 1);
  CHECK_THAT(
      run.output,
      Catch::Contains(partitioned + ": unreachable: ssh root@" + f.hosts()[1].address + ":22: connect: timed out after 5000 ms"));
  CHECK_THAT(run.output,
             Catch::Contains(refusing + ": unreachable: ssh root@" + f.hosts()[2].address + ":22: connect: connection refused"));
  CHECK_THAT(run.output,
             Catch::EndsWith("\n2 of " + std::to_string(f.hosts().size()) + " hosts unreachable: " + partitioned + ", " +
                             refusing + "\n"));
}
