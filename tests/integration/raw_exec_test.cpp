// raw_exec tasks under skiff's supervisor on real fleet hosts: start,
// observe, logs, stop, restarts, surviving the SSH session, a host crash.
// Host roles as in ssh_transport_test.cpp: 1 is healthy; 2 is crashed and
// restarted here (its other test restarts it too).
#include <catch2/catch.hpp>
#include <chrono>
#include <regex>
#include <sstream>
#include <thread>

#include "drivers/host/fingerprint.hpp"
#include "drivers/host/observe.hpp"
#include "drivers/shell_quote.hpp"
#include "drivers/ssh/ssh_pool.hpp"
#include "drivers/ssh/ssh_shell.hpp"
#include "drivers/task/supervisor.hpp"
#include "fleet_fixture.hpp"
#include "parser/environment.hpp"
#include "parser/load.hpp"
#include "placed_task.hpp"

using namespace skiff::drivers;
using skiff::testing::fleet;
using skiff::testing::PlacedTask;
using skiff::testing::run_skiff;
using skiff::testing::TestFleet;
using namespace std::chrono_literals;

namespace {

const char* kLongRunning = R"(
job "env-check" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      kill_timeout = "2s"
      env {
        TRICKY = "it's \"quoted\" $(not run) `nor this` ; and\nnewline"
        FROM_RUNTIME = "${NOMAD_ALLOC_NAME} on ${node.unique.name} in ${meta.rack}"
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "trap '' TERM; env; printf 'arg:%s\n' \"$0\"; while :; do sleep 1; done", "two words $HOME"]
      }
    }
  }
}
)";

}  // namespace

TEST_CASE("raw_exec: the task runs with Nomad's env, survives the SSH session, logs, and stops within kill_timeout",
          "[integration]") {
  TestFleet& f = fleet();
  PlacedTask placed(f, 1, kLongRunning, {{"http", 8080, 0}});
  placed.start();
  ObservedTask t = placed.await("running", 5s);
  CHECK(skiff::drivers::to_string(t.state) == "running");
  CHECK(t.supervisor_alive);
  // The command line and its environment are the owner's alone.
  const std::string control = placed.allocation.control_dir("t");
  CommandResult modes = placed.run({{"stat", "-c", "%a", control, control + "/run", control + "/policy"}, std::nullopt, 0ms});
  CHECK(modes.stdout_data == "700\n600\n600\n");

  // A new connection: the first one, and its session, are gone.
  placed.pool.close_all();
  std::this_thread::sleep_for(1s);
  CHECK(skiff::drivers::to_string(placed.observe().state) == "running");

  CommandResult logs = placed.run(task_logs_command(placed.allocation, "t", "stdout", 200));
  const std::string& out = logs.stdout_data;
  CHECK_THAT(out, Catch::Contains("NOMAD_ALLOC_ID=" + placed.allocation.id + "\n"));
  CHECK_THAT(out, Catch::Contains("NOMAD_ALLOC_NAME=env-check.g[0]\n"));
  CHECK_THAT(out, Catch::Contains("NOMAD_PORT_http=8080\n"));
  CHECK_THAT(out, Catch::Contains("NOMAD_ADDR_http=" + placed.host.address + ":8080\n"));
  CHECK_THAT(out, Catch::Contains("NOMAD_TASK_DIR=" + placed.allocation.task_dir("t") + "/local\n"));
  CHECK_THAT(out, Catch::Contains("TRICKY=it's \"quoted\" $(not run) `nor this` ; and\nnewline\n"));
  CHECK_THAT(out, Catch::Contains("FROM_RUNTIME=env-check.g[0] on " + placed.host.name + " in r1\n"));
  CHECK_THAT(out, Catch::Contains("arg:two words $HOME\n"));

  // The task ignores SIGTERM: SIGKILL after kill_timeout (2 s).
  auto t0 = std::chrono::steady_clock::now();
  CommandResult stop = placed.run(stop_supervised_task_command(placed.allocation, "t"));
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK_THAT(stop.stdout_data, Catch::Contains("state=dead\n"));
  CHECK(took >= 1500ms);
  CHECK(took < 6s);
  ObservedTask stopped = placed.observe();
  CHECK(skiff::drivers::to_string(stopped.state) == "dead");
  CHECK(stopped.reason == "stopped");
  CHECK_FALSE(stopped.supervisor_alive);
  // No process of the task is left: its group was killed.
  CommandResult ps = placed.run({{"sh", "-c", "ps -eo args | grep -c '[n]or this' || true"}, std::nullopt, 0ms});
  CHECK(ps.stdout_data == "0\n");
}

