// The built binary, run as a user runs it: exit codes, stdout and stderr.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace {

struct Run {
  int exit_code;
  std::string out;
};

// Runs skiff with `args` (already shell-quoted where needed); stderr joins
// stdout when `merge_stderr`.
Run skiff(const std::string& args, bool merge_stderr = false) {
  std::string command = std::string("cd ") + SKIFF_SOURCE_DIR + " && " + SKIFF_BINARY + " " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  int status = pclose(pipe);
  return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

TEST_CASE("validate accepts every example and exits 0", "[cli]") {
  Run run = skiff("validate examples/");
  CHECK(run.exit_code == 0);
  CHECK(run.out == "Success! 7 job files are valid.\n");
}

TEST_CASE("validate reports every problem with file, line and caret, and exits 1", "[cli]") {
  Run run = skiff("validate tests/data/diagnostics/48-several-problems.hcl", true);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::Contains("tests/data/diagnostics/48-several-problems.hcl:2:3: error: unknown attribute \"priorty\" in job \"web\"; did you mean \"priority\"?\n    priorty = 50\n    ^"));
  CHECK_THAT(run.out, Catch::Contains("48-several-problems.hcl:4:13: error: attribute \"count\""));
  CHECK_THAT(run.out, Catch::Contains("Validation failed: 4 error(s) in 1 job file(s)."));
}

TEST_CASE("inspect prints the defaulted job as JSON and honours -var", "[cli]") {
  Run run = skiff("inspect -var interval=9 examples/hello.nomad.hcl");
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

TEST_CASE("hcl2json nests blocks by type and labels", "[cli]") {
  Run run = skiff("hcl2json examples/hosts.hcl");
  REQUIRE(run.exit_code == 0);
  nlohmann::json body = nlohmann::json::parse(run.out);
  CHECK(body["host"]["db-1"][0]["host_volume"]["mysql-data"][0]["path"] == "/srv/mysql");
  CHECK(body["host"]["db-1"][0]["resources"][0]["memory"] == 8192);
  CHECK(body["defaults"][0]["port"] == 22);
}

TEST_CASE("one-dash and two-dash flags are the same; a bad command exits 1", "[cli]") {
  CHECK(skiff("inspect --var interval=3 examples/hello.nomad.hcl").exit_code == 0);
  CHECK(skiff("inspect -var nope=3 examples/hello.nomad.hcl").exit_code == 1);
  CHECK(skiff("frobnicate").exit_code == 1);
  Run help = skiff("validate -help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("skiff validate examples/"));
}
