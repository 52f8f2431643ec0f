// A task's place in its allocation's lifecycle: what alloc.json records,
// what health waits for, the order of stopping, and what each supervisor
// waits for before its first start (drivers/task/task_hook.hpp).
#include <catch2/catch.hpp>

#include "drivers/task/allocation.hpp"
#include "drivers/task/task_hook.hpp"

using namespace skiff;
using namespace skiff::drivers;

namespace {

spec::Task task(const std::string& name, std::optional<spec::Lifecycle> lifecycle = std::nullopt) {
  spec::Task t;
  t.name = name;
  t.driver = "raw_exec";
  t.lifecycle = lifecycle;
  return t;
}

std::vector<spec::Task> group_tasks() {
  return {task("init", spec::Lifecycle{spec::LifecycleHook::kPrestart, false}),
          task("proxy", spec::Lifecycle{spec::LifecycleHook::kPrestart, true}),
          task("web"),
          task("api"),
          task("announce", spec::Lifecycle{spec::LifecycleHook::kPoststart, false}),
          task("shipper", spec::Lifecycle{spec::LifecycleHook::kPoststart, true}),
          task("cleanup", spec::Lifecycle{spec::LifecycleHook::kPoststop, false})};
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("each hook task is described as Nomad names it; main tasks are not listed", "[drivers]") {
  const auto hooks = task_hooks(group_tasks());
  CHECK(hooks.size() == 5);
  CHECK_FALSE(hooks.count("web"));
  CHECK(describe_hook(hooks, "init") == "prestart");
  CHECK(describe_hook(hooks, "proxy") == "prestart sidecar");
  CHECK(describe_hook(hooks, "shipper") == "poststart sidecar");
  CHECK(describe_hook(hooks, "cleanup") == "poststop");
  CHECK(describe_hook(hooks, "web") == "main");
}

TEST_CASE("health waits for main tasks and sidecars; ephemeral hooks are complete at exit 0", "[drivers]") {
  const auto hooks = task_hooks(group_tasks());
  CHECK(runs_for_health(hooks, "web"));
  CHECK(runs_for_health(hooks, "proxy"));
  CHECK(runs_for_health(hooks, "shipper"));
  CHECK_FALSE(runs_for_health(hooks, "init"));
  CHECK_FALSE(runs_for_health(hooks, "announce"));
  CHECK_FALSE(runs_for_health(hooks, "cleanup"));
  CHECK(is_ephemeral_hook(hooks, "init"));
  CHECK(is_ephemeral_hook(hooks, "cleanup"));
  CHECK_FALSE(is_ephemeral_hook(hooks, "proxy"));
  CHECK_FALSE(is_ephemeral_hook(hooks, "web"));
}

TEST_CASE("tasks stop main first, then sidecars, then poststop", "[drivers]") {
  const auto hooks = task_hooks(group_tasks());
  CHECK(stop_rank(hooks, "web") == 0);
  CHECK(stop_rank(hooks, "init") == 0);
  CHECK(stop_rank(hooks, "proxy") == 1);
  CHECK(stop_rank(hooks, "shipper") == 1);
  CHECK(stop_rank(hooks, "cleanup") == 2);
}

TEST_CASE("main tasks wait for prestart tasks, poststart for the main tasks, poststop for their end", "[drivers]") {
  const auto tasks = group_tasks();
  StartGate web = start_gate(tasks, "web");
  CHECK(web.completed == Names{"init"});
  CHECK(web.running == Names{"proxy"});
  CHECK(web.ended.empty());
  StartGate announce = start_gate(tasks, "announce");
  CHECK(announce.completed.empty());
  CHECK(announce.running == Names{"web", "api"});
  StartGate cleanup = start_gate(tasks, "cleanup");
  CHECK(cleanup.running.empty());
  CHECK(cleanup.ended == Names{"web", "api"});
  // Prestart tasks start at once.
  StartGate init = start_gate(tasks, "init");
  CHECK(init.completed.empty());
  CHECK(init.running.empty());
  CHECK(init.ended.empty());
  // A group without hooks: nothing waits.
  StartGate plain = start_gate({task("a"), task("b")}, "a");
  CHECK(plain.completed.empty());
  CHECK(plain.running.empty());
  CHECK(plain.ended.empty());
}

TEST_CASE("a leader's end stops every sibling but poststop; the last main task's end stops the sidecars", "[drivers]") {
  std::vector<spec::Task> tasks = group_tasks();
  tasks[2].leader = true;  // web
  const SiblingStops web = sibling_stops(tasks, "web");
  CHECK(web.leader_ends == Names{"init", "proxy", "api", "announce", "shipper"});
  CHECK(web.other_mains == Names{"api"});
  CHECK(web.sidecars == Names{"proxy", "shipper"});
  const SiblingStops api = sibling_stops(tasks, "api");
  CHECK(api.leader_ends.empty());
  CHECK(api.other_mains == Names{"web"});
  const SiblingStops proxy = sibling_stops(tasks, "proxy");
  CHECK(proxy.leader_ends.empty());
  CHECK(proxy.other_mains.empty());
  CHECK(proxy.sidecars.empty());
}

TEST_CASE("alloc.json carries the hooks, and refuses a hook it does not know", "[drivers]") {
  Allocation a;
  a.id = "0d3c1c5e-8f1e-4a8b-9c1d-2b3e4f5a6b7c";
  a.job = "web";
  a.group = "g";
  a.task_hooks = task_hooks(group_tasks());
  nlohmann::json j = allocation_to_json(a);
  Result<Allocation> back = allocation_from_json(j);
  REQUIRE(back.ok());
  REQUIRE(back->task_hooks.size() == 5);
  CHECK(back->task_hooks.at("proxy").hook == "prestart");
  CHECK(back->task_hooks.at("proxy").sidecar);
  CHECK(back->task_hooks.at("cleanup").hook == "poststop");

  j["task_hooks"]["init"]["hook"] = "preflight";
  Result<Allocation> bad = allocation_from_json(j);
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::Contains("task_hooks.init.hook"));
  CHECK_THAT(bad.error().message, Catch::Contains("not a lifecycle hook"));
}
