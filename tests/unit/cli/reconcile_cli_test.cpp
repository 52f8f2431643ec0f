// skiff reconcile --once through the real binary, from a repository made
// here with git, on the built-in local transport: a commit is applied
// (exit 2), nothing changes on a second run (0), a broken commit is
// reported with its file, line and column and not applied (1) while what
// runs stays, the next good commit is applied at once, a working tree
// edited but not committed is never applied, and a commit without jobs
// stops them only with --prune --allow-empty.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/git_repo.hpp"
#include "unit/cli/reconcile_support.hpp"
#include "unit/cli/run_skiff.hpp"

namespace {

using skiff::testing::GitRepo;
using skiff::testing::reconcile_job;
using skiff::testing::Run;
using skiff::testing::run_skiff_in;
using skiff::testing::ScratchDir;
using skiff::testing::state_in;
using skiff::testing::Stderr;

// The statuses of job web's allocations in the state, by id.
std::map<std::string, std::string> allocations_of(const nlohmann::json& state) {
  std::map<std::string, std::string> out;
  for (const auto& a : state["allocations"])
    if (a["job"] == "web") out[a["id"].get<std::string>()] = a["status"].get<std::string>();
  return out;
}

}  // namespace

TEST_CASE("reconcile --once applies commits from a repository and records applied and attempted commits", "[cli][reconcile]") {
  ScratchDir here;  // where skiff runs: the state goes here, never into the repository
  GitRepo repo;
  const std::string hosts = "host \"local\" {\n  transport = \"local\"\n  data_dir  = \"" + here.path() + "/data\"\n}\n";
  repo.write("prod/hosts.hcl", hosts);
  here.write("hosts.hcl", hosts);  // for the `job stop` at the end
  repo.write("prod/jobs/web.nomad.hcl", reconcile_job("one"));
  repo.write("README.md", "# fleet\n");
  const std::string first = repo.commit("add web");
  const std::string args =
      "reconcile --once --no-color --repo " + repo.url() + " --path prod --cache-dir " + (repo.root / "cache").string() + " ";

  Run applied = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(applied.out);
  REQUIRE(applied.exit_code == 2);
  CHECK_THAT(applied.out, Catch::Contains("Reconciled commit " + first.substr(0, 12) + " by Ada <ada@example.com>: add web"));
  nlohmann::json state = state_in(here);
  CHECK(state["reconcile"]["applied_commit"] == first);
  CHECK(state["reconcile"]["attempted_commit"] == first);
  CHECK(state["reconcile"]["attempted_error"] == "");
  CHECK(state["jobs"]["web"]["versions"][0]["source"] == "git:" + first + ":jobs/web.nomad.hcl");
  const auto running = allocations_of(state);
  REQUIRE(running.size() == 1);
  CHECK(running.begin()->second == "running");
  CHECK_FALSE(std::filesystem::exists(repo.work / ".skiff"));

  // Nothing new: nothing to do. An edit in the working tree is no commit.
  repo.write("prod/jobs/web.nomad.hcl", reconcile_job("edited but not committed"));
  Run again = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(again.out);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Catch::Contains(": no changes."));

  // A broken commit: reported where it breaks, nothing of it applied.
  repo.write("prod/jobs/web.nomad.hcl", "job \"web\" {\n  group \"g\" {\n    count = \n  }\n}\n");
  const std::string broken = repo.commit("break web");
  Run refused = run_skiff_in(here.path(), args + "--json", Stderr::kMerge);
  INFO(refused.out);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.out, Catch::Contains("jobs/web.nomad.hcl:3:"));
  CHECK_THAT(refused.out, Catch::Contains("is not applied"));
  state = state_in(here);
  CHECK(state["reconcile"]["applied_commit"] == first);
  CHECK(state["reconcile"]["attempted_commit"] == broken);
  CHECK_THAT(state["reconcile"]["attempted_error"].get<std::string>(), Catch::Contains("jobs/web.nomad.hcl:3:"));
  CHECK(allocations_of(state) == running);
  CHECK(state["reconcile"]["attempted_failures"] == 1);
  CHECK_THAT(run_skiff_in(here.path(), "reconcile status").out,
             Catch::Contains("Retry:      failed 1 time in a row; a loop tries it again at "));
  CHECK(run_skiff_in(here.path(), args, Stderr::kMerge).exit_code == 1);
  CHECK(state_in(here)["reconcile"]["attempted_failures"] == 2);

  // The next good commit goes out at once.
  repo.write("prod/jobs/web.nomad.hcl", reconcile_job("two"));
  const std::string fixed = repo.commit("fix web");
  Run rolled = run_skiff_in(here.path(), args + "--json", Stderr::kMerge);
  INFO(rolled.out);
  CHECK(rolled.exit_code == 2);
  CHECK_THAT(rolled.out, Catch::Contains("\"type\":\"reconcile_complete\""));
  CHECK_THAT(rolled.out, Catch::Contains("\"applied_commit\":\"" + fixed + "\""));
  state = state_in(here);
  CHECK(state["reconcile"]["applied_commit"] == fixed);
  CHECK(state["reconcile"]["attempted_error"] == "");
  CHECK(state["reconcile"]["attempted_failures"] == 0);

  // What it did, from the state of the directory it runs in.
  Run status = run_skiff_in(here.path(), "reconcile status", Stderr::kMerge);
  INFO(status.out);
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::Contains("Applied:    " + fixed.substr(0, 12) + " at "));
  CHECK_THAT(status.out, Catch::Contains("Suspended:  no"));
  Run status_json = run_skiff_in(here.path(), "reconcile status -json");
  CHECK(nlohmann::json::parse(status_json.out)["applied_commit"] == fixed);

  // Suspended: the new commit is fetched and reported, nothing applied;
  // resumed: applied.
  REQUIRE(run_skiff_in(here.path(), "reconcile suspend -reason 'incident 4711'", Stderr::kMerge).exit_code == 0);
  repo.write("prod/jobs/web.nomad.hcl", reconcile_job("three"));
  const std::string third = repo.commit("three");
  Run held = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(held.out);
  CHECK(held.exit_code == 0);
  CHECK_THAT(held.out, Catch::Contains("Reconcile is suspended (since "));
  CHECK_THAT(held.out, Catch::Contains(": incident 4711): commit " + third.substr(0, 12)));
  CHECK(state_in(here)["reconcile"]["applied_commit"] == fixed);
  CHECK_THAT(run_skiff_in(here.path(), "reconcile status").out, Catch::Contains("Suspended:  since "));
  REQUIRE(run_skiff_in(here.path(), "reconcile resume", Stderr::kMerge).exit_code == 0);
  CHECK(run_skiff_in(here.path(), args, Stderr::kMerge).exit_code == 2);
  CHECK(state_in(here)["reconcile"]["applied_commit"] == third);

  // Every job file gone: kept without --prune, refused with it alone,
  // stopped with --allow-empty.
  repo.remove("prod/jobs");
  const std::string empty = repo.commit("remove everything");
  CHECK(run_skiff_in(here.path(), args, Stderr::kMerge).exit_code == 0);
  Run guarded = run_skiff_in(here.path(), args + "--prune", Stderr::kMerge);
  INFO(guarded.out);
  CHECK(guarded.exit_code == 1);
  CHECK_THAT(guarded.out, Catch::Contains("--prune would stop every job (web): pass --allow-empty to stop them all"));
  Run emptied = run_skiff_in(here.path(), args + "--prune --allow-empty", Stderr::kMerge);
  INFO(emptied.out);
  CHECK(emptied.exit_code == 2);
  state = state_in(here);
  CHECK(state["reconcile"]["applied_commit"] == empty);
  for (const auto& [id, status] : allocations_of(state)) CHECK(status != "running");

  CHECK(run_skiff_in(here.path(), "job stop -purge -auto-approve web", Stderr::kMerge).exit_code == 0);
}

