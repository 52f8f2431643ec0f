// Deployment health from service checks, end to end: the real skiff binary
// applies a raw_exec task serving HTTP (busybox httpd) on the fleet; its
// http and tcp checks run on the host and gate the deployment, a failing
// one fails it and auto_revert brings the previous version back.
#include <catch2/catch.hpp>

#include "integration/apply_support.hpp"

using namespace skiff::testing;

namespace {

// Version `version` of a job whose task serves `served` (a file name under
// its www folder) and checks /health.
std::string checked_job(const std::string& version, const std::string& served, const std::string& health_check = "checks") {
  return R"(job "chk" {
  group "web" {
    network {
      port "http" {}
    }
    restart {
      attempts = 0
      mode     = "fail"
    }
    update {
      health_check     = ")" +
      health_check + R"("
      min_healthy_time = "1s"
      healthy_deadline = "8s"
      auto_revert      = true
    }
    service {
      name = "web"
      port = "http"
      check {
        name     = "alive"
        type     = "http"
        path     = "/health"
        interval = "1s"
        timeout  = "2s"
      }
      check {
        name     = "port"
        type     = "tcp"
        interval = "1s"
        timeout  = "2s"
      }
    }
    task "httpd" {
      driver = "raw_exec"
      env {
        V = ")" +
      version + R"("
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "mkdir -p www && echo ok > www/)" +
      served + R"( && exec busybox httpd -f -p ${NOMAD_PORT_http} -h www"]
      }
    }
  }
})";
}

std::string current_env(const TestFleet& f) {
  nlohmann::json versions = nlohmann::json::parse(run_skiff(f, "job history -json chk", false).output);
  return versions.back()["spec"]["groups"][0]["tasks"][0]["env"]["V"];
}

// The running allocation of job chk: its host and port from the state.
std::pair<std::string, int> served_at(const nlohmann::json& state) {
  for (const auto& a : state["allocations"])
    if (a["job"] == "chk" && a["status"] == "running" && a["ports"].contains("http"))
      return {a["host"].get<std::string>(), a["ports"]["http"].get<int>()};
  return {"", 0};
}

}  // namespace

TEST_CASE("service checks gate a deployment; a failing check fails it and auto_revert restores the last version",
          "[integration][checks]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "chk-jobs/chk.nomad.hcl", checked_job("1", "health"));
  ShellResult first = run_skiff(f, "apply -auto-approve -no-color chk-jobs");
  INFO(first.output);
  REQUIRE(first.status == 0);
  CHECK_THAT(first.output, Catch::Contains("to be healthy (running with passing checks for 1 s)"));
  CHECK(running_allocations(state_json(f), "chk") == 1);

  // Version 2 runs fine but serves no /health: its tasks run, its tcp
  // check passes, its http check gets 404 until the healthy_deadline.
  write_fleet_file(f, "chk-jobs/chk.nomad.hcl", checked_job("2", "other"));
  ShellResult failed = run_skiff(f, "apply -auto-approve -no-color chk-jobs");
  INFO(failed.output);
  CHECK(failed.status == 1);
  CHECK_THAT(failed.output,
             Catch::Matches(R"([\s\S]*h\d: chk\.web\[0\] check "alive" \(http GET /health on port \d+\): status 404[\s\S]*)"));
  CHECK_THAT(failed.output, Catch::Contains("not every allocation was healthy within the healthy_deadline (8 s)"));
  CHECK_THAT(failed.output, Catch::Contains("auto_revert: rolling job \"chk\" back to its last stable version, 0"));
  CHECK(current_env(f) == "1");
  nlohmann::json state = state_json(f);
  CHECK(running_allocations(state, "chk") == 1);
  CHECK_THAT(run_skiff(f, "deployment status chk").output, Catch::Contains("Job Version = 1\nStatus      = failed"));

  // What runs again serves /health: ask the host itself.
  auto [host, port] = served_at(state);
  REQUIRE_FALSE(host.empty());
  ShellResult served = sh(std::string(SKIFF_SOURCE_DIR) + "/tests/fleet/fleet exec " + host + " --dir '" + f.dir() +
                          "' -- curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + std::to_string(port) + "/health");
  CHECK(served.output.find("200") != std::string::npos);

  // health_check = "task_states" ignores the checks: the same 404 passes.
  write_fleet_file(f, "chk-jobs/chk.nomad.hcl", checked_job("3", "other", "task_states"));
  ShellResult tasks_only = run_skiff(f, "apply -auto-approve -no-color chk-jobs");
  INFO(tasks_only.output);
  CHECK(tasks_only.status == 0);
  CHECK_THAT(tasks_only.output, Catch::Contains("to be healthy (running for 1 s)"));
  CHECK(current_env(f) == "3");
  CHECK(prune_folder(f, "chk-jobs").status == 0);
}
