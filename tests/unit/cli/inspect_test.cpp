// skiff inspect and skiff hcl2json through the built binary.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "unit/cli/run_skiff.hpp"

using skiff::testing::Run;
using skiff::testing::run_skiff;
using skiff::testing::run_skiff_in;
using skiff::testing::ScratchDir;
using skiff::testing::Stderr;

TEST_CASE("inspect prints the defaulted job as JSON and honours -var", "[cli]") {
  Run run = run_skiff("inspect -var interval=9 examples/hello.nomad.hcl");
  REQUIRE(run.exit_code == 0);
  nlohmann::json job = nlohmann::json::parse(run.out);
  CHECK(job["id"] == "hello");
  CHECK(job["priority"] == 50);
  const auto& group = job["groups"][0];
  CHECK(group["update"]["min_healthy_time"] == "10s");
  CHECK(group["restart"]["mode"] == "delay");
  CHECK(group["reschedule"]["delay_function"] == "exponential");
  const auto& task = group["tasks"][0];
  CHECK(task["config"]["args"][1].get<std::string>().find("sleep 9;") != std::string::npos);
  CHECK(task["env"]["GREETING"] == "hello from ${NOMAD_JOB_NAME}");
  CHECK(task["resources"]["memory_mb"] == 16);
}

TEST_CASE("inspect reads -var-file and NOMAD_VAR_; -var wins over both", "[cli]") {
  ScratchDir dir;
  dir.write("job.nomad.hcl",
            "variable \"n\" {\n  type = number\n}\n"
            "job \"j\" {\n  group \"g\" {\n    count = var.n\n    task \"t\" {\n      driver = \"raw_exec\"\n"
            "      config {\n        command = \"true\"\n      }\n    }\n  }\n}\n");
  dir.write("prod.vars.hcl", "n = 3\n");
  auto count = [&](const std::string& args) {
    Run run = run_skiff_in(dir.path(), args);
    REQUIRE(run.exit_code == 0);
    return nlohmann::json::parse(run.out)["groups"][0]["count"].get<int>();
  };
  CHECK(count("inspect -var-file prod.vars.hcl job.nomad.hcl") == 3);
  CHECK(count("inspect -var-file=prod.vars.hcl -var n=5 job.nomad.hcl") == 5);
  // The child inherits this process's environment.
  setenv("NOMAD_VAR_n", "7", 1);
  CHECK(count("inspect job.nomad.hcl") == 7);
  CHECK(count("inspect -var n=8 job.nomad.hcl") == 8);
  unsetenv("NOMAD_VAR_n");
}

TEST_CASE("inspect of an invalid or missing file exits 1 with the reason on stderr", "[cli]") {
  Run invalid = run_skiff("inspect tests/data/diagnostics/48-several-problems.hcl", Stderr::kMerge);
  CHECK(invalid.exit_code == 1);
  CHECK_THAT(invalid.out, Catch::StartsWith("tests/data/diagnostics/48-several-problems.hcl:2:3: error: unknown attribute"));
  Run missing = run_skiff("inspect examples/nope.nomad.hcl", Stderr::kMerge);
  CHECK(missing.exit_code == 1);
  CHECK(missing.out == "error: examples/nope.nomad.hcl: cannot be read (no such file, or no permission)\n");
  Run bad_var = run_skiff("inspect -var interval examples/hello.nomad.hcl", Stderr::kMerge);
  CHECK(bad_var.exit_code == 1);
  CHECK(bad_var.out == "error: -var \"interval\": expected NAME=VALUE\n");
}

TEST_CASE("hcl2json nests blocks by type and labels", "[cli]") {
  Run run = run_skiff("hcl2json examples/hosts.hcl");
  REQUIRE(run.exit_code == 0);
  nlohmann::json body = nlohmann::json::parse(run.out);
  CHECK(body["host"]["db-1"][0]["host_volume"]["mysql-data"][0]["path"] == "/srv/mysql");
  CHECK(body["host"]["db-1"][0]["resources"][0]["memory"] == 8192);
  CHECK(body["defaults"][0]["port"] == 22);
}

TEST_CASE("hcl2json evaluates variables and keeps runtime interpolations", "[cli]") {
  Run run = run_skiff("hcl2json -var interval=2 examples/hello.nomad.hcl");
  REQUIRE(run.exit_code == 0);
  nlohmann::json body = nlohmann::json::parse(run.out);
  const auto& task = body["job"]["hello"][0]["group"]["hello"][0]["task"]["heartbeat"][0];
  CHECK_THAT(task["config"][0]["args"][1].get<std::string>(),
             Catch::Contains("sleep 2; done") && Catch::Contains("${NOMAD_ALLOC_ID}"));
  CHECK(task["resources"][0]["cpu"].dump() == "20");
  CHECK(body["variable"]["interval"][0]["default"] == 5);
}
