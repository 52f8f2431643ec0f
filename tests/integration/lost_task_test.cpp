// A task whose supervisor is gone, on the fleet's real hosts: SIGKILLed (its
// task lives on, unsupervised), or a zombie where nothing reaps it (kill -0
// still succeeds on it). `alloc status` says lost, not running; `apply`
// replaces the allocation and no process of the old one remains (searched in
// every process's environment and command line on the host). A process
// group that outlived its allocation's removal is reported as drift.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "drivers/shell_quote.hpp"
#include "integration/apply_support.hpp"

using namespace skiff::testing;
using skiff::drivers::shell_quote;
using namespace std::chrono_literals;

namespace {

// The task names its allocation in its command line too, and leaves a child
// (`sleep`) that inherits its environment: both must go with it.
std::string lost_job(const std::string& name) {
  return "job \"" + name +
      "\" {\n  group \"g\" {\n    update {\n      min_healthy_time = \"1s\"\n    }\n"
      "    task \"t\" {\n      driver = \"raw_exec\"\n      kill_timeout = \"2s\"\n      config {\n"
      "        command = \"/bin/sh\"\n"
      "        args    = [\"-c\", \"sleep 3000 & while :; do sleep 1; done\", \"${NOMAD_ALLOC_ID}\"]\n"
      "      }\n    }\n  }\n}\n";
}

// How many processes on `host` carry allocation `id`: in their environment
// (NOMAD_ALLOC_ID) or their command line. The patterns hold the id's last
// character in brackets, so that the search's own command lines (the shell
// and the greps) do not match them.
int processes_of(const TestFleet& f, const std::string& host, const std::string& id) {
  const std::string pattern = id.substr(0, id.size() - 1) + "[" + id.back() + "]";
  ShellResult found =
      on_host(f, host,
              "{ grep -l -s -z -x -e 'NOMAD_ALLOC_ID=" + pattern + "' /proc/[0-9]*/environ; grep -l -s -e '" + pattern +
                  "' /proc/[0-9]*/cmdline; } | sed 's,/[a-z]*$,,' | sort -u | "
                  "while read -r p; do echo \"$p $(tr '\\0' ' ' < $p/cmdline)\"; done");
  UNSCOPED_INFO("processes of " + id + " on " + host + ":\n" + found.output);
  return static_cast<int>(std::count(found.output.begin(), found.output.end(), '\n'));
}

// processes_of, once it is 0 or `patience` has passed: a killed process
// takes a moment to go.
int processes_left(const TestFleet& f, const std::string& host, const std::string& id,
                   std::chrono::milliseconds patience = 3000ms) {
  const auto until = std::chrono::steady_clock::now() + patience;
  int n = processes_of(f, host, id);
  while (n > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(200ms);
    n = processes_of(f, host, id);
  }
  return n;
}

std::string control_dir(const PlacedAllocation& p) { return "/var/lib/skiff/allocs/" + p.id + "/t/.skiff"; }

// Kills the task's supervisor and its task, then starts the supervisor
// again (its .skiff/supervise.sh, as the start command does) under a shell
// that writes its PID to `parent_pid` and execs `sleep 600`: a parent that
// never reaps it. True once the new copy of the task runs.
bool restart_under_non_reaping_parent(const TestFleet& f, const PlacedAllocation& p, const std::string& parent_pid) {
  const std::string alloc_dir = "/var/lib/skiff/allocs/" + p.id;
  const std::string c = control_dir(p);
  const std::string kill_first = "read -r p s < " + c +
      "/supervisor.pid && kill -KILL \"$p\" && "
      "for e in $(grep -l -s -z -x -F NOMAD_ALLOC_ID=" +
      p.id +
      " /proc/[0-9]*/environ); do "
      "e=${e#/proc/}; kill -KILL \"${e%/environ}\"; done; rm -f " +
      c + "/status " + c + "/supervisor.pid";
  const std::string parent = "echo $$ > " + parent_pid +
      "; setsid sh \"$1/t/.skiff/supervise.sh\" \"$1\" t </dev/null >>.skiff/supervisor.log 2>&1 3>/dev/null & exec sleep 600";
  const std::string start =
      "cd " + alloc_dir + "/t && { sh -c '" + parent + "' sh " + alloc_dir + " </dev/null >/dev/null 2>&1 & }";
  const std::string await =
      "i=0; until [ \"$(sed -n 's/^state=//p' .skiff/status 2>/dev/null)\" = running ]; do "
      "i=$((i+1)); [ $i -lt 50 ] || exit 1; sleep 0.1; done";
  ShellResult r = on_host(f, p.host, kill_first + " && " + start + " && " + await);
  UNSCOPED_INFO(r.output);
  return r.status == 0;
}

}  // namespace