TEST_CASE("raw_exec: a crashing task is restarted per the restart policy, then reported failed with its exit code",
          "[integration]") {
  TestFleet& f = fleet();
  PlacedTask placed(f, 1, R"(
job "crasher" {
  group "g" {
    restart {
      attempts = 2
      interval = "1m"
      delay    = "0s"
      mode     = "fail"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo attempt >> \"$NOMAD_ALLOC_DIR/data/attempts\"; exit 7"]
      }
    }
  }
}
)",
                    {{"http", 8080, 0}});
  placed.start();
  ObservedTask t = placed.await("dead", 10s);
  CHECK(skiff::drivers::to_string(t.state) == "dead");
  CHECK(t.exit_code == 7);
  CHECK(t.restarts == 2);
  CHECK(t.reason == "exited with status 7; 2 restart attempts in 60s used up");
  CommandResult attempts = placed.run({{"cat", placed.allocation.alloc_dir() + "/data/attempts"}, std::nullopt, 0ms});
  CHECK(attempts.stdout_data == "attempt\nattempt\nattempt\n");
}

TEST_CASE("raw_exec: a batch task that succeeds is complete, not restarted", "[integration]") {
  TestFleet& f = fleet();
  PlacedTask placed(f, 1, R"(
job "once" {
  type = "batch"
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/echo"
        args    = ["done"]
      }
    }
  }
}
)",
                    {{"http", 8080, 0}});
  placed.start();
  ObservedTask t = placed.await("dead", 10s);
  CHECK(skiff::drivers::to_string(t.state) == "dead");
  CHECK(t.exit_code == 0);
  CHECK(t.restarts == 0);
  CHECK(t.reason == "completed");
}

TEST_CASE("raw_exec: crashing the host kills its tasks, and the next observation says so", "[integration][fault]") {
  TestFleet& f = fleet();
  PlacedTask placed(f, 2, kLongRunning, {{"http", 8080, 0}});
  placed.start();
  REQUIRE(skiff::drivers::to_string(placed.await("running", 5s).state) == "running");
  REQUIRE(f.fault("restart", placed.host.name).ok());  // crash, then boot with the same disk
  placed.pool.close_all();
  ObservedTask t = placed.observe();
  CHECK(skiff::drivers::to_string(t.state) == "lost");
  CHECK_FALSE(t.supervisor_alive);
  CHECK(t.reason == "the supervisor is gone (was running)");
}

TEST_CASE("raw_exec: logs rotate by logs { max_files, max_file_size }", "[integration]") {
  TestFleet& f = fleet();
  PlacedTask placed(f, 1, R"(
job "chatty" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      logs {
        max_files     = 3
        max_file_size = 1
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "i=0; while [ $i -lt 12 ]; do head -c 524288 /dev/zero | tr '\\000' x; i=$((i + 1)); sleep 0.5; done; sleep 1000"]
      }
    }
  }
}
)",
                    {{"http", 8080, 0}});
  placed.start();
  std::this_thread::sleep_for(8s);
  const std::string logs = placed.allocation.alloc_dir() + "/logs";
  CommandResult listing = placed.run(
      {{"sh", "-c", "cd \"$1\" && for f in t.stdout.*; do echo \"$f $(wc -c < \"$f\")\"; done", "_", logs}, std::nullopt, 0ms});
  INFO(listing.stdout_data);
  CHECK_THAT(listing.stdout_data, Catch::Contains("t.stdout.0 "));
  CHECK_THAT(listing.stdout_data, Catch::Contains("t.stdout.1 "));
  CHECK_THAT(listing.stdout_data, Catch::Contains("t.stdout.2 "));
  CHECK_THAT(listing.stdout_data, !Catch::Contains("t.stdout.3 "));
  // No file grows far past 1 MB (rotation is checked every 2 s; the task
  // writes 1 MB a second).
  std::istringstream lines(listing.stdout_data);
  for (std::string name, size; lines >> name >> size;) CHECK(std::stoll(size) <= 3 * 1048576);
  placed.run(stop_supervised_task_command(placed.allocation, "t"));
}

