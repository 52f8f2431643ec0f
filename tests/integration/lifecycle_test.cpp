// Lifecycle hooks on the fleet's real hosts, through the built binary, as
// Nomad runs them: a prestart task completes before the main task starts, a
// prestart sidecar runs beside it, a poststart task runs once the main task
// does, and a poststop task runs after the main task has stopped. Health
// waits for the main task and the sidecar only; a completed hook is neither
// a failure nor drift. A prestart task that fails for good fails the
// allocation, and its main task never starts. A leader task's end stops its
// siblings; the main tasks' end stops the sidecars.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "integration/apply_support.hpp"

using namespace skiff::testing;

namespace {

// A task block of raw_exec running `script` with /bin/sh.
std::string sh_task(const std::string& name, const std::string& lifecycle, const std::string& script) {
  return "    task \"" + name + "\" {\n" + lifecycle + "      driver       = \"raw_exec\"\n      kill_timeout = \"3s\"\n" +
      "      config {\n        command = \"/bin/sh\"\n        args    = [\"-c\", " + script + "]\n      }\n    }\n";
}

std::string hook(const std::string& when, bool sidecar = false) {
  return "      lifecycle {\n        hook    = \"" + when + "\"\n        sidecar = " + (sidecar ? "true" : "false") +
      "\n      }\n";
}

// The lines of `alloc status` about one task, from its header on.
std::string task_section(const std::string& status, const std::string& header) {
  size_t at = status.find(header + "\n");
  if (at == std::string::npos) return "";
  size_t end = status.find("\nTask \"", at + 1);
  return status.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// `alloc status ID`, once the section under `header` says the task is dead
// (or after 20 s).
ShellResult status_once_dead(const TestFleet& f, const std::string& id, const std::string& header) {
  ShellResult status;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    status = run_skiff(f, "alloc status " + id);
  } while (task_section(status.output, header).find("State     = dead") == std::string::npos &&
           std::chrono::steady_clock::now() < until);
  return status;
}

}  // namespace

TEST_CASE("lifecycle: prestart completes first, the sidecar runs beside, poststart follows, poststop runs after the stop",
          "[integration]") {
  TestFleet& f = fleet();
  const std::string job = "job \"hooks\" {\n  group \"g\" {\n    update {\n      min_healthy_time = \"1s\"\n    }\n" +
      sh_task("init", hook("prestart"), R"("sleep 2; touch \"$NOMAD_ALLOC_DIR/data/init-done\"")") +
      sh_task("proxy", hook("prestart", true), R"("while :; do sleep 1; done")") +
      sh_task("web", "",
              R"("test -e \"$NOMAD_ALLOC_DIR/data/init-done\" || exit 3; touch \"$NOMAD_ALLOC_DIR/data/web-started\"; )"
              R"(trap 'touch \"$NOMAD_ALLOC_DIR/data/web-stopped\"; exit 0' TERM; while :; do sleep 1; done")") +
      sh_task("announce", hook("poststart"), R"("test -e \"$NOMAD_ALLOC_DIR/data/web-started\"")") +
      sh_task("cleanup", hook("poststop"),
              R"("if test -e \"$NOMAD_ALLOC_DIR/data/web-stopped\"; then w=after-web; else w=before-web; fi; )"
              R"(echo $w > /tmp/skiff-poststop-$NOMAD_ALLOC_ID")") +
      "  }\n}\n";
  write_fleet_file(f, "hooks-jobs/hooks.nomad.hcl", job);
  ShellResult validated = run_skiff(f, "validate hooks-jobs");
  INFO(validated.output);
  REQUIRE(validated.status == 0);

  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color hooks-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const auto [id, host] = allocation_of(f, "hooks", "running");
  REQUIRE(!id.empty());

  ShellResult status = run_skiff(f, "alloc status " + id);
  INFO(status.output);
  REQUIRE(status.status == 0);
  const std::string init = task_section(status.output, "Task \"init\" (prestart)");
  CHECK_THAT(init, Catch::Contains("State     = dead"));
  CHECK_THAT(init, Catch::Contains("Restarts  = 0"));
  CHECK_THAT(init, Catch::Contains("Exit Code = 0"));
  CHECK_THAT(init, Catch::Contains("Reason    = completed"));
  CHECK_THAT(task_section(status.output, "Task \"proxy\" (prestart sidecar)"), Catch::Contains("State     = running"));
  CHECK_THAT(task_section(status.output, "Task \"web\""), Catch::Contains("State     = running"));
  const std::string announce = task_section(status.output, "Task \"announce\" (poststart)");
  CHECK_THAT(announce, Catch::Contains("State     = dead"));
  CHECK_THAT(announce, Catch::Contains("Reason    = completed"));
  const std::string cleanup = task_section(status.output, "Task \"cleanup\" (poststop)");
  CHECK_THAT(cleanup, Catch::Contains("State     = pending"));
  CHECK_THAT(cleanup, Catch::Contains("Reason    = waiting for task \"web\" to end"));

  // The completed hooks and the waiting poststop task are what should be.
  ShellResult plan = run_skiff(f, "plan -detailed-exitcode -no-color hooks-jobs");
  INFO(plan.output);
  CHECK(plan.status == 0);

  CHECK(prune_folder(f, "hooks-jobs").status == 0);
  ShellResult ran = on_host(f, host, "cat /tmp/skiff-poststop-" + id + " && rm -f /tmp/skiff-poststop-" + id);
  INFO(ran.output);
  CHECK(ran.output == "after-web\n");
}