TEST_CASE("a SIGKILLed supervisor: alloc status says lost, and apply replaces it leaving no process of the old allocation",
          "[integration]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "lost-jobs/lost.nomad.hcl", lost_job("lost"));
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color lost-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const PlacedAllocation old = allocation_of(f, "lost", "running");
  REQUIRE_FALSE(old.id.empty());
  REQUIRE(processes_of(f, old.host, old.id) >= 2);  // sh and its sleep 3000 (and a sleep 1 most of the time)

  ShellResult killed = on_host(f, old.host, "read -r p s < " + control_dir(old) + "/supervisor.pid && kill -KILL \"$p\"");
  REQUIRE(killed.status == 0);
  std::this_thread::sleep_for(200ms);
  CHECK(processes_of(f, old.host, old.id) >= 2);  // the task lives on, unsupervised
  CHECK_THAT(run_skiff(f, "alloc status " + old.id).output, Catch::Contains("State     = lost\n"));

  ShellResult replaced = run_skiff(f, "apply -auto-approve -no-color lost-jobs");
  INFO(replaced.output);
  CHECK(replaced.status == 0);
  const PlacedAllocation now = allocation_of(f, "lost", "running");
  CHECK_FALSE(now.id.empty());
  CHECK(now.id != old.id);
  CHECK(processes_left(f, old.host, old.id) == 0);
  CHECK(processes_of(f, now.host, now.id) >= 2);
  CHECK(prune_folder(f, "lost-jobs").status == 0);
  CHECK(processes_left(f, now.host, now.id) == 0);
}

TEST_CASE("a zombie supervisor (nothing reaps it) counts as dead: alloc status says lost and apply replaces it",
          "[integration]") {
  TestFleet& f = fleet();
  write_fleet_file(f, "zombie-jobs/zombie.nomad.hcl", lost_job("zombie"));
  REQUIRE(run_skiff(f, "apply -auto-approve -no-color zombie-jobs").status == 0);
  const PlacedAllocation old = allocation_of(f, "zombie", "running");
  REQUIRE_FALSE(old.id.empty());
  const std::string parent_pid = "/var/lib/skiff/zombie-parent.pid";

  // The fleet's PID 1 reaps orphans, so the supervisor is started again
  // under a parent that never does (a shell that execs `sleep`).
  REQUIRE(restart_under_non_reaping_parent(f, old, parent_pid));
  ShellResult zombie = on_host(f, old.host,
                               "read -r p s < " + control_dir(old) +
                                   "/supervisor.pid && kill -KILL \"$p\" && sleep 0.3 && kill -0 \"$p\" && "
                                   "sed 's/.*) //' /proc/$p/stat | cut -d' ' -f1");
  INFO(zombie.output);
  REQUIRE(zombie.status == 0);
  REQUIRE(zombie.output == "Z\n");  // a real zombie, and kill -0 succeeds on it
  CHECK(processes_of(f, old.host, old.id) >= 2);

  ShellResult status = run_skiff(f, "alloc status " + old.id);
  INFO(status.output);
  CHECK_THAT(status.output, Catch::Contains("State     = lost\n"));
  CHECK_THAT(status.output, !Catch::Contains("State     = running\n"));

  ShellResult replaced = run_skiff(f, "apply -auto-approve -no-color zombie-jobs");
  INFO(replaced.output);
  CHECK(replaced.status == 0);
  CHECK_THAT(replaced.output, !Catch::Contains("No changes"));
  const PlacedAllocation now = allocation_of(f, "zombie", "running");
  CHECK(now.id != old.id);
  CHECK(processes_left(f, old.host, old.id) == 0);
  on_host(f, old.host, "read -r p < " + parent_pid + " && kill \"$p\"; rm -f " + parent_pid);
  CHECK(prune_folder(f, "zombie-jobs").status == 0);
}