TEST_CASE("exec: the memory limit is enforced through the host's cgroups, reported, and an OOM kill is named", "[integration]") {
  TestFleet& f = fleet();
  PlacedTask placed(f, 1, R"(
job "hog" {
  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    task "t" {
      driver = "exec"
      user   = "nobody"
      resources {
        memory = 32
      }
      config {
        command = "/bin/sh"
        args    = ["-c", "id -u; awk 'BEGIN { s = \"x\"; while (1) s = s s }'"]
      }
    }
  }
}
)",
                    {{"http", 8080, 0}});
  placed.start();
  ObservedTask t = placed.await("dead", 20s);
  CHECK(skiff::drivers::to_string(t.state) == "dead");
  CHECK(t.exit_code == 137);
  CHECK_THAT(t.reason, Catch::StartsWith("exited with status 137 (killed for using more memory than its limit)"));
  CHECK_THAT(t.limits, Catch::StartsWith("memory=32MB"));
  CommandResult logs = placed.run(task_logs_command(placed.allocation, "t", "stdout", 5));
  CHECK(logs.stdout_data == "65534\n");  // ran as nobody
  // The task's cgroups are gone with it.
  CommandResult left = placed.run(
      {{"sh", "-c", "ls -d /sys/fs/cgroup/memory/skiff/" + placed.allocation.id + "-* 2>/dev/null | wc -l"}, std::nullopt, 0ms});
  CHECK(left.stdout_data == "0\n");
}

TEST_CASE("java: a class on a class path, and a jar, run supervised, with jvm_options, args and Nomad's env", "[integration]") {
  TestFleet& f = fleet();
  // Compiled here; the fleet's hosts see this machine's files outside their
  // own /root, /var/lib/skiff and /var/log.
  const std::string classes = f.dir() + "/java-classes";
  auto compiled = skiff::testing::sh("mkdir -p " + classes + " && cd " + classes +
                                     " && printf '%s\\n' 'public class Hello { public static void main(String[] a) {"
                                     " System.out.println(\"hello \" + a[0] + \" from \" + System.getenv(\"NOMAD_TASK_NAME\")"
                                     " + \" mode=\" + System.getProperty(\"mode\")); } }' > Hello.java && javac Hello.java");
  INFO(compiled.output);
  REQUIRE(compiled.status == 0);
  PlacedTask placed(f, 1,
                    R"(
job "jvm" {
  type = "batch"
  group "g" {
    task "greeter" {
      driver = "java"
      config {
        class       = "Hello"
        class_path  = ")" +
                        classes + R"("
        jvm_options = ["-Xmx64m", "-Dmode=test"]
        args        = ["two words"]
      }
    }
  }
}
)",
                    {{"http", 8080, 0}});
  placed.start();
  ObservedTask t = placed.await("dead", 30s);
  CHECK(t.reason == "completed");
  CHECK(t.exit_code == 0);
  CHECK_THAT(t.limits, Catch::StartsWith("memory=300MB"));
  CommandResult logs = placed.run(task_logs_command(placed.allocation, "greeter", "stdout", 5));
  CHECK(logs.stdout_data == "hello two words from greeter mode=test\n");

  // The same class as an executable jar, through jar_path.
  auto jarred = skiff::testing::sh("cd " + classes + " && jar cfe hello.jar Hello Hello.class");
  INFO(jarred.output);
  REQUIRE(jarred.status == 0);
  PlacedTask from_jar(f, 1,
                      R"(
job "jvm-jar" {
  type = "batch"
  group "g" {
    task "greeter" {
      driver = "java"
      config {
        jar_path    = ")" +
                          classes + R"(/hello.jar"
        jvm_options = ["-Dmode=jar"]
        args        = ["again"]
      }
    }
  }
}
)",
                      {});
  from_jar.start();
  CHECK(from_jar.await("dead", 30s).reason == "completed");
  CHECK(from_jar.run(task_logs_command(from_jar.allocation, "greeter", "stdout", 5)).stdout_data ==
        "hello again from greeter mode=jar\n");
}

