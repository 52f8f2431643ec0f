// The health gate's service checks with a fake fleet: which checks run when
// (interval, running tasks only), and how results become a verdict and an
// error that names the host, the allocation and the check.
#include "reconciler/apply/apply_health.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "support/job_from_hcl.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using namespace skiff::reconciler::apply_detail;
using namespace std::chrono_literals;
using skiff::testing::job_from;

namespace {

const char* kJob = R"(
job "shop" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "front"
      port = "http"
      check {
        name     = "alive"
        type     = "http"
        path     = "/health"
        interval = "3s"
        timeout  = "1s"
      }
      check {
        name      = "port"
        type      = "tcp"
        interval  = "1s"
        timeout   = "1s"
        on_update = "ignore_warnings"
      }
    }
    task "server" {
      driver = "raw_exec"
      config { command = "/bin/server" }
    }
  }
}
)";

// Answers each check script with the status `statuses` holds for the
// check's name (passing by default), and records the checks it was sent.
class FakeFleet : public drivers::Fleet {
 public:
  std::map<std::string, std::string> statuses;
  std::vector<std::vector<std::string>> rounds;  // per run_all: "host:check" sent
  bool unreachable = false;

  std::vector<Result<drivers::CommandResult>> run_all(const std::vector<drivers::HostCommand>& batch) override {
    std::vector<Result<drivers::CommandResult>> out;
    rounds.emplace_back();
    for (const drivers::HostCommand& item : batch) {
      if (unreachable) {
        out.emplace_back(make_error(ErrorCode::kUnavailable, "connect: timed out"));
        continue;
      }
      drivers::CommandResult result;
      result.exit_status = 0;
      // Each check's call begins a line: "_sk_TYPE 'INDEX\tALLOC\tSERVICE\tCHECK' ...".
      std::istringstream script(*item.command.stdin_data);
      for (std::string line; std::getline(script, line);) {
        if (line.rfind("_sk_tcp '", 0) != 0 && line.rfind("_sk_http '", 0) != 0 && line.rfind("_sk_script '", 0) != 0) continue;
        const size_t open = line.find('\''), close = line.find('\'', open + 1);
        const std::string label = line.substr(open + 1, close - open - 1);
        const std::string name = label.substr(label.rfind('\t') + 1);
        auto status = statuses.find(name);
        const std::string word = status == statuses.end() ? "passing" : status->second;
        result.stdout_data +=
            "skiff-check\t" + label + "\t" + word + "\t" + (word == "passing" ? "status 200" : "status 500") + "\n";
        rounds.back().push_back(item.host + ":" + name);
      }
      out.emplace_back(result);
    }
    return out;
  }
};

struct Fixture {
  spec::Job job = job_from(kJob);
  ApplyHost host;
  drivers::Allocation allocation;
  CheckGate gate;
  FakeFleet fleet;
  const CheckGate::Clock::time_point t0{};
  Fixture() {
    host.host.name = "h2";
    allocation.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
    allocation.job = "shop";
    allocation.group = "web";
    allocation.index = 1;
    allocation.host = "h2";
    allocation.host_address = "10.0.0.5";
    allocation.ports = {{"http", 23456, 0}};
    REQUIRE(gate.add(allocation, job, job.groups[0], host).ok());
  }
  int run(std::chrono::milliseconds after) { return gate.run_due(fleet, {allocation.id}, t0 + after); }
};

}  // namespace

TEST_CASE("checks run only once the tasks run, and no more often than their interval", "[reconciler][checks]") {
  Fixture f;
  CHECK(f.gate.has_checks(f.allocation.id));
  CHECK(f.gate.run_due(f.fleet, {}, f.t0) == 0);  // tasks not running yet: nothing runs
  CHECK(f.fleet.rounds.empty());
  CHECK(f.gate.verdict(f.allocation.id) == CheckGate::Verdict::kPending);

  CHECK(f.run(0ms) == 1);  // one command for the host, with both checks
  CHECK(f.fleet.rounds.back() == std::vector<std::string>{"h2:alive", "h2:port"});
  CHECK(f.gate.verdict(f.allocation.id) == CheckGate::Verdict::kPassing);
  CHECK(f.gate.failure(f.allocation.id).empty());

  CHECK(f.run(500ms) == 0);  // neither is due
  CHECK(f.run(1000ms) == 1);
  CHECK(f.fleet.rounds.back() == std::vector<std::string>{"h2:port"});
  CHECK(f.run(3000ms) == 1);
  CHECK(f.fleet.rounds.back() == std::vector<std::string>{"h2:alive", "h2:port"});
}

