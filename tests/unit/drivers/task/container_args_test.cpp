// The docker driver's `run` arguments, as text: what reaches the CLI.
#include <catch2/catch.hpp>

#include <algorithm>

#include "drivers/task/container.hpp"
#include "support/job_from_hcl.hpp"

using namespace skiff::drivers;

namespace {

const char* kJob = R"(
job "db" {
  group "g" {
    restart {
      attempts = 4
    }
    network {
      port "sql" {
        static = 3306
      }
      port "admin" {
        to = 8080
      }
    }
    volume "data" {
      type   = "host"
      source = "mysql-data"
    }
    task "mysql" {
      driver       = "docker"
      kill_signal  = "SIGINT"
      kill_timeout = "20s"
      volume_mount {
        volume      = "data"
        destination = "/var/lib/mysql"
      }
      resources {
        cpu    = 500
        memory = 512
      }
      config {
        image   = "mysql:8"
        ports   = ["sql"]
        command = "mysqld"
        args    = ["--port=${NOMAD_PORT_sql}"]
      }
    }
  }
}
)";

struct Fixture {
  skiff::spec::Job job;
  skiff::spec::Host host;
  HostFacts facts;
  Allocation allocation;
  Fixture() : job(skiff::testing::job_from(kJob)) {
    host.name = "db-1";
    host.host_volumes = {{"mysql-data", "/srv/mysql", false}};
    allocation.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
    allocation.job = "db";
    allocation.group = "g";
    allocation.host_address = "10.0.0.9";
    allocation.ports = {{"sql", 3306, 0}, {"admin", 24000, 8080}};
  }
  TaskContext context() const { return TaskContext{job, job.groups[0], job.groups[0].tasks[0], allocation, host, facts}; }
};

bool has_pair(const std::vector<std::string>& args, const std::string& flag, const std::string& value) {
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == flag && args[i + 1] == value) return true;
  return false;
}

}  // namespace

TEST_CASE("docker run arguments: labels, Nomad's mounts, host volumes, chosen ports, limits, restart and stop", "[drivers]") {
  Fixture f;
  auto args = container_run_args(f.context(), "docker");
  REQUIRE(args.ok());
  CHECK(has_pair(*args, "--label", "skiff.alloc=" + f.allocation.id));
  CHECK(has_pair(*args, "--label", "skiff.task=mysql"));
  // The environment goes in the env file, not in arguments.
  CHECK(std::find(args->begin(), args->end(), "--env") == args->end());
  const std::string env_file = container_env_file(container_environment(f.context()));
  CHECK_THAT(env_file, Catch::Contains("\nNOMAD_TASK_DIR=/local\n"));
  CHECK_THAT(env_file, Catch::Contains("\nNOMAD_PORT_sql=3306\n"));
  CHECK(has_pair(*args, "--volume", "/var/lib/skiff/allocs/" + f.allocation.id + "/alloc:/alloc"));
  CHECK(has_pair(*args, "--volume", "/srv/mysql:/var/lib/mysql"));
  CHECK(has_pair(*args, "--publish", "3306:3306"));
  CHECK_FALSE(has_pair(*args, "--publish", "24000:8080"));  // not in config.ports
  CHECK(has_pair(*args, "--memory", "512m"));
  CHECK(has_pair(*args, "--cpu-shares", "500"));
  CHECK(has_pair(*args, "--restart", "on-failure:4"));
  CHECK(has_pair(*args, "--stop-signal", "INT"));
  CHECK(has_pair(*args, "--stop-timeout", "20"));
  REQUIRE(args->size() >= 4);
  CHECK(std::vector<std::string>(args->end() - 4, args->end()) ==
        std::vector<std::string>{"--", "mysql:8", "mysqld", "--port=3306"});
  CHECK(container_name(f.allocation, "mysql") == "skiff-" + f.allocation.id + "-mysql");
}

TEST_CASE("a host without the job's host volume, or without a container runtime, is refused by name", "[drivers]") {
  Fixture f;
  f.host.host_volumes.clear();
  auto args = container_run_args(f.context(), "docker");
  REQUIRE_FALSE(args.ok());
  CHECK(args.error().message == "task \"mysql\": host db-1 has no host_volume \"mysql-data\" in the inventory");

  HostFacts none;
  none.drivers["docker"] = DriverFact{true, false, "", "Cannot connect to the Docker daemon"};
  auto cli = container_cli(none);
  REQUIRE_FALSE(cli.ok());
  CHECK(cli.error().message ==
        "the docker driver needs docker or podman on the host (docker: Cannot connect to the Docker daemon)");
  none.drivers["podman"] = DriverFact{true, true, "4.3.1", ""};
  CHECK(*container_cli(none) == "podman");
}

