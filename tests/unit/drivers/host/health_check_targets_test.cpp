// From a job's service checks to what a host runs: ports, names, defaults,
// script environments; and the text of the check script and its parser.
#include "drivers/host/health_check_targets.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "support/job_from_hcl.hpp"

using namespace skiff::drivers;
using namespace std::chrono_literals;
using skiff::testing::job_from;

namespace {

const char* kJob = R"(
job "shop" {
  group "web" {
    network {
      port "http" {}
      port "admin" { static = 9001 }
    }
    service {
      port = "http"
      check {
        name     = "alive"
        type     = "http"
        path     = "health"
        method   = "post"
        interval = "3s"
        timeout  = "1500ms"
        header {
          X-Probe = ["a", "b"]
        }
      }
      check {
        type     = "tcp"
        port     = "admin"
        interval = "10s"
        on_update = "ignore_warnings"
      }
      check {
        type     = "tcp"
        interval = "10s"
        on_update = "ignore"
      }
    }
    task "server" {
      driver = "raw_exec"
      env { TOKEN = "s3cret" }
      config { command = "/bin/server" }
      service {
        name = "${NOMAD_JOB_NAME}-db"
        check {
          name    = "ready"
          type    = "script"
          command = "/bin/check"
          args    = ["--port", "${NOMAD_PORT_http}", "it's"]
        }
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
    allocation.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
    allocation.job = "shop";
    allocation.group = "web";
    allocation.host = "h1";
    allocation.host_address = "10.0.0.5";
    allocation.ports = {{"http", 25123, 0}, {"admin", 9001, 0}};
  }
  skiff::Result<std::vector<HealthCheck>> checks() const {
    return allocation_health_checks({job, job.groups[0], allocation, host, facts});
  }
};

}  // namespace

TEST_CASE("checks of a group's and a task's services resolve to the allocation's ports", "[drivers][checks]") {
  Fixture f;
  auto checks = f.checks();
  REQUIRE(checks.ok());
  // The on_update = "ignore" check never counts for a deployment: not run.
  REQUIRE(checks->size() == 3);

  const HealthCheck& http = (*checks)[0];
  CHECK(http.type == CheckType::kHttp);
  CHECK(http.alloc_id == f.allocation.id);
  CHECK(http.service == "shop-web");
  CHECK(http.name == "alive");
  CHECK(http.address == "10.0.0.5");
  CHECK(http.port == 25123);
  CHECK(http.method == "POST");
  CHECK(http.interval == 3s);
  CHECK(http.timeout == 1500ms);
  CHECK(http.headers.at("X-Probe") == std::vector<std::string>{"a", "b"});
  CHECK(http.describe() == "http POST /health on port 25123");

  const HealthCheck& tcp = (*checks)[1];
  CHECK(tcp.type == CheckType::kTcp);
  CHECK(tcp.port == 9001);
  CHECK(tcp.name == "service: \"shop-web\" check");
  CHECK(tcp.on_update == CheckOnUpdate::kIgnoreWarnings);
  CHECK(tcp.timeout == 5s);  // Nomad's files always set one; skiff's default
  CHECK(tcp.describe() == "tcp on port 9001");
}

TEST_CASE("a script check of a raw_exec task runs in its folder with its environment", "[drivers][checks]") {
  Fixture f;
  auto checks = f.checks();
  REQUIRE(checks.ok());
  const HealthCheck& script = (*checks)[2];
  CHECK(script.type == CheckType::kScript);
  CHECK(script.service == "shop-db");  // interpolated with the task's environment
  CHECK(script.dir == f.allocation.task_dir("server"));
  REQUIRE(script.argv.size() > 4);
  CHECK(script.argv.front() == "env");
  CHECK(std::find(script.argv.begin(), script.argv.end(), "TOKEN=s3cret") != script.argv.end());
  CHECK(std::find(script.argv.begin(), script.argv.end(), "NOMAD_PORT_http=25123") != script.argv.end());
  const std::vector<std::string> tail(script.argv.end() - 4, script.argv.end());
  CHECK(tail == std::vector<std::string>{"/bin/check", "--port", "25123", "it's"});
  // What messages show is the command, never the environment (secrets).
  CHECK(script.describe() == "script \"/bin/check --port 25123 'it'\\''s'\"");
}

TEST_CASE("a script check of a container task goes through the runtime's exec", "[drivers][checks]") {
  Fixture f;
  f.job.groups[0].tasks[0].driver = "docker";
  f.facts.drivers["podman"] = DriverFact{true, true, "4.3.1", ""};
  auto checks = f.checks();
  REQUIRE(checks.ok());
  const HealthCheck& script = (*checks)[2];
  CHECK(script.dir.empty());
  CHECK(script.argv ==
        std::vector<std::string>{"podman", "exec", "skiff-" + f.allocation.id + "-server", "/bin/check", "--port", "25123",
                                 "it's"});
}

TEST_CASE("a check whose port label the allocation lacks is an error naming it", "[drivers][checks]") {
  Fixture f;
  f.allocation.ports = {{"http", 25123, 0}};
  auto checks = f.checks();
  REQUIRE_FALSE(checks.ok());
  CHECK(checks.error().message ==
        "service \"shop-web\" check \"service: \"shop-web\" check\": port \"admin\" is not one of the allocation's ports (http)");
}

TEST_CASE("without a host address checks dial the loopback", "[drivers][checks]") {
  Fixture f;
  f.allocation.host_address.clear();
  auto checks = f.checks();
  REQUIRE(checks.ok());
  CHECK((*checks)[0].address == "127.0.0.1");
}

TEST_CASE("the check script quotes every piece and runs every check in the background", "[drivers][checks]") {
  HealthCheck c;
  c.alloc_id = "a1";
  c.service = "web";
  c.name = "it's\t$(boom)";
  c.type = CheckType::kHttp;
  c.address = "10.0.0.5";
  c.port = 8080;
  c.path = "/health?x=$(y)";
  c.timeout = 2500ms;
  HealthCheck t = c;
  t.type = CheckType::kTcp;
  t.timeout = 9s;
  Command command = health_checks_command({c, t});
  CHECK(command.argv == std::vector<std::string>{"sh", "-s"});
  REQUIRE(command.stdin_data);
  const std::string& script = *command.stdin_data;
  // The name's tab becomes a space (it is a field of the output line), and
  // everything from the job file is single-quoted.
  CHECK(script.find("\n_sk_http '0\ta1\tweb\tit'\\''s $(boom)' 3 GET 'http://10.0.0.5:8080/health?x=$(y)' 10.0.0.5 8080 "
                    "'GET /health?x=$(y) HTTP/1.0\r\nHost: 10.0.0.5:8080\r\n") != std::string::npos);
  CHECK(script.find("\n_sk_tcp '1\ta1\tweb\tit'\\''s $(boom)' 9 10.0.0.5 8080 </dev/null &\n") != std::string::npos);
  CHECK(script.substr(script.size() - 5) == "wait\n");
  CHECK(command.timeout == 19s);  // the longest check's, and a margin
}

TEST_CASE("https checks have no hand-written request to fall back on", "[drivers][checks]") {
  HealthCheck c;
  c.alloc_id = "a1";
  c.type = CheckType::kHttp;
  c.protocol = "https";
  c.port = 443;
  c.address = "::1";
  const std::string script = *health_checks_command({c}).stdin_data;
  CHECK(script.find("'https://[::1]:443/' ::1 443 ''") != std::string::npos);
}

TEST_CASE("the check output parser reads each check's line and skips the rest", "[drivers][checks]") {
  const std::string output =
      "noise from a login script\n"
      "skiff-check\t1\ta1\tweb\talive\tfailing\tstatus 500\n"
      "skiff-check\t0\ta1\tweb\tport\tpassing\tconnected to 10.0.0.5:80\n"
      "skiff-check\t2\ta2\tdb\tready\twarning\texit 1: lag\twith a tab\n"
      "skiff-check\t3\ta2\tdb\tready\tmissing-tool\tan http check needs curl, wget, bash or nc on the host\n"
      "skiff-check\tx\ta2\tdb\tready\tpassing\tbad index\n"
      "skiff-check\t4\ta2\tdb\tready\tsomething\tunknown status\n"
      "skiff-check\t99999999999999999999999\ta2\tdb\tready\tpassing\tan index too large\n"
      "skiff-check\t-1\ta2\tdb\tready\tpassing\ta negative index\n"
      "skiff-check\t5\ta2\tshort";
  std::vector<CheckOutcome> outcomes = parse_check_outcomes(output);
  REQUIRE(outcomes.size() == 4);
  CHECK(outcomes[0].index == 1);
  CHECK(outcomes[0].alloc_id == "a1");
  CHECK(outcomes[0].check == "alive");
  CHECK(outcomes[0].status == CheckStatus::kFailing);
  CHECK(outcomes[0].detail == "status 500");
  CHECK(outcomes[1].status == CheckStatus::kPassing);
  CHECK(outcomes[2].service == "db");
  CHECK(outcomes[2].status == CheckStatus::kWarning);
  CHECK(outcomes[2].detail == "exit 1: lag\twith a tab");
  CHECK(outcomes[3].status == CheckStatus::kMissingTool);
}
