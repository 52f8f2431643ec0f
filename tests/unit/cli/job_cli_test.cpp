// job list, job dispatch's refusals, the lock wait and a lost state file,
// run as a user runs them on a state written by the local store in a
// scratch project: all of it decided before any host is reached.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "parser/load.hpp"
#include "state/local_store.hpp"
#include "support/job_from_hcl.hpp"
#include "unit/cli/run_skiff.hpp"

namespace skiff::state {
namespace {

using namespace std::chrono_literals;
using skiff::testing::run_skiff_in;
using skiff::testing::ScratchDir;
using skiff::testing::Stderr;

const char* kReport = R"(job "report" {
  type = "batch"
  parameterized {
    payload       = "forbidden"
    meta_required = ["input"]
  }
  group "run" {
    task "main" {
      driver = "raw_exec"
      config { command = "/bin/true" }
    }
  }
}
)";

JobVersion version_of(const spec::Job& job, uint64_t version, bool stopped = false) {
  return JobVersion{version, parser::job_to_json(job), "hash", "jobs/" + job.id + ".nomad.hcl", "ann@laptop", 1700000000, true,
                    stopped};
}

AllocationRecord allocation(const std::string& job, int n, const std::string& status) {
  AllocationRecord a;
  a.id = "a1b2c3d4-0000-4000-8000-00000000000" + std::to_string(n);
  a.job = job;
  a.group = "g";
  a.index = n;
  a.host = "web-1";
  a.status = status;
  return a;
}

// "web" runs 1 of 2, "batch1" has ended, "report" is parameterized (its
// runs are dispatched), "old" was stopped.
State project_state() {
  State state;
  spec::Job report = skiff::testing::job_from(kReport);
  state.jobs["report"] = JobRecord{"report", "batch", {version_of(report, 0)}, 0};
  spec::Job web = report;
  web.id = web.name = "web";
  web.parameterized.reset();
  state.jobs["web"] = JobRecord{"web", "service", {version_of(web, 0), version_of(web, 1)}, 0};
  state.jobs["batch1"] = JobRecord{"batch1", "batch", {version_of(web, 0)}, 0};
  state.jobs["old"] = JobRecord{"old", "service", {version_of(web, 0), version_of(web, 1, true)}, 0};
  state.allocations = {allocation("web", 1, "running"), allocation("web", 2, "pending"), allocation("batch1", 3, "complete")};
  return state;
}

TEST_CASE("job list shows every job's type, version, status and allocations; -json the same", "[cli][job]") {
  ScratchDir dir;
  CHECK(run_skiff_in(dir.path(), "job list").out == "No jobs applied yet.\n");
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  State state = project_state();
  REQUIRE(store.save(state, 0));
  skiff::testing::Run run = run_skiff_in(dir.path(), "job list");
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("ID      Type     Version  Status          Allocations     Source\n"));
  CHECK_THAT(run.out, Catch::Contains("web     service  1        running         1 running of 2"));
  CHECK_THAT(run.out, Catch::Contains("batch1  batch    0        dead            0 running of 1"));
  CHECK_THAT(run.out, Catch::Contains("old     service  1        dead (stopped)  0 running of 0"));
  CHECK_THAT(run.out, Catch::Contains("report  batch    0        parameterized   0 running of 0  jobs/report.nomad.hcl\n"));
  nlohmann::json json = nlohmann::json::parse(run_skiff_in(dir.path(), "job list -json").out);
  REQUIRE(json.size() == 4);
  CHECK(json[3] ==
        nlohmann::json{{"id", "web"},
                       {"type", "service"},
                       {"version", 1},
                       {"status", "running"},
                       {"running", 1},
                       {"allocations", 2},
                       {"source", "jobs/web.nomad.hcl"}});
}

TEST_CASE("job dispatch refuses, naming why, before it reaches a host", "[cli][job]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  State state = project_state();
  REQUIRE(store.save(state, 0));
  skiff::testing::Run bad_meta = run_skiff_in(dir.path(), "job dispatch -auto-approve -meta inptu=x report", Stderr::kMerge);
  CHECK(bad_meta.exit_code == 1);
  CHECK_THAT(bad_meta.out, Catch::Contains("cannot dispatch job \"report\":\n  meta \"input\" is required"));
  CHECK_THAT(bad_meta.out, Catch::Contains("did you mean \"input\"?"));
  dir.write("payload.txt", "hello");
  skiff::testing::Run payload = run_skiff_in(dir.path(), "job dispatch -meta input=x report payload.txt", Stderr::kMerge);
  CHECK(payload.exit_code == 1);
  CHECK_THAT(payload.out, Catch::Contains("takes no payload (parameterized.payload = \"forbidden\")"));
  skiff::testing::Run plain = run_skiff_in(dir.path(), "job dispatch web", Stderr::kMerge);
  CHECK(plain.exit_code == 1);
  CHECK_THAT(plain.out, Catch::Contains("job \"web\" is not parameterized"));
  CHECK(run_skiff_in(dir.path(), "job dispatch -meta novalue report", Stderr::kMerge).out.find("is not KEY=VALUE") !=
        std::string::npos);
  // Nothing was recorded.
  Result<std::optional<State>> after = store.load();
  REQUIRE(after.ok());
  CHECK((*after)->serial == 1);
}

TEST_CASE("-lock-timeout says it waits, and for whom, before it gives up", "[cli][job]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  State state = project_state();
  REQUIRE(store.save(state, 0));
  LockInfo holder{"lock-123", "tester@box", "apply", 4242, 1700000000, "0.1.0"};
  Result<std::unique_ptr<Lock>> lock = store.lock(holder, 0ms);
  REQUIRE(lock.ok());
  skiff::testing::Run run = run_skiff_in(dir.path(), "job stop -auto-approve -lock-timeout 1s web", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out,
             Catch::StartsWith("Waiting up to 1s for the state lock (local .skiff/state.json), held by tester@box "
                               "(pid 4242) since 2023-11-14T22:13:20Z for \"apply\" (skiff 0.1.0), lock id lock-123 ...\n"));
  CHECK_THAT(run.out, Catch::Contains("waited 1s for the state lock: state is locked by tester@box"));
  // Without -lock-timeout it fails at once, with no waiting line.
  skiff::testing::Run at_once = run_skiff_in(dir.path(), "job stop -auto-approve web", Stderr::kMerge);
  CHECK(at_once.exit_code == 1);
  CHECK_THAT(at_once.out, !Catch::Contains("Waiting") && Catch::Contains("state is locked by tester@box"));
}

TEST_CASE("a lost state file with its backup present is named, with how to restore it", "[cli][job]") {
  ScratchDir dir;
  LocalStateStore store(dir.path() + "/.skiff/state.json");
  State state = project_state();
  REQUIRE(store.save(state, 0));
  REQUIRE(store.save(state, 1));
  ::unlink(store.path().c_str());
  skiff::testing::Run run = run_skiff_in(dir.path(), "job list", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out,
             Catch::Contains("state file .skiff/state.json is missing, but its backup .skiff/state.json.backup "
                             "(serial 1) is there. Restore it with `cp .skiff/state.json.backup .skiff/state.json`"));
}

}  // namespace
}  // namespace skiff::state
