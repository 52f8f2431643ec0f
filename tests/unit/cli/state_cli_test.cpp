// skiff state show and skiff state unlock, run as a user runs them, on a
// state written by the local store in a scratch project.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "cli/state_access.hpp"
#include "state/local_store.hpp"
#include "state/state_json.hpp"
#include "unit/cli/run_skiff.hpp"

namespace skiff::state {
namespace {

using namespace std::chrono_literals;
using skiff::testing::run_skiff_in;
using skiff::testing::ScratchDir;
using skiff::testing::Stderr;

State sample_state() {
  State state;
  state.jobs["web"] = JobRecord{
      "web", "service", {JobVersion{3, {{"id", "web"}}, "hash", "jobs/web.nomad.hcl", "ann@laptop", 1700000000, true, false}}, 0};
  AllocationRecord alloc;
  alloc.id = "a1b2c3d4-0000-4000-8000-000000000001";
  alloc.job = "web";
  alloc.group = "frontend";
  alloc.index = 1;
  alloc.host = "web-1";
  alloc.job_version = 3;
  alloc.status = "running";
  alloc.health = "healthy";
  state.allocations.push_back(alloc);
  state.deployments.push_back(Deployment{.id = "d0e1f2a3-0000", .job = "web", .job_version = 3, .status = "successful"});
  state.hosts["web-1"] = HostRecord{false, true, std::nullopt, 1700000000, std::nullopt};
  return state;
}

TEST_CASE("state show without a state says nothing was applied", "[cli][state]") {
  ScratchDir dir;
  skiff::testing::Run run = run_skiff_in(dir.path(), "state show");
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("No state yet (local .skiff/state.json)"));
  CHECK(run_skiff_in(dir.path(), "state show -json").out == "null\n");
}

TEST_CASE("state show summarizes the state, -json prints it whole", "[cli][state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  State state = sample_state();
  REQUIRE(store.save(state, 0));

  skiff::testing::Run run = run_skiff_in(dir.path(), "state show");
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("Lineage: " + state.lineage) && Catch::Contains("Serial:  1"));
  CHECK_THAT(run.out, Catch::Contains("web  service  3        true    ann@laptop  2023-11-14T22:13:20Z  jobs/web.nomad.hcl"));
  CHECK_THAT(run.out, Catch::Contains("a1b2c3d4  web  frontend[1]  web-1  3        running  healthy"));
  CHECK_THAT(run.out, Catch::Contains("d0e1f2a3  web  3        successful"));
  CHECK_THAT(run.out, Catch::Contains("web-1  ineligible   draining"));

  skiff::testing::Run json = run_skiff_in(dir.path(), "state show -json");
  CHECK(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out) == state_to_json(state));
}

TEST_CASE("state show follows skiff.hcl's state path and names an unreadable state", "[cli][state]") {
  ScratchDir dir;
  dir.write("skiff.hcl", "state {\n  path = \"custom/state.json\"\n}\n");
  dir.write("custom/state.json", "{\"format_version\": 1, \"serial\": ");
  skiff::testing::Run run = run_skiff_in(dir.path(), "state show", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out,
             Catch::Contains("custom/state.json cannot be read (line 1") && Catch::Contains("skiff will not write over it"));
}

TEST_CASE("state unlock releases only the holder's id", "[cli][state]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  CHECK(run_skiff_in(dir.path(), "state unlock nobody").exit_code == 1);

  LockInfo info{"lock-123", "tester@box", "apply", 4242, 1700000000, "0.1.0"};
  Result<std::unique_ptr<Lock>> lock = store.lock(info, 0ms);
  REQUIRE(lock.ok());
  CHECK_THAT(run_skiff_in(dir.path(), "state show").out, Catch::Contains("Locked by tester@box (pid 4242)"));

  skiff::testing::Run wrong = run_skiff_in(dir.path(), "state unlock lock-999", Stderr::kMerge);
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.out, Catch::Contains("lock id lock-999 is not the current lock"));
  CHECK(store.holder()->has_value());

  skiff::testing::Run right = run_skiff_in(dir.path(), "state unlock lock-123");
  CHECK(right.exit_code == 0);
  CHECK_THAT(right.out, Catch::StartsWith("Released the state lock held by tester@box (pid 4242)"));
  CHECK_FALSE(store.holder()->has_value());
}

TEST_CASE("an unreachable ssh state host is named, and not taken for an unreadable state", "[cli][state]") {
  ScratchDir dir;
  dir.write("skiff.hcl", "state {\n  backend = \"ssh\"\n  host = \"bastion.invalid\"\n}\n");
  skiff::testing::Run run = run_skiff_in(dir.path(), "state show", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::StartsWith("skiff: read bastion.invalid:/var/lib/skiff/state.json: ssh "));
  CHECK_THAT(run.out, !Catch::Contains("Fix or restore it by hand"));
}

TEST_CASE("make_lock_info names this process and a fresh id", "[cli][state]") {
  LockInfo first = cli::make_lock_info("apply");
  LockInfo second = cli::make_lock_info("job stop");
  CHECK(first.id.size() == 36);
  CHECK(first.id != second.id);
  CHECK(first.operation == "apply");
  CHECK(second.operation == "job stop");
  CHECK(first.pid == ::getpid());
  CHECK_THAT(first.who, Catch::Contains("@"));
  CHECK(first.created_unix > 1700000000);
  CHECK_THAT(first.version, Catch::StartsWith("0."));
}

TEST_CASE("open_state_store: the default local path, skiff.hcl's path, an ssh host", "[cli][state]") {
  cli::Workspace workspace;
  Result<std::unique_ptr<StateStore>> store = cli::open_state_store(workspace);
  REQUIRE(store.ok());
  CHECK((*store)->describe() == "local .skiff/state.json");
  workspace.project.state.path = "/srv/app/.skiff/state.json";
  CHECK(cli::open_state_store(workspace).value()->describe() == "local /srv/app/.skiff/state.json");
  workspace.project.state.backend = spec::StateBackend::kSsh;
  REQUIRE_FALSE(cli::open_state_store(workspace).ok());
  CHECK(cli::open_state_store(workspace).error().message == "the ssh state backend needs a host");
  // Opening connects to nothing: the first load, save or lock does.
  workspace.project.state.host = "ops@bastion.invalid:2222";
  workspace.project.state.path = "/var/lib/skiff/state.json";
  CHECK(cli::open_state_store(workspace).value()->describe() == "ssh ops@bastion.invalid:2222:/var/lib/skiff/state.json");
}

}  // namespace
}  // namespace skiff::state
