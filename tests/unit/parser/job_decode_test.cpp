// Decoding jobs: Nomad's defaults per job type, policy merging, and the
// blocks every example uses.
#include <catch2/catch.hpp>

#include "parser/load.hpp"
#include "unit/parser/fake_environment.hpp"

using namespace skiff;
using namespace skiff::parser;

namespace {

spec::Job load_ok(const std::string& text) {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  Diagnostics diagnostics;
  LoadedJob loaded = load_job("job.hcl", text, options, diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE_FALSE(diagnostics.has_errors());
  REQUIRE(loaded.job);
  return *loaded.job;
}

std::string job_of_type(const std::string& type, const std::string& group_extra = "") {
  return "job \"j\" {\n  type = \"" + type + "\"\n  group \"g\" {\n" + group_extra +
      "    task \"t\" {\n      driver = \"exec\"\n      config {\n        command = \"true\"\n      }\n    }\n  }\n}\n";
}

}  // namespace

TEST_CASE("service jobs get Nomad's service defaults", "[spec]") {
  spec::Job job = load_ok(job_of_type("service"));
  CHECK(job.priority == 50);
  CHECK(job.datacenters == std::vector<std::string>{"*"});
  CHECK(job.node_pool == "default");
  const spec::Group& g = job.groups.at(0);
  CHECK(g.count == 1);
  CHECK(g.restart.attempts == 2);
  CHECK(g.restart.interval == spec::Duration::minutes(30));
  CHECK(g.restart.delay == spec::Duration::seconds(15));
  CHECK(g.restart.mode == spec::RestartMode::kFail);
  REQUIRE(g.reschedule);
  CHECK(g.reschedule->unlimited);
  CHECK(g.reschedule->delay == spec::Duration::seconds(30));
  CHECK(g.reschedule->delay_function == spec::DelayFunction::kExponential);
  CHECK(g.reschedule->max_delay == spec::Duration::hours(1));
  REQUIRE(g.update);
  CHECK(g.update->max_parallel == 1);
  CHECK(g.update->min_healthy_time == spec::Duration::seconds(10));
  CHECK(g.update->healthy_deadline == spec::Duration::minutes(5));
  CHECK(g.update->progress_deadline == spec::Duration::minutes(10));
  CHECK(g.ephemeral_disk.size_mb == 300);
  const spec::Task& t = g.tasks.at(0);
  CHECK(t.resources.cpu == 100);
  CHECK(t.resources.memory_mb == 300);
  CHECK(t.kill_timeout == spec::Duration::seconds(5));
  CHECK(t.logs.max_files == 10);
  CHECK(t.logs.max_file_size_mb == 10);
}

TEST_CASE("batch, system and sysbatch jobs get their own defaults", "[spec]") {
  spec::Group batch = load_ok(job_of_type("batch")).groups.at(0);
  CHECK(batch.restart.attempts == 3);
  CHECK(batch.restart.interval == spec::Duration::hours(24));
  REQUIRE(batch.reschedule);
  CHECK(batch.reschedule->attempts == 1);
  CHECK(batch.reschedule->interval == spec::Duration::hours(24));
  CHECK(batch.reschedule->delay == spec::Duration::seconds(5));
  CHECK(batch.reschedule->delay_function == spec::DelayFunction::kConstant);
  CHECK_FALSE(batch.reschedule->unlimited);
  CHECK_FALSE(batch.update);
  spec::Group system = load_ok(job_of_type("system")).groups.at(0);
  CHECK_FALSE(system.reschedule);
  CHECK(system.update);
  CHECK(system.restart.attempts == 2);
  spec::Group sysbatch = load_ok(job_of_type("sysbatch")).groups.at(0);
  CHECK_FALSE(sysbatch.reschedule);
  CHECK_FALSE(sysbatch.update);
  CHECK(sysbatch.restart.attempts == 3);
}

TEST_CASE("job-level update merges under the group's; task restart over the group's", "[spec]") {
  spec::Job job = load_ok(
      "job \"j\" {\n  update {\n    max_parallel = 3\n    canary = 1\n  }\n"
      "  group \"g\" {\n    update {\n      canary = 2\n    }\n    restart {\n      attempts = 5\n      mode = \"delay\"\n    }\n"
      "    task \"t\" {\n      driver = \"exec\"\n      config {\n        command = \"true\"\n      }\n      restart {\n        delay = \"1s\"\n      }\n    }\n  }\n}\n");
  const spec::Group& g = job.groups.at(0);
  CHECK(g.update->max_parallel == 3);
  CHECK(g.update->canary == 2);
  CHECK(g.restart.attempts == 5);
  REQUIRE(g.tasks[0].restart);
  CHECK(g.tasks[0].restart->attempts == 5);
  CHECK(g.tasks[0].restart->mode == spec::RestartMode::kDelay);
  CHECK(g.tasks[0].restart->delay == spec::Duration::seconds(1));
}

TEST_CASE("constraint shorthands become operators; meta as block or attribute", "[spec]") {
  spec::Job job = load_ok(
      "job \"j\" {\n  constraint {\n    distinct_hosts = true\n  }\n  constraint {\n    attribute = \"${meta.rack}\"\n"
      "    regexp = \"r[0-9]\"\n  }\n  meta = {\n    \"team-name\" = \"core\"\n  }\n"
      "  group \"g\" {\n    meta {\n      tier = 1\n    }\n    task \"t\" {\n      driver = \"exec\"\n      config {\n        command = \"true\"\n      }\n    }\n  }\n}\n");
  REQUIRE(job.constraints.size() == 2);
  CHECK(job.constraints[0].op == "distinct_hosts");
  CHECK(job.constraints[0].value == "true");
  CHECK(job.constraints[1].op == "regexp");
  CHECK(job.constraints[1].attribute == "${meta.rack}");
  CHECK(job.constraints[1].value == "r[0-9]");
  CHECK(job.meta.at("team-name") == "core");
  CHECK(job.groups[0].meta.at("tier") == "1");
}

TEST_CASE("networks, services, checks, volumes and task config decode", "[spec]") {
  spec::Job job = load_ok(
      "job \"j\" {\n  group \"g\" {\n    network {\n      mode = \"bridge\"\n      port \"http\" {\n        static = 8080\n      "
      "  to = 80\n      }\n    }\n"
      "    volume \"data\" {\n      type = \"host\"\n      source = \"pg\"\n    }\n"
      "    service {\n      name = \"web\"\n      port = \"http\"\n      check {\n        type = \"http\"\n        path = \"/\"\n"
      "        interval = \"5s\"\n        timeout = \"1s\"\n      }\n    }\n"
      "    task \"t\" {\n      driver = \"docker\"\n      config {\n        image = \"nginx\"\n        ports = [\"http\"]\n"
      "        logging {\n          type = \"journald\"\n        }\n      }\n      volume_mount {\n        volume = \"data\"\n"
      "        destination = \"/data\"\n      }\n    }\n  }\n}\n");
  const spec::Group& g = job.groups.at(0);
  REQUIRE(g.network);
  CHECK(g.network->mode == "bridge");
  CHECK(g.network->ports.at(0).static_port == 8080);
  CHECK(g.network->ports.at(0).to == 80);
  CHECK(g.volumes.at(0).source == "pg");
  CHECK(g.services.at(0).checks.at(0).interval == spec::Duration::seconds(5));
  const spec::Task& t = g.tasks.at(0);
  CHECK(t.config.as_object().at("image") == Value::string("nginx"));
  CHECK(t.config.as_object().at("logging").as_list().size() == 1);
  CHECK(t.volume_mounts.at(0).destination == "/data");
}

TEST_CASE("lifecycle and dispatch_payload decode", "[spec]") {
  spec::Job job = load_ok(
      "job \"j\" {\n  parameterized {}\n  group \"g\" {\n"
      "    task \"proxy\" {\n      driver = \"exec\"\n      config {\n        command = \"true\"\n      }\n"
      "      lifecycle {\n        hook = \"prestart\"\n        sidecar = true\n      }\n    }\n"
      "    task \"main\" {\n      driver = \"exec\"\n      config {\n        command = \"true\"\n      }\n"
      "      dispatch_payload {\n        file = \"in/config.json\"\n      }\n    }\n  }\n}\n");
  const spec::Task& proxy = job.groups.at(0).tasks.at(0);
  REQUIRE(proxy.lifecycle);
  CHECK(proxy.lifecycle->hook == spec::LifecycleHook::kPrestart);
  CHECK(proxy.lifecycle->sidecar);
  CHECK(proxy.dispatch_payload_file.empty());
  const spec::Task& receiver = job.groups.at(0).tasks.at(1);
  CHECK_FALSE(receiver.lifecycle);
  CHECK(receiver.dispatch_payload_file == "in/config.json");
}

TEST_CASE("blocks nested at any depth in a driver config are kept, as lists of objects", "[spec]") {
  spec::Job job = load_ok(R"(
job "j" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "busybox"
        logging {
          type = "json-file"
          config {
            max-size = "10m"
          }
        }
      }
    }
  }
}
)");
  const Value& logging = job.groups.at(0).tasks.at(0).config.as_object().at("logging");
  REQUIRE(logging.as_list().size() == 1);
  const ValueMap& block = logging.as_list().at(0).as_object();
  CHECK(block.at("type") == Value::string("json-file"));
  CHECK(block.at("config").as_list().at(0).as_object().at("max-size") == Value::string("10m"));
}

