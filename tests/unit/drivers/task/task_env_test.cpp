#include "drivers/task/task_env.hpp"

#include <catch2/catch.hpp>

#include "drivers/host/observe.hpp"
#include "drivers/task/allocation.hpp"
#include "drivers/task/supervisor.hpp"
#include "support/job_from_hcl.hpp"

using namespace skiff::drivers;
using skiff::testing::job_from;

namespace {

const char* kJob = R"(
job "web" {
  meta { team = "core" }
  group "front" {
    meta { team = "edge" }
    task "server" {
      driver = "raw_exec"
      meta { build-id = "42" }
      env {
        LISTEN = "${NOMAD_IP_http-api}:${NOMAD_PORT_http-api}"
        KERNEL = "${attr.kernel.name}/${attr.cpu.arch} ${node.unique.name} ${meta.rack} ${attr.driver.podman}"
        LATER  = "${NOMAD_UPSTREAM_ADDR_db} stays"
      }
      resources {
        cpu    = 250
        memory = 128
      }
      config {
        command = "/usr/bin/server"
        args    = ["--port", "${NOMAD_PORT_http-api}", "it's"]
      }
    }
  }
}
)";

struct Fixture {
  skiff::spec::Job job = job_from(kJob);
  skiff::spec::Host host;
  HostFacts facts;
  Allocation allocation;
  Fixture() {
    host.name = "h1";
    host.meta = {{"rack", "r7"}};
    facts.kernel_name = "linux";
    facts.arch = "amd64";
    facts.drivers["podman"] = DriverFact{true, true, "4.3.1", ""};
    allocation.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
    allocation.job = "web";
    allocation.group = "front";
    allocation.index = 2;
    allocation.host_address = "10.0.0.5";
    allocation.ports = {{"http-api", 25123, 8080}};
  }
  TaskContext context() const { return TaskContext{job, job.groups[0], job.groups[0].tasks[0], allocation, host, facts}; }
};

}  // namespace

TEST_CASE("task_environment gives Nomad's variables, cleaned names, merged meta and the interpolated task env", "[drivers]") {
  Fixture f;
  auto env = task_environment(f.context());
  CHECK(env.at("NOMAD_ALLOC_ID") == f.allocation.id);
  CHECK(env.at("NOMAD_ALLOC_INDEX") == "2");
  CHECK(env.at("NOMAD_ALLOC_NAME") == "web.front[2]");
  CHECK(env.at("NOMAD_JOB_NAME") == "web");
  CHECK(env.at("NOMAD_GROUP_NAME") == "front");
  CHECK(env.at("NOMAD_TASK_NAME") == "server");
  CHECK(env.at("NOMAD_ALLOC_DIR") == "/var/lib/skiff/allocs/" + f.allocation.id + "/alloc");
  CHECK(env.at("NOMAD_TASK_DIR") == "/var/lib/skiff/allocs/" + f.allocation.id + "/server/local");
  CHECK(env.at("NOMAD_SECRETS_DIR") == "/var/lib/skiff/allocs/" + f.allocation.id + "/server/secrets");
  CHECK(env.at("NOMAD_CPU_LIMIT") == "250");
  CHECK(env.at("NOMAD_MEMORY_LIMIT") == "128");
  CHECK(env.at("NOMAD_PORT_http_api") == "8080");  // the port inside, `to`
  CHECK(env.at("NOMAD_HOST_PORT_http_api") == "25123");
  CHECK(env.at("NOMAD_ADDR_http_api") == "10.0.0.5:25123");
  CHECK(env.at("NOMAD_META_team") == "edge");  // the group's wins over the job's
  CHECK(env.at("NOMAD_META_TEAM") == "edge");
  CHECK(env.at("NOMAD_META_build_id") == "42");
  CHECK(env.at("NOMAD_META_BUILD_ID") == "42");
  // ${NOMAD_IP_http-api} names the label as written; the variable is cleaned.
  CHECK(env.at("LISTEN") == "${NOMAD_IP_http-api}:${NOMAD_PORT_http-api}");
  CHECK(env.at("KERNEL") == "linux/amd64 h1 r7 1");
  CHECK(env.at("LATER") == "${NOMAD_UPSTREAM_ADDR_db} stays");
}

