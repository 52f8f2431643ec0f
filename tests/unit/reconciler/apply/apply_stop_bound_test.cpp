// How long apply waits for a task's stop: its kill_timeout plus a margin,
// never an hour, whichever driver stops it.
#include <catch2/catch.hpp>

#include "drivers/task/task_driver.hpp"
#include "reconciler/apply/apply_steps.hpp"

namespace skiff::reconciler::apply_detail {
namespace {

using namespace std::chrono_literals;

drivers::ObservedAllocation observed_with(const std::string& container_cli) {
  drivers::ObservedAllocation observed;
  observed.allocation.id = "0b0f2c1e-5a39-4c4e-9a8c-1d2e3f405162";
  observed.allocation.job = "web";
  observed.allocation.group = "web";
  observed.allocation.task_hooks["flush"] = drivers::TaskHook{"poststop", false};
  drivers::ObservedTask main;
  main.state = drivers::TaskState::kRunning;
  if (!container_cli.empty()) {
    main.cli = container_cli;
    main.container = "skiff-" + observed.allocation.id + "-app";
  }
  observed.tasks["app"] = main;
  observed.tasks["flush"] = drivers::ObservedTask{};
  return observed;
}

spec::Group group_with_kill_timeout(spec::Duration app, spec::Duration flush) {
  spec::Group group;
  group.name = "web";
  spec::Task task;
  task.name = "app";
  task.kill_timeout = app;
  group.tasks.push_back(task);
  task.name = "flush";
  task.kill_timeout = flush;
  group.tasks.push_back(task);
  return group;
}

// The stop items' timeouts by the task they stop (the last item purges).
std::map<std::string, std::chrono::milliseconds> stop_bounds(const drivers::ObservedAllocation& observed,
                                                             const spec::Group* group) {
  ApplyHost host;
  host.host.name = "h1";
  std::vector<Item> items = stop_items("h1", host, observed, group, [](const std::string&) {});
  std::map<std::string, std::chrono::milliseconds> bounds;
  for (const Item& item : items)
    if (drivers::command_name(item.command) == "skiff-stop")
      bounds[item.command.argv.at(4).find("/flush/") != std::string::npos ? "flush" : "app"] = item.command.timeout;
  return bounds;
}

TEST_CASE("a stop waits for its task's kill_timeout and a margin", "[apply_stop_bound]") {
  CHECK(drivers::stop_timeout(10s, {}, "app") == 45s);
  const std::map<std::string, drivers::TaskHook> hooks = {{"flush", {"poststop", false}}};
  // A poststop task runs first (5 minutes), then is stopped as any task.
  CHECK(drivers::stop_timeout(10s, hooks, "flush") == 45s + 10s + 305s);
}

TEST_CASE("apply bounds each stop by the kill_timeout its job file gives", "[apply_stop_bound]") {
  for (const std::string cli : {"", "docker"}) {
    INFO("cli: " << cli);
    const spec::Group group = group_with_kill_timeout(spec::Duration::seconds(10), spec::Duration::seconds(2));
    auto bounds = stop_bounds(observed_with(cli), &group);
    CHECK(bounds.at("app") == 45s);
    CHECK(bounds.at("flush") == 2s + 5s + 30s + 2s + 305s);
  }
}

TEST_CASE("without its job file a stop assumes Nomad's max_kill_timeout, not an hour", "[apply_stop_bound]") {
  for (const std::string cli : {"", "podman"}) {
    INFO("cli: " << cli);
    auto bounds = stop_bounds(observed_with(cli), nullptr);
    CHECK(bounds.at("app") == 30s + 5s + 30s);
    CHECK(bounds.at("flush") < 10min);
  }
}

}  // namespace
}  // namespace skiff::reconciler::apply_detail
