// A task that puts symbolic links toward a file outside the data dir (a
// canary) in place of files skiff writes in its allocation's folder (its
// logs, the rotation's next file, a file under local/): on the fleet's real
// hosts, through the built binary, log rotation, `alloc logs`, `alloc
// restart`, an apply that replaces the allocation, and the purges never
// write, truncate or read through them. The canary is unchanged and still
// there at the end, and where skiff refuses it says so, naming the link.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "integration/apply_support.hpp"

using namespace skiff::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kCanary = "/tmp/skiff-canary-planter";
constexpr const char* kCanaryText = "the operator's own file\n";

// The task writes 1.5 MB to stderr (past max_file_size: one rotation),
// prints a line, then plants its links and marks that it has.
std::string planter_job(const std::string& version) {
  return R"(job "planter" {
  group "g" {
    update {
      min_healthy_time = "1s"
    }
    task "app" {
      driver       = "raw_exec"
      kill_timeout = "2s"
      env {
        VERSION = ")" +
      version + R"("
      }
      logs {
        max_files     = 2
        max_file_size = 1
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "head -c 1572864 /dev/zero | tr '\\000' x >&2; echo started; c=/tmp/skiff-canary-planter; l=$NOMAD_ALLOC_DIR/logs; ln -sfn $c $l/app.stdout.0; ln -sfn $c $l/app.stderr.1; ln -sfn $c $NOMAD_TASK_DIR/app.conf; touch $NOMAD_ALLOC_DIR/data/planted; while :; do sleep 1; done"]
      }
    }
  }
})";
}

// The canary on every host, as the test wrote it.
void check_canaries(const TestFleet& f) {
  for (const FleetHost& h : f.hosts()) {
    INFO(h.name);
    CHECK(on_host(f, h.name, std::string("cat ") + kCanary).output == kCanaryText);
  }
}

// Waits up to 20 s for `path` to exist on `host`.
bool appears(const TestFleet& f, const std::string& host, const std::string& path) {
  const auto until = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < until) {
    if (on_host(f, host, "test -e " + skiff::drivers::shell_quote(path)).status == 0) return true;
    std::this_thread::sleep_for(250ms);
  }
  return false;
}

}  // namespace

TEST_CASE("links a task plants toward a file outside the data dir are never written, truncated or read through",
          "[integration]") {
  TestFleet& f = fleet();
  for (const FleetHost& h : f.hosts()) {
    const std::string write = "printf %s " + skiff::drivers::shell_quote(kCanaryText) + " > " + kCanary + " && cat " + kCanary;
    REQUIRE(on_host(f, h.name, write).output == kCanaryText);
  }

  write_fleet_file(f, "planter-jobs/planter.nomad.hcl", planter_job("1"));
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color planter-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const auto [id, host] = allocation_of(f, "planter", "running");
  REQUIRE(!id.empty());
  const std::string dir = "/var/lib/skiff/allocs/" + id;
  REQUIRE(appears(f, host, dir + "/alloc/data/planted"));

  // Rotation: the supervisor's first look at the logs is 2 s in; stderr is
  // past 1 MB, and its copy would go to the planted .1: refused, and the
  // log emptied all the same.
  const std::string refused_copy = "refusing to write " + dir + "/alloc/logs/app.stderr.1: it is a symbolic link";
  ShellResult supervisor_log;
  for (int i = 0; i < 40 && supervisor_log.output.find(refused_copy) == std::string::npos; ++i) {
    std::this_thread::sleep_for(250ms);
    supervisor_log = on_host(f, host, "cat " + dir + "/app/.skiff/supervisor.log");
  }
  INFO(supervisor_log.output);
  CHECK_THAT(supervisor_log.output, Catch::Contains(refused_copy));
  CHECK(on_host(f, host, "wc -c < " + dir + "/alloc/logs/app.stderr.0").output == "0\n");
  check_canaries(f);

  // The planted log is not read back.
  ShellResult logs = run_skiff(f, "alloc logs " + id);
  CHECK(logs.status == 1);
  CHECK_THAT(logs.output, Catch::Contains("refusing to read " + dir + "/alloc/logs/app.stdout.0: it is a symbolic link"));
  CHECK_THAT(logs.output, !Catch::Contains("own file"));

  // A restart finds the planted log before the task runs again: the task
  // ends, and its reason names the link.
  ShellResult restarted = run_skiff(f, "alloc restart " + id);
  INFO(restarted.output);
  CHECK(restarted.output == "Task \"app\": dead\n");
  ShellResult status = run_skiff(f, "alloc status " + id);
  INFO(status.output);
  CHECK_THAT(status.output,
             Catch::Contains("Reason    = refusing to write " + dir + "/alloc/logs/app.stdout.0: it is a symbolic link"));
  check_canaries(f);

  // A change replaces the allocation: the old one is stopped and purged
  // (rm -rf removes the links, not what they point to); the new task plants
  // its links again.
  write_fleet_file(f, "planter-jobs/planter.nomad.hcl", planter_job("2"));
  ShellResult replaced = run_skiff(f, "apply -auto-approve -no-color planter-jobs");
  INFO(replaced.output);
  CHECK(replaced.status == 0);
  CHECK(on_host(f, host, "test -e " + dir + " && echo there || echo gone").output == "gone\n");
  const auto [second, second_host] = allocation_of(f, "planter", "running");
  REQUIRE(!second.empty());
  REQUIRE(second != id);
  const std::string second_dir = "/var/lib/skiff/allocs/" + second;
  REQUIRE(appears(f, second_host, second_dir + "/alloc/data/planted"));
  check_canaries(f);

  // The allocation's folder itself a link (to where it was moved):
  // observation reads nothing through it, so there is no such allocation to
  // stop or purge, and nothing there is removed.
  REQUIRE(on_host(f, second_host,
                  "mv " + second_dir + " /tmp/skiff-moved-" + second + " && ln -s /tmp/skiff-moved-" + second + " " + second_dir)
              .status == 0);
  ShellResult purge_refused = run_skiff(f, "alloc stop -purge " + second);
  INFO(purge_refused.output);
  CHECK(purge_refused.status == 1);
  CHECK_THAT(purge_refused.output, Catch::Contains("no allocation with id \"" + second + "\" on the reachable hosts"));
  CHECK(on_host(f, second_host, "test -f /tmp/skiff-moved-" + second + "/alloc.json && echo kept").output == "kept\n");
  REQUIRE(on_host(f, second_host, "rm " + second_dir + " && mv /tmp/skiff-moved-" + second + " " + second_dir).status == 0);

  CHECK(run_skiff(f, "job stop -purge -auto-approve -no-color planter").status == 0);
  CHECK(on_host(f, second_host, "test -e " + second_dir + " && echo there || echo gone").output == "gone\n");
  check_canaries(f);
  CHECK(prune_folder(f, "planter-jobs").status == 0);
  for (const FleetHost& h : f.hosts()) on_host(f, h.name, std::string("rm -f ") + kCanary);
}
