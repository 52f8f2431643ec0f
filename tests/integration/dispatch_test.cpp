// job dispatch on the fleet's real hosts, through the built binary: a
// parameterized job applied, a run dispatched with its meta (which its task
// sees as NOMAD_META_input), the run listed by `job list` and left alone by
// `apply -prune`; a saved plan made stale by the dispatch names what
// changed since it was made; and a payload, byte for byte in the file its
// task's dispatch_payload names.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "integration/apply_support.hpp"

using skiff::testing::fleet;
using skiff::testing::prune_folder;
using skiff::testing::run_skiff;
using skiff::testing::ShellResult;
using skiff::testing::state_json;
using skiff::testing::TestFleet;
using skiff::testing::write_fleet_file;
using namespace std::chrono_literals;

namespace {

const char* kReportJob = R"(job "report" {
  type = "batch"
  parameterized {
    payload       = "forbidden"
    meta_required = ["input"]
  }
  group "run" {
    task "main" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo input=$NOMAD_META_input; sleep 600"]
      }
    }
  }
}
)";

// The one job of the state whose id starts with "report/dispatch-".
std::string dispatched_run(const nlohmann::json& state) {
  std::string run;
  for (const auto& [id, job] : state["jobs"].items())
    if (id.rfind("report/dispatch-", 0) == 0) {
      CHECK(run.empty());
      run = id;
    }
  return run;
}

}  // namespace

TEST_CASE("job dispatch runs a parameterized job with its meta; apply -prune leaves the run; a stale saved plan says why",
          "[integration][dispatch]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "dispatch-jobs/report.nomad.hcl", kReportJob);
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color dispatch-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  ShellResult saved = run_skiff(f, "plan -no-color -out dispatch.plan dispatch-jobs");
  INFO(saved.output);
  REQUIRE(saved.status == 0);

  ShellResult refused = run_skiff(f, "job dispatch -auto-approve -no-color report");
  CHECK(refused.status == 1);
  CHECK_THAT(refused.output, Catch::Contains("meta \"input\" is required: pass -meta input=VALUE"));

  ShellResult dispatched = run_skiff(f, "job dispatch -auto-approve -no-color -meta input=2026-12-07 report");
  INFO(dispatched.output);
  REQUIRE(dispatched.status == 0);
  CHECK_THAT(dispatched.output, Catch::Contains("Apply complete! 1 started"));
  nlohmann::json state = state_json(f);
  const std::string run = dispatched_run(state);
  REQUIRE_FALSE(run.empty());
  CHECK_THAT(dispatched.output, Catch::Contains("Dispatched job \"report\": its run is job \"" + run + "\""));
  CHECK(state["jobs"][run]["versions"][0]["spec"]["meta"]["input"] == "2026-12-07");
  std::string alloc_id;
  for (const auto& a : state["allocations"])
    if (a["job"] == run) alloc_id = a["id"];
  REQUIRE_FALSE(alloc_id.empty());

  // The task saw the meta.
  std::string logs;
  for (int i = 0; i < 50 && logs.find("input=") == std::string::npos; ++i) {
    logs = run_skiff(f, "alloc logs " + alloc_id).output;
    std::this_thread::sleep_for(200ms);
  }
  CHECK_THAT(logs, Catch::Contains("input=2026-12-07"));

  ShellResult listed = run_skiff(f, "job list -json", false);
  nlohmann::json jobs = nlohmann::json::parse(listed.output);
  bool found = false;
  for (const auto& j : jobs)
    if (j["id"] == run) {
      found = true;
      CHECK(j["status"] == "running");
    }
  CHECK(found);

  // The saved plan predates the run: the state and the run's host moved.
  ShellResult stale = run_skiff(f, "apply -auto-approve -no-color dispatch.plan");
  INFO(stale.output);
  CHECK(stale.status == 1);
  CHECK_THAT(stale.output,
             Catch::Contains("Saved plan is stale: since it was made, the state changed (serial ") &&
                 Catch::Contains(": something was recorded since); host ") &&
                 Catch::Contains(" changed (what runs there, or its status or resources)"));

  // The job files again, pruning: the run is left to finish.
  ShellResult pruned = run_skiff(f, "apply -auto-approve -no-color -prune dispatch-jobs");
  INFO(pruned.output);
  CHECK(pruned.status == 0);
  CHECK_THAT(pruned.output, Catch::Contains("a dispatched run of job \"report\": left to finish"));
  CHECK(skiff::testing::running_allocations(state_json(f), run) == 1);

  // Clean up: the run stopped, then the folder pruned.
  ShellResult stopped = run_skiff(f, "job stop -purge -auto-approve -no-color " + run);
  INFO(stopped.output);
  CHECK(stopped.status == 0);
  CHECK(prune_folder(f, "dispatch-jobs").status == 0);
}

TEST_CASE("job dispatch with a PAYLOAD_FILE writes it, byte for byte, where the task's dispatch_payload says",
          "[integration][dispatch]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "payload-jobs/convert.nomad.hcl", R"(job "convert" {
  type = "batch"
  parameterized {
    payload = "required"
  }
  group "run" {
    task "main" {
      driver = "raw_exec"
      dispatch_payload {
        file = "input/config.json"
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "od -An -c local/input/config.json; echo end; sleep 600"]
      }
    }
  }
}
)");
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color payload-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  ShellResult refused = run_skiff(f, "job dispatch -auto-approve -no-color convert");
  CHECK(refused.status == 1);
  CHECK_THAT(refused.output, Catch::Contains("requires a payload (parameterized.payload = \"required\")"));

  const std::string payload("{\"rows\": 3} 100% \\n\n\0\x01", 20);
  skiff::testing::write_test_file(f.dir() + "/payload.bin", payload);
  ShellResult dispatched = run_skiff(f, "job dispatch -auto-approve -no-color convert payload.bin");
  INFO(dispatched.output);
  REQUIRE(dispatched.status == 0);
  std::string alloc_id, run;
  const nlohmann::json state = state_json(f);
  for (const auto& a : state["allocations"])
    if (a["job"].get<std::string>().rfind("convert/dispatch-", 0) == 0) {
      alloc_id = a["id"];
      run = a["job"];
    }
  REQUIRE_FALSE(alloc_id.empty());
  std::string logs;
  for (int i = 0; i < 50 && logs.find("end") == std::string::npos; ++i) {
    logs = run_skiff(f, "alloc logs " + alloc_id).output;
    std::this_thread::sleep_for(200ms);
  }
  // od -c: every byte, the NUL and \001 included, in the order written.
  const ShellResult expected = skiff::testing::sh("od -An -c " + f.dir() + "/payload.bin");
  CHECK(logs == expected.output + "end\n");

  CHECK(run_skiff(f, "job stop -purge -auto-approve -no-color " + run).status == 0);
  CHECK(prune_folder(f, "payload-jobs").status == 0);
}
