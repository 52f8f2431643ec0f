// Two projects (two state files) sharing the same hosts: each plans, prunes,
// records and rebuilds only the allocations of its own state's lineage;
// another state's are counted in one drift line per host, left alone, and
// their static ports are not double-booked (reconciler/ownership.hpp).
// The projects use a data dir of their own on the fleet's hosts, so that
// other tests' allocations do not mix in.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "drivers/shell_quote.hpp"
#include "integration/fleet_fixture.hpp"
#include "support/test_files.hpp"

using skiff::testing::fleet;
using skiff::testing::ShellResult;
using skiff::testing::TestFleet;

namespace {

constexpr const char* kDataDir = "/var/lib/skiff/lineage-test";

// A project folder beside the fleet's: its skiff.hcl (so its own state
// file, .skiff/state.json) and the fleet's hosts with kDataDir.
struct Project {
  std::string dir;

  Project(const TestFleet& f, const std::string& name) : dir(f.dir() + "/" + name) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir + "/jobs");
    skiff::testing::write_test_file(dir + "/skiff.hcl", skiff::testing::read_test_file(f.dir() + "/skiff.hcl"));
    const std::string inventory =
        std::regex_replace(skiff::testing::read_test_file(f.dir() + "/inventory.hcl"), std::regex("  port = 22\n"),
                           std::string("  port = 22\n  data_dir = \"") + kDataDir + "\"\n");
    skiff::testing::write_test_file(dir + "/inventory.hcl", inventory);
  }
  ShellResult run(const std::string& args) const {
    return skiff::testing::sh("(cd " + skiff::drivers::shell_quote(dir) + " && " + SKIFF_BINARY + " " + args + ")");
  }
  void job(const std::string& name, const std::string& text) const {
    skiff::testing::write_test_file(dir + "/jobs/" + name + ".nomad.hcl", text);
  }
  nlohmann::json state() const {
    return nlohmann::json::parse(
        skiff::testing::sh("(cd " + skiff::drivers::shell_quote(dir) + " && " + SKIFF_BINARY + " state show -json 2>/dev/null)")
            .output);
  }
};

// A raw_exec job on the hosts `hosts` (a regexp of names) with static port `port`.
std::string job_text(const std::string& name, const std::string& hosts, int port) {
  return "job \"" + name + R"(" {
  group "web" {
    constraint {
      attribute = "${node.unique.name}"
      operator  = "regexp"
      value     = ")" +
      hosts + R"("
    }
    network {
      port "http" {
        static = )" +
      std::to_string(port) + R"(
      }
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "while :; do sleep 1; done"]
      }
    }
  }
}
)";
}

// The job's allocations in a state: host per allocation id.
std::map<std::string, std::string> allocations_of(const nlohmann::json& state, const std::string& job) {
  std::map<std::string, std::string> out;
  if (!state.contains("allocations")) return out;
  for (const auto& a : state["allocations"])
    if (a["job"] == job && (a["status"] == "running" || a["status"] == "pending")) out[a["id"]] = a["host"];
  return out;
}

bool mentions_job(const nlohmann::json& state, const std::string& job) {
  if (!state.contains("allocations")) return false;
  for (const auto& a : state["allocations"])
    if (a["job"] == job) return true;
  return false;
}

const char* kPlaceholder =
    "job \"placeholder\" {\n  type = \"batch\"\n  parameterized {}\n  group \"g\" {\n    task \"t\" {\n"
    "      driver = \"raw_exec\"\n      config {\n        command = \"true\"\n      }\n    }\n  }\n}\n";

// Stops everything the project's state owns: its jobs give way to a placeholder, pruned.
ShellResult prune_all(const Project& p) {
  for (const auto& entry : std::filesystem::directory_iterator(p.dir + "/jobs")) std::filesystem::remove(entry.path());
  p.job("placeholder", kPlaceholder);
  return p.run("apply -auto-approve -no-color -prune jobs");
}

}  // namespace

