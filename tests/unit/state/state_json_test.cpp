// The state's JSON: an exact round trip of every field, strict decoding
// whose errors name the field, and a newer format refused outright.
#include <catch2/catch.hpp>

#include "state/state_json.hpp"

namespace skiff::state {
namespace {

using nlohmann::json;

// A state with every field set away from its default.
State rich_state() {
  State state;
  state.lineage = "5d0f2c1e-8a3b-4c7d-9e2f-0123456789ab";
  state.serial = 41;
  JobRecord web{"web", "service", {}, 1700000000};
  web.versions.push_back(JobVersion{0, json{{"id", "web"}, {"groups", json::array()}}, "h0", "jobs/web.nomad.hcl", "root@laptop",
                                    1700000001, true, false});
  web.versions.push_back(JobVersion{1, json{{"id", "web"}, {"count", 3}}, "h1", "git:abc123:jobs/web.nomad.hcl", "ci@runner",
                                    1700000002, false, true});
  state.jobs["web"] = web;
  state.jobs["my job"] = JobRecord{"my job", "batch", {}, 0};
  AllocationRecord alloc;
  alloc.id = "a1b2c3d4-0000-4000-8000-000000000001";
  alloc.job = "web";
  alloc.group = "frontend";
  alloc.index = 2;
  alloc.host = "web-1";
  alloc.job_version = 1;
  alloc.status = "failed";
  alloc.status_reason = "exit 3";
  alloc.health = "unhealthy";
  alloc.ports = {{"http", 8080}, {"admin", 9090}};
  alloc.task_spec_hashes = {{"server", "t1"}, {"sidecar", "t2"}};
  alloc.job_spec_hash = "h1";
  alloc.cpu_mhz = 500;
  alloc.memory_mb = 256;
  alloc.disk_mb = 300;
  alloc.deployment = "d1";
  alloc.canary = true;
  alloc.created_unix = 1700000003;
  alloc.modified_unix = 1700000004;
  alloc.previous_allocation = "0b5e-previous";
  alloc.reschedules_unix = {1699990000, 1699999000};
  state.allocations.push_back(alloc);
  state.allocations.push_back(AllocationRecord{.id = "second", .job = "web", .group = "frontend", .host = "web-2"});
  Deployment deployment;
  deployment.id = "d1";
  deployment.job = "web";
  deployment.job_version = 1;
  deployment.status = "paused";
  deployment.description = "waiting for promotion";
  deployment.groups["frontend"] = DeploymentGroup{3, 1, 1, 1, 1, {alloc.id}, true, true};
  deployment.created_unix = 1700000005;
  deployment.modified_unix = 1700000006;
  state.deployments.push_back(deployment);
  state.hosts["web-1"] = HostRecord{false, true, 1700000100, 1700000007, std::nullopt};
  state.hosts["web-2"] = HostRecord{true, false, std::nullopt, 1700000008, 1700000009};
  return state;
}

std::string decode_error(json document) {
  Result<State> state = state_from_json(document);
  REQUIRE_FALSE(state.ok());
  return state.error().message;
}

TEST_CASE("state JSON round-trips every field exactly, through text too", "[state]") {
  State state = rich_state();
  Result<State> back = state_from_json(state_to_json(state));
  REQUIRE(back.ok());
  CHECK(*back == state);
  CHECK(back->jobs.at("my job").id == "my job");

  Result<State> from_text = state_from_text(state_to_text(state));
  REQUIRE(from_text.ok());
  CHECK(*from_text == state);
  CHECK(state_to_text(*from_text) == state_to_text(state));
}

TEST_CASE("state JSON writes every field and keys jobs and hosts by name", "[state]") {
  json document = state_to_json(rich_state());
  CHECK(document["format_version"] == kStateFormatVersion);
  CHECK(document["jobs"]["web"]["versions"][1]["source"] == "git:abc123:jobs/web.nomad.hcl");
  CHECK_FALSE(document["jobs"]["web"].contains("id"));
  CHECK(document["allocations"][1]["status"] == "pending");
  CHECK(document["hosts"]["web-2"]["drain_deadline_unix"].is_null());
  CHECK(document["hosts"]["web-1"]["drain_deadline_unix"] == 1700000100);
}

TEST_CASE("an empty state and a minimal hand-written one decode", "[state]") {
  Result<State> empty = state_from_json(state_to_json(State{}));
  REQUIRE(empty.ok());
  CHECK(*empty == State{});
  Result<State> minimal = state_from_json(json{{"format_version", 1}, {"serial", 3}});
  REQUIRE(minimal.ok());
  CHECK(minimal->serial == 3);
  CHECK(minimal->jobs.empty());
}

TEST_CASE("decoding errors name the field", "[state]") {
  json document = state_to_json(rich_state());

  json bad_index = document;
  bad_index["allocations"][1]["index"] = "2";
  CHECK(decode_error(bad_index) == "allocations[1].index: expected an integer");

  json bad_port = document;
  bad_port["allocations"][0]["ports"]["http"] = 80.5;
  CHECK(decode_error(bad_port) == "allocations[0].ports.http: expected an integer");

  json bad_stable = document;
  bad_stable["jobs"]["web"]["versions"][0]["stable"] = "yes";
  CHECK(decode_error(bad_stable) == "jobs.web.versions[0].stable: expected true or false");

  json odd_key = document;
  odd_key["jobs"]["my job"]["type"] = 7;
  CHECK(decode_error(odd_key) == "jobs[\"my job\"].type: expected a string");

  json missing = document;
  missing["deployments"][0].erase("job");
  CHECK(decode_error(missing) == "deployments[0].job: missing");

  json unknown = document;
  unknown["hosts"]["web-1"]["drainig"] = true;
  CHECK(decode_error(unknown) == "hosts.web-1.drainig: unknown field");

  json negative = document;
  negative["serial"] = -1;
  CHECK(decode_error(negative) == "serial: expected a non-negative integer");

  json too_big = document;
  too_big["deployments"][0]["groups"]["frontend"]["desired"] = 1LL << 40;
  CHECK(decode_error(too_big) == "deployments[0].groups.frontend.desired: out of range");

  CHECK(decode_error(json::array()) == "the document: expected a JSON object");
  CHECK(decode_error(json{{"serial", 1}}) == "format_version: missing");
}

TEST_CASE("a newer format_version is refused with a clear message", "[state]") {
  json document = state_to_json(rich_state());
  document["format_version"] = kStateFormatVersion + 1;
  document["allocations"] = "changed shape in the newer format";
  Result<State> state = state_from_json(document);
  REQUIRE_FALSE(state.ok());
  CHECK(state.error().code == ErrorCode::kUnsupported);
  CHECK(state.error().message == "format_version 2 is newer than this skiff reads (1); upgrade skiff");
}

TEST_CASE("JSON syntax errors give the line and column without the library's prefix", "[state]") {
  std::string text = state_to_text(rich_state());
  Result<State> state = state_from_text(text.substr(0, text.find("\"deployments\"")));
  REQUIRE_FALSE(state.ok());
  CHECK(state.error().code == ErrorCode::kParse);
  CHECK_THAT(state.error().message,
             Catch::StartsWith("line ") && Catch::Contains("unexpected end of input") && !Catch::Contains("json.exception") &&
                 !Catch::Contains("syntax error while"));
  CHECK_FALSE(state_from_text("").ok());
  CHECK_FALSE(state_from_text(text + "{}").ok());
}

TEST_CASE("State finds the current job version and an allocation by id", "[state]") {
  State state = rich_state();
  REQUIRE(state.current("web") != nullptr);
  CHECK(state.current("web")->version == 1);
  CHECK(state.current("my job") == nullptr);
  CHECK(state.current("nope") == nullptr);
  REQUIRE(state.allocation("second") != nullptr);
  CHECK(state.allocation("second")->host == "web-2");
  CHECK(state.allocation("nope") == nullptr);
}

TEST_CASE("lock info round-trips and is decoded strictly", "[state]") {
  LockInfo info{"id-1", "root@laptop", "apply", 4242, 1700000000, "0.1.0"};
  Result<LockInfo> back = lock_info_from_json(lock_info_to_json(info));
  REQUIRE(back.ok());
  CHECK(*back == info);
  json bad = lock_info_to_json(info);
  bad["pid"] = "4242";
  REQUIRE_FALSE(lock_info_from_json(bad).ok());
  CHECK(lock_info_from_json(bad).error().message == "pid: expected an integer");
}

}  // namespace
}  // namespace skiff::state
