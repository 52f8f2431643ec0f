// skiff reconcile --watch through the real binary, on the built-in local
// transport, as systemd would run it: the first cycle applies the
// repository; a signed push webhook starts a cycle within a second and a
// badly signed one gets 401 and starts nothing; /metrics, /readyz and
// /healthz answer; an allocation whose processes are killed (by PID) is
// put back with the drift logged; SIGTERM stops the loop with exit 0 and
// the lock released. And, with --once: --no-self-heal reports drift
// without correcting it.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "base/digest.hpp"
#include "support/background_skiff.hpp"
#include "support/git_repo.hpp"
#include "unit/cli/reconcile_support.hpp"
#include "unit/cli/run_skiff.hpp"

namespace {

using namespace std::chrono_literals;
using skiff::testing::BackgroundSkiff;
using skiff::testing::GitRepo;
using skiff::testing::occurrences;
using skiff::testing::reconcile_job;
using skiff::testing::Run;
using skiff::testing::run_skiff_in;
using skiff::testing::ScratchDir;
using skiff::testing::state_in;
using skiff::testing::Stderr;

// The id of job web's running allocation in the state ("" when none).
std::string running_allocation(const ScratchDir& dir) {
  const nlohmann::json state = state_in(dir);  // kept: the loop below reads into it
  for (const auto& a : state["allocations"])
    if (a["job"] == "web" && a["status"] == "running") return a["id"].get<std::string>();
  return "";
}

// Kills allocation `id`'s supervisor and every process of its task, by
// PID: the supervisor's from its pid file, the task's as the processes
// whose environment names the allocation.
void kill_allocation(const std::string& data_dir, const std::string& id) {
  const std::string control = data_dir + "/allocs/" + id + "/app/.skiff";
  const std::string command = "read -r p s < '" + control + "/supervisor.pid' && kill -KILL \"$p\"; " +
      "for e in $(grep -l -s -z -x -F NOMAD_ALLOC_ID=" + id + " /proc/[0-9]*/environ); do e=${e#/proc/}; kill -KILL " +
      "\"${e%/environ}\"; done";
  REQUIRE(std::system(command.c_str()) == 0);
}

// "127.0.0.1:PORT" from the loop's first line.
std::string served_address(const std::string& log) {
  std::smatch match;
  if (std::regex_search(log, match, std::regex("metrics on http://([0-9.]+:[0-9]+)"))) return match[1];
  return "";
}

// A GitHub push of `commit` to main, signed with `secret` (or not).
httplib::Result push(httplib::Client& client, const std::string& commit, const std::string& secret) {
  const std::string body = R"({"ref":"refs/heads/main","after":")" + commit + R"(","repository":{"default_branch":"main"}})";
  httplib::Headers headers{{"X-GitHub-Event", "push"},
                           {"X-Hub-Signature-256", "sha256=" + skiff::base::hmac_sha256_hex(secret, body)}};
  return client.Post("/hooks/github", headers, body, "application/json");
}

}  // namespace