TEST_CASE("a podman task runs on podman where both runtimes work, a docker task on docker", "[drivers]") {
  HostFacts both;
  both.drivers["docker"] = DriverFact{true, true, "24.0.5", ""};
  both.drivers["podman"] = DriverFact{true, true, "4.3.1", ""};
  CHECK(*container_cli(both, "podman") == "podman");
  CHECK(*container_cli(both, "docker") == "docker");
  both.drivers["podman"] = DriverFact{true, false, "", "no runtime"};
  CHECK(*container_cli(both, "podman") == "docker");
  both.drivers["docker"] = DriverFact{true, false, "", "Cannot connect to the Docker daemon"};
  auto neither = container_cli(both, "podman");
  REQUIRE_FALSE(neither.ok());
  CHECK(neither.error().message ==
        "the podman driver needs podman or docker on the host (podman: no runtime; docker: Cannot connect to the Docker daemon)");
}

TEST_CASE("docker logging, labels and volumes from the config, with runtime references filled in at any depth", "[drivers]") {
  Fixture f;
  f.job = skiff::testing::job_from(R"(
job "db" {
  group "g" {
    task "mysql" {
      driver = "docker"
      config {
        image   = "mysql:${attr.cpu.arch}"
        volumes = ["conf:/etc/mysql/conf.d", "/srv/backup:/backup:ro"]
        labels {
          team = "data-${node.datacenter}"
        }
        logging {
          type = "journald"
          config {
            tag = "${NOMAD_ALLOC_NAME}"
          }
        }
      }
    }
  }
}
)");
  f.facts.arch = "arm64";
  // An absolute source only where the host's inventory allows it.
  auto refused = container_run_args(f.context(), "podman");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        "task \"mysql\": volume source \"/srv/backup\" is a path on host db-1, which its inventory does not allow: set "
        "docker { volumes_enabled = true } for it in hosts.hcl, or use a host_volume");
  f.host.docker_volumes_enabled = true;
  auto args = container_run_args(f.context(), "podman");
  REQUIRE(args.ok());
  CHECK(has_pair(*args, "--log-driver", "journald"));
  CHECK(has_pair(*args, "--log-opt", "tag=db.g[0]"));
  CHECK(has_pair(*args, "--label", "team=data-dc1"));
  CHECK(has_pair(*args, "--volume", "/var/lib/skiff/allocs/" + f.allocation.id + "/mysql/conf:/etc/mysql/conf.d"));
  CHECK(has_pair(*args, "--volume", "/srv/backup:/backup:ro"));
  CHECK(args->back() == "mysql:arm64");
}

TEST_CASE("a relative volume or bind source may reach the allocation's folder, never leave it", "[drivers]") {
  for (const char* source : {"../../../../etc", "../../x", "a/../../../b"}) {
    Fixture f;
    f.job.groups[0].tasks[0].config = skiff::parser::Value::object(
        {{"image", skiff::parser::Value::string("alpine:3")},
         {"volumes", skiff::parser::Value::list({skiff::parser::Value::string(std::string(source) + ":/hostetc")})}});
    auto args = container_run_args(f.context(), "docker");
    INFO(source);
    REQUIRE_FALSE(args.ok());
    CHECK(args.error().message == "task \"mysql\": volume source \"" + std::string(source) + "\" leaves the allocation's folder");
  }
  Fixture f;
  f.job.groups[0].tasks[0].config = skiff::parser::Value::object(
      {{"image", skiff::parser::Value::string("alpine:3")},
       {"volumes", skiff::parser::Value::list({skiff::parser::Value::string("../alloc/data:/data")})}});
  auto args = container_run_args(f.context(), "docker");
  REQUIRE(args.ok());
  CHECK(has_pair(*args, "--volume", "/var/lib/skiff/allocs/" + f.allocation.id + "/mysql/../alloc/data:/data"));
}