TEST_CASE("reconcile: its flags are checked before anything is fetched", "[cli][reconcile]") {
  ScratchDir here;
  auto refused = [&here](const std::string& args, const std::string& says) {
    Run run = run_skiff_in(here.path(), "reconcile " + args, Stderr::kMerge);
    INFO(args << "\n" << run.out);
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.out, Catch::Contains(says));
  };
  refused("--repo /nowhere", "reconcile needs one of --once (a cycle, for cron and CI) and --watch (the loop)");
  refused("--once --watch --repo /nowhere", "reconcile needs one of --once");
  refused("-once", "reconcile needs --repo URL");
  refused("--once --repo /nowhere --verify-signatures", "--verify-signatures needs --allowed-signers FILE");
  refused("--once --repo /nowhere --allowed-signers x", "--allowed-signers is used only with --verify-signatures");
  refused("--once --repo /nowhere --log-format yaml", "--log-format is text or json");
  refused("--once --repo /nowhere --listen 127.0.0.1:0", "--listen, --notify and --commit-status belong to --watch");
  refused("--watch --repo /nowhere --interval 0s", "--interval \"0s\" is not a duration of 1s or more");
  refused("--watch --repo /nowhere --commit-status github", "--commit-status needs --commit-status-token-file");
  refused("--watch --repo /nowhere --webhook-secret-file /nonexistent", "--webhook-secret-file /nonexistent cannot be read");
  here.write("empty-secret", "\n");
  refused("--watch --repo /nowhere --webhook-secret-file empty-secret", "--webhook-secret-file empty-secret is empty");
  refused("--watch --repo /nowhere --cache-dir cache --listen 0.0.0.0:0",
          "0.0.0.0:0 is not a loopback address: serving beyond this machine needs --webhook-secret-file");
  refused("--watch --repo /nowhere --cache-dir cache --listen 127.0.0.1", "listen address \"127.0.0.1\" is not HOST:PORT");
  Run none = run_skiff_in(here.path(), "reconcile status", Stderr::kMerge);
  CHECK(none.exit_code == 0);
  CHECK_THAT(none.out, Catch::Contains("No reconcile has run against this state"));
}