TEST_CASE("reconcile --watch: applies, answers webhooks and metrics, corrects drift, stops on SIGTERM", "[cli][reconcile]") {
  ScratchDir here;
  GitRepo repo;
  const std::string data = here.path() + "/data";
  const std::string hosts = "host \"local\" {\n  transport = \"local\"\n  data_dir  = \"" + data + "\"\n}\n";
  repo.write("hosts.hcl", hosts);
  here.write("hosts.hcl", hosts);  // for the `job stop` at the end
  repo.write("web.nomad.hcl", reconcile_job("one"));
  const std::string first = repo.commit("add web");
  here.write("secret", "s3cret\n");
  {
    BackgroundSkiff loop(here.path(),
                         "reconcile --watch --no-color --interval 1h --listen 127.0.0.1:0 --webhook-secret-file secret --repo " +
                             repo.url() + " --cache-dir " + (repo.root / "cache").string(),
                         here.path() + "/loop.log");
    REQUIRE(loop.await_text("Reconciled commit " + first.substr(0, 12), 60s));
    INFO(loop.log());
    CHECK_THAT(loop.log(), Catch::Contains(": changes applied."));
    const std::string address = served_address(loop.log());
    REQUIRE_FALSE(address.empty());
    httplib::Client client("http://" + address);
    client.set_read_timeout(10, 0);

    auto ready = client.Get("/readyz");
    REQUIRE(ready);
    CHECK(ready->status == 200);
    auto healthy = client.Get("/healthz");
    REQUIRE(healthy);
    CHECK(healthy->status == 200);
    auto metrics = client.Get("/metrics");
    REQUIRE(metrics);
    CHECK_THAT(metrics->body, Catch::Contains("skiff_reconcile_cycles_total{result=\"applied\"} 1\n"));
    CHECK_THAT(metrics->body, Catch::Contains("skiff_applied_revision_info{revision=\"" + first + "\"} 1\n"));
    CHECK_THAT(metrics->body, Catch::Contains("skiff_allocations{job=\"web\",status=\"running\"} 1\n"));
    CHECK(client.Get("/nothing-here")->status == 404);
    CHECK(client.Get("/hooks/github")->status == 405);

    // A new commit; a push signed with another secret starts nothing.
    repo.write("web.nomad.hcl", reconcile_job("two"));
    const std::string second = repo.commit("web two");
    auto forged = push(client, second, "not the secret");
    REQUIRE(forged);
    CHECK(forged->status == 401);
    REQUIRE(loop.await_text("refused (401)", 5s));
    std::this_thread::sleep_for(1s);
    CHECK(occurrences(loop.log(), "Reconciling commit") == 1);

    // A good one starts a cycle within a second.
    const auto sent = std::chrono::steady_clock::now();
    auto pushed = push(client, second, "s3cret");
    REQUIRE(pushed);
    CHECK(pushed->status == 202);
    CHECK(loop.await_text("Cycle now: github webhook from 127.0.0.1: push of " + second.substr(0, 12), 1s));
    CHECK(std::chrono::steady_clock::now() - sent < 1s);
    REQUIRE(loop.await_text("Reconciled commit " + second.substr(0, 12), 60s));
    CHECK(state_in(here)["reconcile"]["applied_commit"] == second);

    // Drift: the allocation killed by PID is replaced at the next cycle
    // (SIGHUP: now), and the correction logged with its reason.
    const std::string before = running_allocation(here);
    REQUIRE_FALSE(before.empty());
    kill_allocation(data, before);
    loop.signal(SIGHUP);
    REQUIRE(loop.await_text("Drift corrected: web.g[0] on local: reschedule (lost on local", 60s));
    CHECK(loop.await_text(": drift corrected (1).", 10s));
    const std::string after = running_allocation(here);
    CHECK_FALSE(after.empty());
    CHECK(after != before);
    const nlohmann::json record = state_in(here)["reconcile"];
    CHECK(record["drift_corrected"] == true);
    REQUIRE(record["drift"].size() == 1);
    CHECK(record["next_cycle_unix"].get<int64_t>() > 0);
    metrics = client.Get("/metrics");
    REQUIRE(metrics);
    CHECK_THAT(metrics->body, Catch::Contains("skiff_drift_corrections_total{reason=\"reschedule\"} 1\n"));

    // SIGTERM: exit 0, said, and the lock free for the next command.
    loop.signal(SIGTERM);
    std::optional<int> code = loop.wait_exit(30s);
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK_THAT(loop.log(), Catch::Contains("Stopped by SIGTERM"));
  }
  Run once = run_skiff_in(here.path(), "reconcile --once --repo " + repo.url() + " --cache-dir " + (repo.root / "cache").string(),
                          Stderr::kMerge);
  INFO(once.out);
  CHECK(once.exit_code == 0);
  CHECK(run_skiff_in(here.path(), "job stop -purge -auto-approve web", Stderr::kMerge).exit_code == 0);
}

TEST_CASE("reconcile --no-self-heal reports drift without correcting it; without it the drift is corrected", "[cli][reconcile]") {
  ScratchDir here;
  GitRepo repo;
  const std::string data = here.path() + "/data";
  const std::string hosts = "host \"local\" {\n  transport = \"local\"\n  data_dir  = \"" + data + "\"\n}\n";
  repo.write("hosts.hcl", hosts);
  here.write("hosts.hcl", hosts);
  repo.write("web.nomad.hcl", reconcile_job("one"));
  repo.commit("add web");
  const std::string args =
      "reconcile --once --no-color --repo " + repo.url() + " --cache-dir " + (repo.root / "cache").string() + " ";
  REQUIRE(run_skiff_in(here.path(), args, Stderr::kMerge).exit_code == 2);
  const std::string before = running_allocation(here);
  REQUIRE_FALSE(before.empty());
  kill_allocation(data, before);

  Run reported = run_skiff_in(here.path(), args + "--no-self-heal", Stderr::kMerge);
  INFO(reported.out);
  CHECK(reported.exit_code == 0);
  CHECK_THAT(reported.out, Catch::Contains("Drift found (not corrected: --no-self-heal): web.g[0] on local: reschedule"));
  CHECK_THAT(reported.out, Catch::Contains("drift found (1), not corrected (--no-self-heal)."));
  CHECK_THAT(run_skiff_in(here.path(), "reconcile status").out, Catch::Contains("Drift:      1 found, not corrected"));
  CHECK(state_in(here)["reconcile"]["drift_corrected"] == false);

  Run healed = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(healed.out);
  CHECK(healed.exit_code == 2);
  CHECK_THAT(healed.out, Catch::Contains("Drift corrected: web.g[0] on local: reschedule"));
  const std::string after = running_allocation(here);
  CHECK_FALSE(after.empty());
  CHECK(after != before);
  CHECK_THAT(run_skiff_in(here.path(), "reconcile status").out, Catch::Contains("Drift:      1 corrected"));
  CHECK(run_skiff_in(here.path(), "job stop -purge -auto-approve web", Stderr::kMerge).exit_code == 0);
}