TEST_CASE("exec: a long-running task runs as its user, logs, and stops within kill_timeout", "[integration]") {
  TestFleet& f = fleet();
  std::string hcl = kLongRunning;
  hcl.replace(hcl.find("driver = \"raw_exec\""), 19, "driver = \"exec\"\n      user = \"nobody\"");
  PlacedTask placed(f, 1, hcl, {{"http", 8080, 0}});
  placed.start();
  ObservedTask t = placed.await("running", 5s);
  CHECK(skiff::drivers::to_string(t.state) == "running");
  CHECK_THAT(t.limits, Catch::StartsWith("memory=300MB cpu_shares=100"));
  std::this_thread::sleep_for(500ms);
  CommandResult who = placed.run(
      {{"sh", "-c", "ps -o user= -p \"$(sed -n 's/^pid=//p' \"$1/status\")\"", "_", placed.allocation.control_dir("t")},
       std::nullopt,
       0ms});
  CHECK(who.stdout_data == "nobody\n");
  CommandResult logs = placed.run(task_logs_command(placed.allocation, "t", "stdout", 200));
  CHECK_THAT(logs.stdout_data, Catch::Contains("NOMAD_ALLOC_NAME=env-check.g[0]\n"));
  auto t0 = std::chrono::steady_clock::now();
  placed.run(stop_supervised_task_command(placed.allocation, "t"));
  CHECK(std::chrono::steady_clock::now() - t0 < 6s);
  ObservedTask stopped = placed.observe();
  CHECK(skiff::drivers::to_string(stopped.state) == "dead");
  CHECK(stopped.reason == "stopped");
}

TEST_CASE("observation installs its script once per host by content hash, then sends a short command", "[integration]") {
  TestFleet& f = fleet();
  SshPool pool;
  std::vector<HostToObserve> hosts;
  for (size_t i : {0, 1}) {
    pool.add_host(f.target(i));
    hosts.push_back({f.hosts()[i].name, "/var/lib/skiff"});
  }
  for (const auto& h : hosts)
    pool.run_all({HostCommand{h.host, Command{{"rm", "-rf", "/var/lib/skiff/bin"}, std::nullopt, 0ms}}});
  auto missing = pool.run_all({HostCommand{hosts[0].host, observe_installed_command("/var/lib/skiff")}});
  REQUIRE(missing[0].ok());
  CHECK(is_observe_script_missing(*missing[0], "/var/lib/skiff"));

  auto first = observe_hosts(pool, hosts);  // installs, then observes
  for (auto& o : first) CHECK(o.ok());
  auto steady = pool.run_all({HostCommand{hosts[1].host, observe_installed_command("/var/lib/skiff")}});
  REQUIRE(steady[0].ok());
  CHECK(steady[0]->exit_status == 0);
  CHECK(parse_observation(steady[0]->stdout_data).ok());
  // The installed awk program is not sent again: only the short launcher.
  CHECK(shell_join(observe_installed_command("/var/lib/skiff").argv).size() < 1500);
  CommandResult installed =
      *pool.run_all({HostCommand{hosts[0].host, Command{{"sh", "-c", "ls /var/lib/skiff/bin"}, std::nullopt, 0ms}}})[0];
  CHECK(std::regex_match(installed.stdout_data, std::regex("observe-[0-9a-f]{16}\\.awk\n")));
}

TEST_CASE("observation reports the facts the last fingerprint kept, in the same round trip", "[integration]") {
  TestFleet& f = fleet();
  SshPool pool;
  pool.add_host(f.target(0));
  const std::string host = f.hosts()[0].name;
  auto run = [&](const Command& c) { return *pool.run_all({HostCommand{host, c}})[0]; };
  run(Command{{"rm", "-f", "/var/lib/skiff/facts.json"}, std::nullopt, 0ms});
  auto before = parse_observation(run(observe_command("/var/lib/skiff")).stdout_data);
  REQUIRE(before.ok());
  CHECK_FALSE(before->facts);  // nothing kept yet: fingerprint first
  CHECK(run(fingerprint_command("/var/lib/skiff")).exit_status == 0);
  auto after = parse_observation(run(observe_command("/var/lib/skiff")).stdout_data);
  REQUIRE(after.ok());
  REQUIRE(after->facts);
  CHECK(after->facts->hostname == host);
  CHECK(after->facts->drivers.at("raw_exec").healthy);
}
