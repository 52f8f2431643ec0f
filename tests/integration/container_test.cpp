// The docker driver against podman on real fleet hosts (the fleet runs with
// --containers: each host its own store holding localhost/skiff-busybox).
// Host 1 (healthy) only.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "drivers/host/fingerprint.hpp"
#include "drivers/host/observe.hpp"
#include "drivers/ssh/ssh_pool.hpp"
#include "drivers/task/container.hpp"
#include "drivers/task/task_driver.hpp"
#include "fleet_fixture.hpp"
#include "parser/environment.hpp"
#include "parser/load.hpp"
#include "placed_task.hpp"

using namespace skiff::drivers;
using skiff::testing::fleet;
using skiff::testing::PlacedTask;
using skiff::testing::TestFleet;
using namespace std::chrono_literals;

TEST_CASE("docker driver on podman: a published port answers on the host's address; logs; stop", "[integration][containers]") {
  TestFleet& f = fleet();
  PlacedTask c(f, 1, R"(
job "web" {
  group "g" {
    network {
      port "http" {
        static = 18080
        to     = 8080
      }
    }
    task "httpd" {
      driver = "docker"
      kill_timeout = "2s"
      env {
        GREETING = "hello from ${NOMAD_ALLOC_NAME}"
        TWO_LINES = "first\nsecond"
      }
      config {
        image   = "localhost/skiff-busybox:latest"
        command = "sh"
        args    = ["-c", "echo \"$GREETING\" > /local/index.html; echo \"$TWO_LINES\" > /local/two; echo started; exec httpd -f -p 8080 -h /local"]
        ports   = ["http"]
      }
    }
  }
}
)",
               {{"http", 18080, 8080}});
  c.start();
  ObservedTask t = c.await("running", 10s);
  CHECK(skiff::drivers::to_string(t.state) == "running");
  CHECK(t.driver == "docker");
  CHECK(t.cli == "podman");
  CHECK(t.container == container_name(c.allocation, "httpd"));

  // On the host's own address, as another machine would reach it.
  CommandResult fetched;
  for (int i = 0; i < 20; ++i) {
    fetched = c.run(
        {{"sh", "-c", "wget -q -O - http://" + c.host.address + ":18080/ 2>&1 || curl -s http://" + c.host.address + ":18080/"},
         std::nullopt,
         5s});
    if (fetched.stdout_data.find("hello") != std::string::npos) break;
    std::this_thread::sleep_for(250ms);
  }
  CHECK(fetched.stdout_data == "hello from web.g[0]\n");

  // The environment came through .skiff/env (0600, one line a variable);
  // a value with a newline, which an env file cannot hold, as an argument.
  const std::string control = c.allocation.control_dir("httpd");
  CHECK(c.run({{"stat", "-c", "%a", control + "/env"}, std::nullopt, 5s}).stdout_data == "600\n");
  CHECK(c.run({{"grep", "-c", "^GREETING=hello from web.g\\[0\\]$", control + "/env"}, std::nullopt, 5s}).stdout_data == "1\n");
  CHECK(c.run({{"cat", c.allocation.task_dir("httpd") + "/local/two"}, std::nullopt, 5s}).stdout_data == "first\nsecond\n");

  CommandResult logs = c.run(driver_of(t).logs(c.allocation, "httpd", t, "stdout", 10));
  CHECK(logs.stdout_data == "started\n");

  CommandResult labels = c.run({{"podman", "inspect", "--format",
                                 "{{index .Config.Labels \"skiff.alloc\"}} {{index .Config.Labels \"skiff.task\"}}", t.container},
                                std::nullopt,
                                10s});
  CHECK(labels.stdout_data == c.allocation.id + " httpd\n");

  CommandResult stopped = c.run(driver_of(t).stop(c.allocation, "httpd", t));
  CHECK(stopped.stdout_data == "state=dead\n");
  ObservedTask after = c.observe();
  CHECK(skiff::drivers::to_string(after.state) == "dead");
  CHECK(after.reason == "stopped");

  CommandResult purged = c.run(purge_command("/var/lib/skiff", ObservedAllocation{c.allocation, {{"httpd", after}}}));
  CHECK(purged.exit_status == 0);
  CHECK(c.run({{"podman", "ps", "-a", "-q", "--filter", "label=skiff.alloc=" + c.allocation.id}, std::nullopt, 10s})
            .stdout_data.empty());
}