TEST_CASE("a process group that outlived its allocation's removal is reported as drift while it lives", "[integration]") {
  TestFleet& f = fleet();
  const std::string host = f.hosts()[0].name;
  const std::string id = "00000000-0000-4000-8000-00000000beef";
  const std::string record = "/var/lib/skiff/lingering/" + id + ".t";
  // What kill_leftovers records when a task's processes survive SIGKILL
  // (stuck in the kernel): here a live group of its own stands in for them.
  REQUIRE(
      on_host(f, host,
              "mkdir -p /var/lib/skiff/lingering && { setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $! > " + record + "; }")
          .status == 0);
  write_fleet_file(f, "linger-jobs/placeholder.nomad.hcl", kPlaceholderJob);
  ShellResult plan = run_skiff(f, "plan -no-color linger-jobs");
  INFO(plan.output);
  CHECK_THAT(plan.output,
             Catch::Matches("(.|\n)*" + host + ": process group [0-9]+ of removed allocation " + id +
                            " \\(task \"t\"\\) still has processes(.|\n)*"));

  REQUIRE(on_host(f, host, "read -r g < " + record + " && kill -KILL \"$g\"").status == 0);
  std::this_thread::sleep_for(200ms);
  CHECK_THAT(run_skiff(f, "plan -no-color linger-jobs").output, !Catch::Contains("of removed allocation " + id));
  on_host(f, host, "rm -f " + record);
}

TEST_CASE("what a task leaves in its process group ends with it: no copy of it outlives a restart or the end", "[integration]") {
  TestFleet& f = fleet();
  // Each run leaves a `sleep` behind and fails: restarted twice, then dead.
  write_fleet_file(f, "orphan-jobs/orphans.nomad.hcl", R"(job "orphans" {
  type = "batch"
  group "g" {
    restart {
      attempts = 2
      delay    = "1s"
      mode     = "fail"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "sleep 3000 & echo $! >> \"$NOMAD_ALLOC_DIR/data/children\"; sleep 1; exit 1"]
      }
    }
  }
})");
  ShellResult applied = run_skiff(f, "apply -auto-approve -no-color orphan-jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const auto [id, host] = allocation_of(f, "orphans");
  REQUIRE(!id.empty());
  ShellResult status;
  const auto until = std::chrono::steady_clock::now() + 30s;
  do {
    std::this_thread::sleep_for(500ms);
    status = run_skiff(f, "alloc status " + id);
  } while (status.output.find("State     = dead") == std::string::npos && std::chrono::steady_clock::now() < until);
  INFO(status.output);
  CHECK_THAT(status.output, Catch::Contains("Restarts  = 2"));
  ShellResult children = on_host(f, host, "wc -l < /var/lib/skiff/allocs/" + id + "/alloc/data/children");
  CHECK(children.output == "3\n");
  CHECK(processes_left(f, host, id) == 0);
  CHECK(run_skiff(f, "job stop -purge -auto-approve -no-color orphans").status == 0);
  CHECK(prune_folder(f, "orphan-jobs").status == 0);
}
