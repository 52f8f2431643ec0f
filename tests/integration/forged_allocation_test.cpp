// A compromised host lies about allocations (reconciler/claims.hpp): h2
// replays h1's allocation id at a version never applied, and invents a
// copy of the same slot; h3 writes an alloc.json naming h1. plan reports
// each claim with its host and what was wrong, and plan and apply leave the
// real copy on h1 running. The project uses a data dir of its own on the
// fleet's hosts, so that other tests' allocations do not mix in.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "drivers/shell_quote.hpp"
#include "integration/apply_support.hpp"
#include "integration/fleet_fixture.hpp"
#include "support/test_files.hpp"

using skiff::drivers::shell_quote;
using skiff::testing::fleet;
using skiff::testing::on_host;
using skiff::testing::ShellResult;
using skiff::testing::TestFleet;

namespace {

constexpr const char* kDataDir = "/var/lib/skiff/forged-test";
const std::string kForgedId = "f0f0f0f0-0000-4000-8000-000000000009";

// A project folder beside the fleet's, its hosts with kDataDir.
struct Project {
  std::string dir;

  explicit Project(const TestFleet& f) : dir(f.dir() + "/forged") {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir + "/jobs");
    skiff::testing::write_test_file(dir + "/skiff.hcl", skiff::testing::read_test_file(f.dir() + "/skiff.hcl"));
    const std::string inventory =
        std::regex_replace(skiff::testing::read_test_file(f.dir() + "/inventory.hcl"), std::regex("  port = 22\n"),
                           std::string("  port = 22\n  data_dir = \"") + kDataDir + "\"\n");
    skiff::testing::write_test_file(dir + "/inventory.hcl", inventory);
    skiff::testing::write_test_file(dir + "/jobs/real.nomad.hcl", R"(job "real" {
  group "web" {
    constraint {
      attribute = "${node.unique.name}"
      value     = "h1"
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
)");
  }
  ShellResult run(const std::string& args) const {
    return skiff::testing::sh("(cd " + shell_quote(dir) + " && " + SKIFF_BINARY + " " + args + " 2>&1)");
  }
  nlohmann::json state() const {
    return nlohmann::json::parse(
        skiff::testing::sh("(cd " + shell_quote(dir) + " && " + SKIFF_BINARY + " state show -json 2>/dev/null)").output);
  }
};

// Writes `alloc` as allocs/<folder>/alloc.json under kDataDir on `host`.
void plant(const TestFleet& f, const std::string& host, const std::string& folder, const nlohmann::json& alloc) {
  const std::string path = std::string(kDataDir) + "/allocs/" + folder;
  ShellResult planted = on_host(f, host,
                                "mkdir -p " + shell_quote(path) + " && printf '%s' " + shell_quote(alloc.dump()) + " > " +
                                    shell_quote(path + "/alloc.json"));
  INFO(planted.output);
  REQUIRE(planted.status == 0);
}

// The real copy's supervisor still runs on h1.
bool runs_on_h1(const TestFleet& f, const std::string& id) {
  const std::string control = std::string(kDataDir) + "/allocs/" + id + "/server/.skiff";
  return on_host(f, "h1", "read -r pid start < " + shell_quote(control + "/supervisor.pid") + " && kill -0 \"$pid\"").status == 0;
}

}  // namespace

TEST_CASE("a host's forged and replayed allocations are reported, and the real copy on another host keeps running",
          "[integration][forged]") {
  TestFleet& f = fleet();
  const Project p(f);
  ShellResult applied = p.run("apply -auto-approve -no-color jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const nlohmann::json state = p.state();
  std::string real;
  for (const auto& a : state["allocations"])
    if (a["job"] == "real" && a["status"] == "running") real = a["id"];
  REQUIRE_FALSE(real.empty());
  REQUIRE(runs_on_h1(f, real));

  ShellResult read = on_host(f, "h1", "cat " + shell_quote(std::string(kDataDir) + "/allocs/" + real + "/alloc.json"));
  REQUIRE(read.status == 0);
  const nlohmann::json original = nlohmann::json::parse(read.output);
  // h2 replays h1's id, as its own, at a version never applied; and
  // invents another copy of real.web[0] at that version.
  nlohmann::json replayed = original;
  replayed["host"] = "h2";
  replayed["job_version"] = 99;
  plant(f, "h2", real, replayed);
  nlohmann::json invented = replayed;
  invented["id"] = kForgedId;
  plant(f, "h2", kForgedId, invented);
  // h3 writes an allocation naming h1 as its host.
  nlohmann::json elsewhere = original;
  elsewhere["id"] = "f1f1f1f1-0000-4000-8000-000000000009";
  plant(f, "h3", elsewhere["id"], elsewhere);

  ShellResult plan = p.run("plan -no-color -detailed-exitcode jobs");
  INFO(plan.output);
  CHECK(plan.status == 0);  // nothing to do: the real copy runs
  CHECK_THAT(plan.output,
             Catch::Contains("h2: reports allocation real.web[0] (" + real.substr(0, 8) +
                             "), which the state records on h1: not trusted, left alone"));
  CHECK_THAT(plan.output, Catch::Contains("h2: reports allocation real.web[0] (f0f0f0f0), which the state never recorded"));
  CHECK_THAT(plan.output,
             Catch::Contains("h3: " + std::string(kDataDir) +
                             "/allocs/f1f1f1f1-0000-4000-8000-000000000009/alloc.json names host \"h1\", "
                             "not h3: not trusted, left alone"));

  ShellResult again = p.run("apply -auto-approve -no-color jobs");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK(runs_on_h1(f, real));
  bool recorded = false;
  const nlohmann::json after = p.state();
  INFO(after.dump(1));
  for (const auto& a : after["allocations"])
    if (a["id"] == real) recorded = a["host"] == "h1" && a["status"] == "running";
  CHECK(recorded);
  // The forged folders are left where they are: nothing ran on h2 or h3.
  CHECK(on_host(f, "h2", "test -f " + shell_quote(std::string(kDataDir) + "/allocs/" + kForgedId + "/alloc.json")).status == 0);

  for (const char* host : {"h2", "h3"}) on_host(f, host, "rm -rf " + shell_quote(std::string(kDataDir) + "/allocs"));
  skiff::testing::write_test_file(p.dir + "/jobs/real.nomad.hcl", skiff::testing::kPlaceholderJob);
  ShellResult pruned = p.run("apply -auto-approve -no-color -prune jobs");
  INFO(pruned.output);
  CHECK(pruned.status == 0);
  CHECK_FALSE(runs_on_h1(f, real));
}