TEST_CASE("reconcile -state: the state file is the one named, and a commit that cannot say where is recorded there",
          "[cli][reconcile]") {
  ScratchDir here;
  GitRepo repo;
  repo.write("skiff.hcl", "state {\n  path = \"elsewhere/state.json\"\n}\n");
  repo.write("hosts.hcl", "host \"local\" {\n  transport = \"local\"\n  data_dir  = \"" + here.path() + "/data\"\n}\n");
  repo.write("web.nomad.hcl", reconcile_job("one"));
  const std::string first = repo.commit("add web");
  const std::string args = "reconcile --once --no-color --repo " + repo.url() + " --cache-dir " + (repo.root / "cache").string() +
      " --state " + here.path() + "/named/state.json ";
  Run applied = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(applied.out);
  REQUIRE(applied.exit_code == 2);
  CHECK(std::filesystem::exists(here.path() + "/named/state.json"));
  CHECK_FALSE(std::filesystem::exists(here.path() + "/elsewhere"));

  // skiff.hcl broken: without -state nothing could say where the state is.
  repo.write("skiff.hcl", "state {\n  path = \n}\n");
  const std::string broken = repo.commit("break skiff.hcl");
  Run refused = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(refused.out);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.out, Catch::Contains("skiff.hcl:2:"));
  Run status = run_skiff_in(here.path(), "reconcile status --json --state named/state.json", Stderr::kMerge);
  INFO(status.out);
  const nlohmann::json record = nlohmann::json::parse(status.out);
  CHECK(record["applied_commit"] == first);
  CHECK(record["attempted_commit"] == broken);
  CHECK_THAT(record["attempted_error"].get<std::string>(), Catch::Contains("skiff.hcl:2:"));

  here.write("skiff.hcl", "state {\n  path = \"named/state.json\"\n}\n");
  here.write("hosts.hcl", "host \"local\" {\n  transport = \"local\"\n  data_dir  = \"" + here.path() + "/data\"\n}\n");
  CHECK(run_skiff_in(here.path(), "job stop -purge -auto-approve web", Stderr::kMerge).exit_code == 0);
}