TEST_CASE("two projects sharing hosts leave each other's allocations alone, and do not double-book a static port",
          "[integration][lineage]") {
  TestFleet& f = fleet();
  const Project a(f, "lineage-a"), b(f, "lineage-b");

  // Before A has a state: an allocation started by hand carries no lineage,
  // as one from before lineages were recorded. A's first apply adopts it, once.
  a.job("olda", job_text("olda", "^h3$", 19433));
  ShellResult by_hand = a.run("debug run-task -host h3 jobs/olda.nomad.hcl");
  INFO(by_hand.output);
  REQUIRE(by_hand.status == 0);

  // A: lina on h1 with static port 19431.
  a.job("lina", job_text("lina", "^h1$", 19431));
  ShellResult a_plan = a.run("plan -no-color jobs");
  INFO(a_plan.output);
  CHECK_THAT(a_plan.output,
             Catch::Contains("h3: 1 allocation from before skiff recorded lineages: this state adopts it on apply"));
  ShellResult a_apply = a.run("apply -auto-approve -no-color jobs");
  INFO(a_apply.output);
  REQUIRE(a_apply.status == 0);
  const nlohmann::json a_state = a.state();
  const std::string a_lineage = a_state["lineage"];
  REQUIRE(allocations_of(a_state, "lina").size() == 1);
  CHECK(allocations_of(a_state, "lina").begin()->second == "h1");
  REQUIRE(allocations_of(a_state, "olda").size() == 1);  // adopted
  ShellResult a_again = a.run("plan -no-color -detailed-exitcode jobs");
  INFO(a_again.output);
  CHECK(a_again.status == 0);
  CHECK_THAT(a_again.output, !Catch::Contains("adopts"));  // once

  // B: linb wants the same static port on h1 or h2: h1's is A's, so h2. B's
  // plan does not list A's jobs, and says what it leaves alone.
  b.job("linb", job_text("linb", "^h[12]$", 19431));
  ShellResult b_plan = b.run("plan -no-color jobs");
  INFO(b_plan.output);
  CHECK_THAT(b_plan.output, !Catch::Contains("lina") && !Catch::Contains("olda"));
  CHECK_THAT(b_plan.output,
             Catch::Contains("h1: 1 allocation of another state (lineage " + a_lineage.substr(0, 8) + "…), left alone"));
  CHECK_THAT(b_plan.output,
             Catch::Contains("h3: 1 allocation of another state (lineage " + a_lineage.substr(0, 8) + "…), left alone"));
  CHECK(std::regex_search(b_plan.output, std::regex(R"(\+ linb\.web\[0\] +on h2)")));
  ShellResult b_apply = b.run("apply -auto-approve -no-color jobs");
  INFO(b_apply.output);
  REQUIRE(b_apply.status == 0);
  const nlohmann::json b_state = b.state();
  const std::string b_lineage = b_state["lineage"];
  CHECK(b_lineage != a_lineage);
  REQUIRE(allocations_of(b_state, "linb").size() == 1);
  CHECK(allocations_of(b_state, "linb").begin()->second == "h2");
  // Neither state takes in the other's allocations.
  CHECK_FALSE(mentions_job(b_state, "lina"));
  CHECK_FALSE(mentions_job(b_state, "olda"));
  CHECK_FALSE(mentions_job(a.state(), "linb"));

  // -prune proposes nothing of the other's, either way round.
  ShellResult b_prune = b.run("plan -no-color -prune -detailed-exitcode jobs");
  INFO(b_prune.output);
  CHECK(b_prune.status == 0);
  CHECK_THAT(b_prune.output, !Catch::Contains("lina"));
  ShellResult a_prune = a.run("plan -no-color -prune -detailed-exitcode jobs");
  INFO(a_prune.output);
  CHECK(a_prune.status == 0);
  CHECK_THAT(a_prune.output, !Catch::Contains("linb"));
  CHECK_THAT(a_prune.output,
             Catch::Contains("h2: 1 allocation of another state (lineage " + b_lineage.substr(0, 8) + "…), left alone"));

  // alloc commands do not reach another state's allocation.
  const std::string a_alloc = allocations_of(a_state, "lina").begin()->first;
  ShellResult foreign_status = b.run("alloc status " + a_alloc);
  INFO(foreign_status.output);
  CHECK(foreign_status.status != 0);
  CHECK_THAT(foreign_status.output, Catch::Contains("another state's, left alone"));

  // B loses its state file: the rebuilt state has a new lineage, so it
  // takes in nothing (A's allocations, and its own old one, are another
  // state's) until -adopt-foreign; A's allocations are gone by then.
  std::filesystem::remove_all(b.dir + "/.skiff");
  ShellResult rebuilt = b.run("state rebuild");
  INFO(rebuilt.output);
  CHECK(rebuilt.status == 0);
  CHECK_THAT(rebuilt.output, Catch::Contains(": 0 allocation(s) found"));
  CHECK_THAT(rebuilt.output, Catch::Contains("3 allocation(s) of other states left alone"));
  CHECK(allocations_of(b.state(), "linb").empty());

  ShellResult a_down = prune_all(a);
  INFO(a_down.output);
  REQUIRE(a_down.status == 0);
  ShellResult adopted = b.run("state rebuild -adopt-foreign");
  INFO(adopted.output);
  CHECK(adopted.status == 0);
  CHECK_THAT(adopted.output, Catch::Contains(": 1 allocation(s) found") && Catch::Contains("Adopted 1 allocation(s)"));
  const std::map<std::string, std::string> linb = allocations_of(b.state(), "linb");
  REQUIRE(linb.size() == 1);
  CHECK(linb.begin()->second == "h2");
  ShellResult b_after = b.run("plan -no-color -prune -detailed-exitcode jobs");
  INFO(b_after.output);
  CHECK(b_after.status == 0);  // its own again: kept, nothing left alone
  CHECK_THAT(b_after.output, !Catch::Contains("another state"));

  ShellResult b_down = prune_all(b);
  INFO(b_down.output);
  CHECK(b_down.status == 0);
}