TEST_CASE("a failing check keeps the allocation pending and names itself", "[reconciler][checks]") {
  Fixture f;
  f.fleet.statuses["alive"] = "failing";
  f.run(0ms);
  CHECK(f.gate.verdict(f.allocation.id) == CheckGate::Verdict::kPending);
  CHECK(f.gate.failure(f.allocation.id) == "h2: shop.web[1] check \"alive\" (http GET /health on port 23456): status 500");
  // It recovers when its next run passes.
  f.fleet.statuses.clear();
  f.run(3000ms);
  CHECK(f.gate.verdict(f.allocation.id) == CheckGate::Verdict::kPassing);
}

TEST_CASE("warnings count as passing only for on_update = ignore_warnings", "[reconciler][checks]") {
  Fixture f;
  f.fleet.statuses["port"] = "warning";
  f.run(0ms);
  CHECK(f.gate.verdict(f.allocation.id) == CheckGate::Verdict::kPassing);
  f.fleet.statuses = {{"alive", "warning"}};
  f.run(3000ms);
  CHECK(f.gate.verdict(f.allocation.id) == CheckGate::Verdict::kPending);
  CHECK(f.gate.failure(f.allocation.id) ==
        "h2: shop.web[1] check \"alive\" (http GET /health on port 23456): warning: status 500");
}

TEST_CASE("a check the host has no tool for breaks the gate at once", "[reconciler][checks]") {
  Fixture f;
  f.fleet.statuses = {{"alive", "failing"}, {"port", "missing-tool"}};
  f.run(0ms);
  CHECK(f.gate.verdict(f.allocation.id) == CheckGate::Verdict::kBroken);
  CHECK(f.gate.failure(f.allocation.id) == "h2: shop.web[1] check \"port\" (tcp on port 23456): status 500");
}

TEST_CASE("an unreachable host fails its checks with the transport's error", "[reconciler][checks]") {
  Fixture f;
  f.fleet.unreachable = true;
  f.run(0ms);
  CHECK(f.gate.verdict(f.allocation.id) == CheckGate::Verdict::kPending);
  CHECK(f.gate.failure(f.allocation.id) ==
        "h2: shop.web[1] check \"alive\" (http GET /health on port 23456): running the check: connect: timed out");
}

TEST_CASE("an allocation without checks is judged by its tasks alone", "[reconciler][checks]") {
  Fixture f;
  spec::Job plain = f.job;
  plain.groups[0].services.clear();
  drivers::Allocation other = f.allocation;
  other.id = "1b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
  REQUIRE(f.gate.add(other, plain, plain.groups[0], f.host).ok());
  CHECK_FALSE(f.gate.has_checks(other.id));
  CHECK(f.gate.verdict(other.id) == CheckGate::Verdict::kPassing);
  CHECK(f.gate.run_due(f.fleet, {other.id}, f.t0) == 0);
}

TEST_CASE("a check that cannot be resolved is an error naming the host and the allocation", "[reconciler][checks]") {
  Fixture f;
  drivers::Allocation portless = f.allocation;
  portless.ports.clear();
  Status added = f.gate.add(portless, f.job, f.job.groups[0], f.host);
  REQUIRE_FALSE(added.ok());
  CHECK(added.error().message ==
        "h2: shop.web[1]: service \"front\" check \"alive\": port \"http\" is not one of the allocation's ports (it has none)");
}

TEST_CASE("the checks' summary for progress lines says where each check stands", "[reconciler][checks]") {
  Fixture f;
  CHECK(f.gate.summary(f.allocation.id) == "check \"alive\" not run yet, check \"port\" not run yet");
  f.fleet.statuses["alive"] = "failing";
  f.run(0ms);
  CHECK(f.gate.summary(f.allocation.id) == "check \"alive\" failing: status 500, check \"port\" passing");
  f.fleet.statuses.clear();
  f.run(3000ms);
  CHECK(f.gate.summary(f.allocation.id) == "check \"alive\" passing, check \"port\" passing");
  CHECK(f.gate.summary("no-such-allocation").empty());
}