TEST_CASE("lifecycle: a prestart task that fails for good fails the allocation, and its main task never starts",
          "[integration]") {
  TestFleet& f = fleet();
  const std::string job =
      "job \"hooks-fail\" {\n  group \"g\" {\n"
      "    restart {\n      attempts = 1\n      delay    = \"1s\"\n      mode     = \"fail\"\n    }\n"
      "    update {\n      min_healthy_time = \"1s\"\n      healthy_deadline = \"30s\"\n    }\n" +
      sh_task("init", hook("prestart"), R"("exit 7")") +
      sh_task("web", "", R"("touch \"$NOMAD_ALLOC_DIR/data/web-ran\"; while :; do sleep 1; done")") + "  }\n}\n";
  write_fleet_file(f, "hooks-fail-jobs/hooks.nomad.hcl", job);
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color hooks-fail-jobs");
  INFO(applied.output);
  CHECK(applied.status == 1);
  CHECK_THAT(applied.output, Catch::Contains("prestart task \"init\" dead: exited with status 7"));

  const auto [id, host] = allocation_of(f, "hooks-fail");
  REQUIRE(!id.empty());
  ShellResult status = run_skiff(f, "alloc status " + id);
  INFO(status.output);
  const std::string web = task_section(status.output, "Task \"web\"");
  CHECK_THAT(web, Catch::Contains("State     = dead"));
  CHECK_THAT(web, Catch::Contains("Reason    = not started: prestart task \"init\" failed: exited with status 7"));
  CHECK_THAT(task_section(status.output, "Task \"init\" (prestart)"), Catch::Contains("Restarts  = 1"));
  ShellResult ran = on_host(f, host, "test -e /var/lib/skiff/allocs/" + id + "/alloc/data/web-ran && echo ran || echo never");
  CHECK(ran.output == "never\n");

  // -prune leaves a failed allocation and its failed deployment, which later
  // plans would show: the job goes whole.
  CHECK(run_skiff(f, "job stop -purge -auto-approve -no-color hooks-fail").status == 0);
  CHECK(prune_folder(f, "hooks-fail-jobs").status == 0);
}

TEST_CASE("leader: when the leader task ends, its siblings are stopped and the allocation completes", "[integration]") {
  TestFleet& f = fleet();
  const std::string job = "job \"leader\" {\n  type = \"batch\"\n  group \"g\" {\n" +
      sh_task("main", "      leader = true\n", R"("sleep 2")") + sh_task("helper", "", R"("while :; do sleep 1; done")") +
      "  }\n}\n";
  write_fleet_file(f, "leader-jobs/leader.nomad.hcl", job);
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color leader-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const std::string id = allocation_of(f, "leader").id;
  REQUIRE(!id.empty());

  const ShellResult status = status_once_dead(f, id, "Task \"helper\"");
  INFO(status.output);
  CHECK_THAT(task_section(status.output, "Task \"helper\""), Catch::Contains("Reason    = stopped"));
  CHECK_THAT(task_section(status.output, "Task \"main\""), Catch::Contains("Reason    = completed"));
  CHECK(run_skiff(f, "job stop -purge -auto-approve -no-color leader").status == 0);
  CHECK(prune_folder(f, "leader-jobs").status == 0);
}

TEST_CASE("lifecycle: once the main tasks of a batch job complete, its sidecar is stopped and the allocation completes",
          "[integration]") {
  TestFleet& f = fleet();
  const std::string job = "job \"sidecar-batch\" {\n  type = \"batch\"\n  group \"g\" {\n" +
      sh_task("proxy", hook("prestart", true), R"("while :; do sleep 1; done")") + sh_task("work", "", R"("sleep 2")") +
      "  }\n}\n";
  write_fleet_file(f, "sidecar-jobs/sidecar.nomad.hcl", job);
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color sidecar-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const std::string id = allocation_of(f, "sidecar-batch").id;
  REQUIRE(!id.empty());

  const ShellResult status = status_once_dead(f, id, "Task \"proxy\" (prestart sidecar)");
  INFO(status.output);
  CHECK_THAT(task_section(status.output, "Task \"proxy\" (prestart sidecar)"), Catch::Contains("Reason    = stopped"));
  CHECK_THAT(task_section(status.output, "Task \"work\""), Catch::Contains("Reason    = completed"));
  CHECK(run_skiff(f, "job stop -purge -auto-approve -no-color sidecar-batch").status == 0);
  CHECK(prune_folder(f, "sidecar-jobs").status == 0);
}