TEST_CASE("docker driver on podman: a crashing container is restarted by the runtime, counted, then dead with its exit code",
          "[integration][containers]") {
  TestFleet& f = fleet();
  PlacedTask c(f, 1, R"(
job "crash" {
  group "g" {
    restart {
      attempts = 2
      delay    = "0s"
    }
    task "boom" {
      driver = "docker"
      config {
        image   = "localhost/skiff-busybox:latest"
        command = "sh"
        args    = ["-c", "echo try >> /alloc/data/tries; exit 5"]
      }
    }
  }
}
)",
               {});
  c.start();
  ObservedTask t = c.await("dead", 20s);
  CHECK(skiff::drivers::to_string(t.state) == "dead");
  CHECK(t.exit_code == 5);
  CHECK(t.restarts == 2);
  CHECK(t.reason == "exited with status 5");
  CHECK(c.run({{"cat", c.allocation.alloc_dir() + "/data/tries"}, std::nullopt, 5s}).stdout_data == "try\ntry\ntry\n");
}

TEST_CASE(
    "driver \"podman\": the plugin's working_dir, memory_reservation and string entrypoint reach the container; "
    "docker's mount binds a task folder",
    "[integration][containers]") {
  TestFleet& f = fleet();
  PlacedTask c(f, 1, R"(
job "plugin" {
  group "g" {
    task "probe" {
      driver = "podman"
      config {
        image              = "localhost/skiff-busybox:latest"
        entrypoint         = "/bin/sh"
        args               = ["-c", "pwd > /alloc/data/wd; cat /sys/fs/cgroup/memory.low > /alloc/data/low 2>/dev/null; sleep 300"]
        working_dir        = "/local"
        memory_reservation = "64m"
      }
    }
  }
}
)",
               {});
  c.start();
  ObservedTask t = c.await("running", 20s);
  CHECK(skiff::drivers::to_string(t.state) == "running");
  CommandResult wd;
  for (int i = 0; i < 40 && wd.stdout_data.empty(); ++i) {
    std::this_thread::sleep_for(250ms);
    wd = c.run({{"sh", "-c", "cat " + c.allocation.alloc_dir() + "/data/wd 2>/dev/null || true"}, std::nullopt, 5s});
  }
  CHECK(wd.stdout_data == "/local\n");
  CommandResult reservation =
      c.run({{"podman", "inspect", "--format", "{{.HostConfig.MemoryReservation}}", t.container}, std::nullopt, 10s});
  CHECK(reservation.stdout_data == std::to_string(64 * 1024 * 1024) + "\n");
  CHECK(c.run(driver_of(t).stop(c.allocation, "probe", t)).stdout_data == "state=dead\n");
  c.run(purge_command("/var/lib/skiff", ObservedAllocation{c.allocation, {{"probe", c.observe()}}}));

  PlacedTask m(f, 1, R"(
job "mounts" {
  group "g" {
    task "reader" {
      driver = "docker"
      config {
        image   = "localhost/skiff-busybox:latest"
        command = "sh"
        args    = ["-c", "cat /etc/probe/greeting > /alloc/data/read; sleep 300"]
        mount {
          type     = "bind"
          source   = "local"
          target   = "/etc/probe"
          readonly = true
        }
      }
    }
  }
}
)",
               {});
  m.run({{"sh", "-c", "mkdir -p \"$1\" && echo hi > \"$1/greeting\"", "sh", m.allocation.task_dir("reader") + "/local"},
         std::nullopt,
         5s});
  m.start();
  ObservedTask r = m.await("running", 20s);
  CommandResult read;
  for (int i = 0; i < 40 && read.stdout_data.empty(); ++i) {
    std::this_thread::sleep_for(250ms);
    read = m.run({{"sh", "-c", "cat " + m.allocation.alloc_dir() + "/data/read 2>/dev/null || true"}, std::nullopt, 5s});
  }
  CHECK(read.stdout_data == "hi\n");
  CHECK(m.run(driver_of(r).stop(m.allocation, "reader", r)).stdout_data == "state=dead\n");
  m.run(purge_command("/var/lib/skiff", ObservedAllocation{m.allocation, {{"reader", m.observe()}}}));
}

TEST_CASE("a skiff-labelled container whose allocation folder is gone is reported, not hidden", "[integration][containers]") {
  TestFleet& f = fleet();
  PlacedTask c(f, 1, R"(
job "stray" {
  group "g" {
    task "s" {
      driver = "docker"
      config {
        image   = "localhost/skiff-busybox:latest"
        command = "sleep"
        args    = ["1000"]
      }
    }
  }
}
)",
               {});
  c.start();
  REQUIRE(skiff::drivers::to_string(c.await("running", 10s).state) == "running");
  c.run({{"rm", "-rf", c.allocation.dir()}, std::nullopt, 10s});
  auto observation = parse_observation(c.run(observe_command(c.allocation.data_dir)).stdout_data);
  REQUIRE(observation.ok());
  const std::string name = container_name(c.allocation, "s");
  CHECK(std::find(observation->orphan_containers.begin(), observation->orphan_containers.end(), name) !=
        observation->orphan_containers.end());
  c.run(remove_container_command("podman", name));
}