TEST_CASE("without a logging block the runtime's log is capped by the task's logs block; disabled logs go nowhere", "[drivers]") {
  Fixture f;
  f.job.groups[0].tasks[0].logs.max_files = 3;
  f.job.groups[0].tasks[0].logs.max_file_size_mb = 7;
  auto docker = container_run_args(f.context(), "docker");
  REQUIRE(docker.ok());
  CHECK(has_pair(*docker, "--log-opt", "max-size=7m"));
  CHECK(has_pair(*docker, "--log-opt", "max-file=3"));
  auto podman = container_run_args(f.context(), "podman");
  REQUIRE(podman.ok());
  CHECK(has_pair(*podman, "--log-opt", "max-size=7m"));
  CHECK_FALSE(has_pair(*podman, "--log-opt", "max-file=3"));
  f.job.groups[0].tasks[0].logs.disabled = true;
  auto off = container_run_args(f.context(), "docker");
  REQUIRE(off.ok());
  CHECK(has_pair(*off, "--log-driver", "none"));
}

TEST_CASE("docker mounts and privileged reach the run arguments; a relative bind source is under the task's folder",
          "[drivers]") {
  Fixture f;
  f.job = skiff::testing::job_from(R"(
job "db" {
  group "g" {
    task "mysql" {
      driver = "docker"
      config {
        image      = "mysql:8"
        privileged = true
        mount {
          type     = "bind"
          source   = "conf"
          target   = "/etc/mysql/conf.d"
          readonly = true
        }
        mount {
          source = "mysql-cache"
          target = "/cache"
        }
      }
    }
  }
}
)");
  auto args = container_run_args(f.context(), "docker");
  REQUIRE(args.ok());
  CHECK(has_pair(*args, "--mount",
                 "type=bind,source=/var/lib/skiff/allocs/" + f.allocation.id + "/mysql/conf,target=/etc/mysql/conf.d,readonly"));
  CHECK(has_pair(*args, "--mount", "type=volume,source=mysql-cache,target=/cache"));
  CHECK(std::find(args->begin(), args->end(), "--privileged") != args->end());
}

TEST_CASE(
    "the podman plugin's keys map onto the container driver: working_dir, memory_reservation, entrypoint as a string, "
    "logging driver and options; numbers in args read as text",
    "[drivers]") {
  Fixture f;
  f.job = skiff::testing::job_from(R"(
job "db" {
  group "g" {
    task "redis" {
      driver = "podman"
      config {
        image              = "docker.io/library/redis:7"
        working_dir        = "/data"
        memory_reservation = "128m"
        entrypoint         = "/usr/local/bin/redis-server"
        args               = ["--port", 6379]
        logging {
          driver = "journald"
          options {
            tag = "redis"
          }
        }
      }
    }
  }
}
)");
  auto args = container_run_args(f.context(), "podman");
  REQUIRE(args.ok());
  CHECK(has_pair(*args, "--workdir", "/data"));
  CHECK(has_pair(*args, "--memory-reservation", "128m"));
  CHECK(has_pair(*args, "--entrypoint", "/usr/local/bin/redis-server"));
  CHECK(has_pair(*args, "--log-driver", "journald"));
  CHECK(has_pair(*args, "--log-opt", "tag=redis"));
  REQUIRE(args->size() >= 3);
  CHECK(std::vector<std::string>(args->end() - 3, args->end()) ==
        std::vector<std::string>{"docker.io/library/redis:7", "--port", "6379"});
}

TEST_CASE("a container's environment reaches the host on stdin, never in the start command's arguments", "[drivers]") {
  Fixture f;
  f.job.groups[0].tasks[0].env["DB_PASSWORD"] = "S3CRETpw";
  f.job.groups[0].tasks[0].env["TLS_KEY"] = "-----BEGIN KEY-----\nS3CRETkey\n-----END KEY-----";
  auto start = start_container_command(f.context(), "podman");
  REQUIRE(start.ok());
  REQUIRE(start->stdin_data);
  CHECK_THAT(*start->stdin_data, Catch::StartsWith("DB_PASSWORD=S3CRETpw\n"));
  for (const std::string& arg : start->argv) CHECK(arg.find("S3CRETpw") == std::string::npos);
  // A value an env file cannot carry (a newline) stays an argument, whole.
  CHECK(has_pair(start->argv, "--env", "TLS_KEY=-----BEGIN KEY-----\nS3CRETkey\n-----END KEY-----"));
  CHECK(start->stdin_data->find("S3CRETkey") == std::string::npos);

  CHECK(fits_env_file("plain value = with spaces"));
  CHECK(fits_env_file("caf\xc3\xa9"));
  CHECK_FALSE(fits_env_file("line\nbreak"));
  CHECK_FALSE(fits_env_file("ends in\r"));
  CHECK_FALSE(fits_env_file(std::string("nul\0byte", 8)));
  CHECK_FALSE(fits_env_file("bad \xff utf-8"));
}