TEST_CASE("a job version kept in the state reads back, or fails naming the field", "[spec]") {
  const spec::Job job = load_ok(
      "job \"web\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"raw_exec\"\n"
      "      config {\n        command = \"/bin/true\"\n      }\n    }\n  }\n}\n");
  const nlohmann::json spec = job_to_json(job);
  Result<spec::Job> back = job_from_json(spec, "jobs/web.hcl");
  REQUIRE(back.ok());
  CHECK(job_to_json(*back) == spec);
  CHECK(back->source_path == "jobs/web.hcl");

  nlohmann::json bad = spec;
  bad["groups"][0]["tasks"][0]["resources"]["cpu"] = "lots";
  CHECK(job_from_json(bad).error().message == "job spec JSON: groups[0].tasks[0].resources.cpu: expected an integer, got string");
  bad = spec;
  bad["groups"][0]["restart"]["delay"] = "soon";
  CHECK(job_from_json(bad).error().message == "job spec JSON: groups[0].restart.delay: not a duration");
  bad = spec;
  bad["groups"][0].erase("count");
  CHECK(job_from_json(bad).error().message == "job spec JSON: groups[0].count: missing");
  CHECK(job_from_json(nlohmann::json::array()).error().message == "job spec JSON: expected an object, got array");
}
