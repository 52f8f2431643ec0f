// skiff plan against the fleet's real hosts: what runs there (observed in
// one round trip) against job files, through the built binary.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "integration/fleet_fixture.hpp"

using skiff::testing::fleet;
using skiff::testing::run_skiff;
using skiff::testing::ShellResult;
using skiff::testing::TestFleet;

namespace {

void write_job(const TestFleet& f, int count) {
  std::filesystem::create_directories(f.dir() + "/plan-jobs");
  std::ofstream(f.dir() + "/plan-jobs/planweb.nomad.hcl") << R"(
job "planweb" {
  group "web" {
    count = )" << count << R"(
    constraint {
      distinct_hosts = true
    }
    network {
      port "http" {}
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "while :; do sleep 1; done"]
      }
    }
  }
}
)";
}

}  // namespace

TEST_CASE("plan shows what would run where, keeps what already runs, and exits 2 only with changes", "[integration]") {
  TestFleet& f = fleet();
  write_job(f, 2);
  ShellResult fresh = run_skiff(f, "plan -no-color -detailed-exitcode plan-jobs");
  INFO(fresh.output);
  CHECK(fresh.status == 2);
  CHECK_THAT(fresh.output, Catch::Contains("+ Job: \"planweb\" (version 0)"));
  CHECK_THAT(fresh.output, Catch::Contains("Plan: 2 to place, 0 to update in place, 0 to replace, 0 to stop, 0 to migrate."));
  CHECK(std::regex_search(fresh.output, std::regex(R"(\+ planweb\.web\[0\] +on h[0-9]+ +http=[0-9]{5})")));

  // One copy started by hand from the file with count 1: the plan keeps it
  // (same job, same hashes): no changes.
  write_job(f, 1);
  const std::string host = f.hosts()[1].name;
  ShellResult started = run_skiff(f, "debug run-task -host " + host + " plan-jobs/planweb.nomad.hcl");
  REQUIRE(started.status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(started.output, m, std::regex("Allocation ([0-9a-f-]{36})")));
  const std::string id = m[1];
  ShellResult none = run_skiff(f, "plan -no-color -detailed-exitcode plan-jobs");
  INFO(none.output);
  CHECK(none.status == 0);
  // Other tests' leftovers on the fleet are listed as not in the job files; planweb is not.
  CHECK_THAT(none.output, Catch::EndsWith("No changes. The fleet matches the job files.\n"));
  CHECK_THAT(none.output, !Catch::Contains("planweb"));

  // Count 2 again: a new job version; the running copy is updated in place
  // and the second goes to another host (distinct_hosts).
  write_job(f, 2);
  ShellResult json_run = run_skiff(f, "plan -json -out plan-jobs/saved.plan plan-jobs", false);
  INFO(json_run.output);
  REQUIRE(json_run.status == 0);
  nlohmann::json plan = nlohmann::json::parse(json_run.output);
  CHECK(plan["summary"]["place"] == 1);
  CHECK(plan["summary"]["update_in_place"] == 1);
  bool updated = false, placed_elsewhere = false;
  for (const auto& action : plan["actions"]) {
    if (action["alloc_id"] == id)
      updated = action["kind"] == "update_in_place" && action["node"] == host && action["job_version"] == 1;
    if (action["kind"] == "place") placed_elsewhere = action["to_node"] != host && action["index"] == 1;
  }
  CHECK(updated);
  CHECK(placed_elsewhere);
  std::ifstream saved(f.dir() + "/plan-jobs/saved.plan");
  nlohmann::json saved_plan = nlohmann::json::parse(saved);
  CHECK(saved_plan["plan"]["summary"] == plan["summary"]);
  CHECK(saved_plan["job_files"].size() == 1);

  // A host that cannot be reached is named, and counts as down.
  REQUIRE(f.fault("partition", f.hosts()[3].name).ok());
  ShellResult partitioned = run_skiff(f, "plan -no-color plan-jobs");
  REQUIRE(f.fault("heal", f.hosts()[3].name).ok());
  CHECK_THAT(partitioned.output, Catch::Contains("warning: host " + f.hosts()[3].name + " could not be observed"));
  CHECK(partitioned.status == 0);

  CHECK(run_skiff(f, "alloc stop -purge " + id.substr(0, 8)).status == 0);
}