TEST_CASE("reconcile --verify-signatures applies only commits an allowed key signed", "[cli][reconcile]") {
  ScratchDir here;
  GitRepo repo;
  const std::string keys = (repo.root / "keys").string();
  REQUIRE(std::system(("mkdir -p '" + keys + "' && ssh-keygen -q -t ed25519 -N '' -C ada -f '" + keys +
                       "/ada' && ssh-keygen -q -t ed25519 -N '' -C eve -f '" + keys + "/eve'")
                          .c_str()) == 0);
  std::ifstream ada_pub(keys + "/ada.pub");
  std::string ada_key;
  std::getline(ada_pub, ada_key);
  here.write("allowed_signers", "ada@example.com namespaces=\"git\" " + ada_key + "\n");
  auto signed_commit = [&repo, &keys](const std::string& who, const std::string& message) {
    repo.git("add -A");
    repo.git("-c gpg.format=ssh -c user.signingkey=" + keys + "/" + who + " commit -q -S -m '" + message + "'");
    const std::string id = repo.git("rev-parse HEAD");
    return id.substr(0, 40);
  };
  const std::string hosts = "host \"local\" {\n  transport = \"local\"\n  data_dir  = \"" + here.path() + "/data\"\n}\n";
  repo.write("hosts.hcl", hosts);
  here.write("hosts.hcl", hosts);
  repo.write("web.nomad.hcl", reconcile_job("one"));
  const std::string good = signed_commit("ada", "add web");
  // -state: a commit that is not signed is never read, so only a state
  // named here (or a loop's last good commit) can record it.
  const std::string args =
      "reconcile --once --no-color --state .skiff/state.json --verify-signatures --allowed-signers allowed_signers --repo " +
      repo.url() + " --cache-dir " + (repo.root / "cache").string() + " ";
  Run applied = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(applied.out);
  REQUIRE(applied.exit_code == 2);

  // Unsigned: refused with its hash and author, recorded, not applied.
  repo.write("web.nomad.hcl", reconcile_job("two"));
  const std::string unsigned_commit = repo.commit("unsigned change");
  Run refused = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(refused.out);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.out, Catch::Contains("commit " + unsigned_commit.substr(0, 12) + " by Ada <ada@example.com>"));
  CHECK_THAT(refused.out, Catch::Contains("it is not signed by a key allowed_signers allows (unsigned)"));
  nlohmann::json record = state_in(here)["reconcile"];
  CHECK(record["applied_commit"] == good);
  CHECK(record["attempted_commit"] == unsigned_commit);

  // Signed by a key the file does not allow: refused too.
  repo.write("web.nomad.hcl", reconcile_job("three"));
  const std::string by_eve = signed_commit("eve", "eve changes it");
  Run stranger = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(stranger.out);
  CHECK(stranger.exit_code == 1);
  CHECK_THAT(stranger.out, Catch::Contains("no principal in"));
  CHECK(state_in(here)["reconcile"]["applied_commit"] == good);

  // Signed by Ada again: applied at once.
  repo.write("web.nomad.hcl", reconcile_job("four"));
  const std::string fixed = signed_commit("ada", "ada changes it");
  Run rolled = run_skiff_in(here.path(), args, Stderr::kMerge);
  INFO(rolled.out);
  CHECK(rolled.exit_code == 2);
  CHECK(state_in(here)["reconcile"]["applied_commit"] == fixed);
  CHECK(run_skiff_in(here.path(), "job stop -purge -auto-approve web", Stderr::kMerge).exit_code == 0);
}