TEST_CASE("the run script quotes every piece and fills runtime references in args", "[drivers]") {
  Fixture f;
  auto script = task_run_script(f.context());
  REQUIRE(script.ok());
  CHECK_THAT(*script, Catch::StartsWith("cd /var/lib/skiff/allocs/" + f.allocation.id + "/server && exec env "));
  CHECK_THAT(*script, Catch::Contains(" 'NOMAD_PORT_http_api=8080' "));
  CHECK_THAT(*script, Catch::EndsWith(" /usr/bin/server --port '${NOMAD_PORT_http-api}' 'it'\\''s'\n"));

  skiff::spec::Job docker = job_from(R"(job "d" {
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis" }
    }
  }
})");
  TaskContext c{docker, docker.groups[0], docker.groups[0].tasks[0], f.allocation, f.host, f.facts};
  auto refused = task_run_script(c);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "task \"t\": the supervisor runs raw_exec, exec and java tasks, not \"docker\"");
}

TEST_CASE("kill_signal names are normalised; anything else is refused", "[drivers]") {
  CHECK(signal_name("") == "TERM");
  CHECK(signal_name("SIGINT") == "INT");
  CHECK(signal_name("sigusr1") == "USR1");
  CHECK_FALSE(signal_name("TERM; rm -rf /"));
  CHECK_FALSE(signal_name("SIG"));
  CHECK_FALSE(signal_name("SIGFOO"));
  CHECK(signal_name("SIGWINCH") == "WINCH");
}

TEST_CASE("an observation with a damaged alloc.json reports it and keeps the others", "[drivers]") {
  Allocation a;
  a.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
  a.job = "web";
  a.group = "front";
  nlohmann::json good = allocation_to_json(a);
  nlohmann::json output = {{"format", 1},
                           {"allocs",
                            {{{"dir", "/d/allocs/x"}, {"alloc", "{not json"}, {"tasks", nlohmann::json::object()}},
                             {{"dir", "/d/allocs/" + a.id},
                              {"alloc", good.dump()},
                              {"tasks",
                               {{"t1",
                                 {{"state", "running"},
                                  {"restarts", "1"},
                                  {"exit_code", "3"},
                                  {"reason", ""},
                                  {"since", "17"},
                                  {"supervisor_alive", false}}},
                                {"t2",
                                 {{"state", "dead"},
                                  {"restarts", "0"},
                                  {"exit_code", ""},
                                  {"reason", "stopped"},
                                  {"since", ""},
                                  {"supervisor_alive", false}}}}}}}}};
  auto observation = parse_observation(output.dump());
  REQUIRE(observation.ok());
  CHECK(observation->unreadable == std::vector<std::string>{"/d/allocs/x"});
  REQUIRE(observation->allocations.size() == 1);
  const ObservedAllocation& o = observation->allocations[0];
  CHECK(o.allocation.id == a.id);
  CHECK(skiff::drivers::to_string(o.tasks.at("t1").state) == "lost");
  CHECK(o.tasks.at("t1").reason == "the supervisor is gone (was running)");
  CHECK(o.tasks.at("t1").restarts == 1);
  CHECK(o.tasks.at("t1").exit_code == 3);
  CHECK(skiff::drivers::to_string(o.tasks.at("t2").state) == "dead");
  CHECK_FALSE(o.tasks.at("t2").exit_code);
  CHECK_FALSE(parse_observation("garbage").ok());
  // A hostile host's documents: an error for that host, never a throw.
  for (const char* document :
       {R"({"format":1,"allocs":[1]})", R"({"format":1,"allocs":[{"alloc":5}]})",
        R"({"format":1,"allocs":[{"alloc":"{}","tasks":{"t":7}}]})", R"({"format":1,"allocs":[],"facts":3})",
        R"({"format":1,"allocs":[],"orphans":"x","lingering":{"a":1}})"}) {
    INFO(document);
    CHECK_NOTHROW(parse_observation(document));
  }
  CHECK_FALSE(parse_observation(R"({"format":1,"allocs":[1]})").ok());
}

TEST_CASE("a host's observation names only its own containers and docker or podman; its text is made terminal-safe",
          "[drivers]") {
  Fixture f;
  const Allocation& a = f.allocation;
  auto document = [&](const std::string& cli, const std::string& container, const std::string& reason) {
    nlohmann::json task = {{"state", "running"}, {"restarts", "0"}, {"reason", reason},      {"supervisor_alive", false},
                           {"driver", "docker"}, {"cli", cli},      {"container", container}};
    nlohmann::json entry = {{"dir", "/d/allocs/" + a.id}, {"alloc", allocation_to_json(a).dump()}, {"tasks", {{"t", task}}}};
    return nlohmann::json{{"format", 1}, {"allocs", {entry}}}.dump();
  };
  const std::string own = "skiff-" + a.id + "-t";
  auto good = parse_observation(document("podman", own, "exited\x1b[2J\rhidden\x07"));
  REQUIRE(good.ok());
  REQUIRE(good->allocations.size() == 1);
  CHECK(good->allocations[0].tasks.at("t").reason == "the container is gone (was running: exited\\x1b[2J\\x0dhidden\\x07)");
  for (const auto& [cli, container] : std::vector<std::pair<std::string, std::string>>{
           {"sh -c 'rm -rf /'", own}, {"docker", "skiff-00000000-0000-4000-8000-000000000000-t"}, {"podman", "postgres"}}) {
    INFO(cli << " " << container);
    auto forged = parse_observation(document(cli, container, ""));
    REQUIRE(forged.ok());
    CHECK(forged->allocations.empty());
    CHECK(forged->unreadable == std::vector<std::string>{"/d/allocs/" + a.id});
  }
}

TEST_CASE("allocation JSON round-trips and only skiff's ids are accepted", "[drivers]") {
  Fixture f;
  auto back = allocation_from_json(allocation_to_json(f.allocation));
  REQUIRE(back);
  CHECK(back->name() == "web.front[2]");
  CHECK(back->ports.at(0).host_port == 25123);
  CHECK(is_allocation_id(f.allocation.id));
  CHECK_FALSE(is_allocation_id("../../etc/passwd-0000-0000-0000-000000"));
  nlohmann::json evil = allocation_to_json(f.allocation);
  evil["id"] = "../x";
  CHECK_FALSE(allocation_from_json(evil));
  CHECK(allocation_from_json(evil).error().message == "alloc.json: id: not an allocation id skiff makes");
}

TEST_CASE("a bad alloc.json is an error naming the field, not an exception", "[drivers]") {
  Fixture f;
  nlohmann::json bad = allocation_to_json(f.allocation);
  bad["index"] = "2";
  CHECK(allocation_from_json(bad).error().message == "alloc.json: index: expected an integer, got string");
  bad = allocation_to_json(f.allocation);
  bad["ports"][0].erase("host_port");
  CHECK(allocation_from_json(bad).error().message == "alloc.json: ports[0].host_port: missing");
  bad = allocation_to_json(f.allocation);
  bad["resources"] = "lots";
  CHECK(allocation_from_json(bad).error().message == "alloc.json: resources: expected an object, got string");
  CHECK(allocation_from_json(nlohmann::json("not an object")).error().message == "alloc.json: expected an object, got string");
  // Fields a newer skiff may add are ignored.
  nlohmann::json newer = allocation_to_json(f.allocation);
  newer["affinity_score"] = 0.5;
  CHECK(allocation_from_json(newer).ok());
}

TEST_CASE("a task's spec hash is stable and follows every change of the spec", "[drivers]") {
  nlohmann::json spec = {{"name", "t"}, {"driver", "raw_exec"}, {"config", {{"command", "/bin/true"}}}};
  const std::string hash = task_spec_hash(spec);
  CHECK(hash.rfind("sha256:", 0) == 0);
  CHECK(hash.size() == 7 + 16);
  CHECK(task_spec_hash(spec) == hash);
  spec["config"]["command"] = "/bin/false";
  CHECK(task_spec_hash(spec) != hash);
}

TEST_CASE("a supervised task's environment reaches the host on stdin, never in the start command's arguments", "[drivers]") {
  Fixture f;
  f.job.groups[0].tasks[0].env["DB_PASSWORD"] = "S3CRETpw";
  auto start = start_supervised_task_command(f.context());
  REQUIRE(start.ok());
  REQUIRE(start->stdin_data);
  CHECK_THAT(*start->stdin_data, Catch::Contains("'DB_PASSWORD=S3CRETpw'"));
  for (const std::string& arg : start->argv) CHECK(arg.find("S3CRETpw") == std::string::npos);
}
