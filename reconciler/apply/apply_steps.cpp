#include "reconciler/apply/apply_steps.hpp"

#include <algorithm>
#include <map>

#include "base/text.hpp"
#include "drivers/batch.hpp"
#include "drivers/task/alloc_json_write.hpp"
#include "drivers/task/task_driver.hpp"
#include "reconciler/scheduler/placer.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::reconciler::apply_detail {

namespace {

// Counts down an allocation's commands; reports once, with the first error.
struct Countdown {
  int left = 0;
  std::string error;
  std::function<void(const std::string&)> finished;
  void one(const Result<drivers::CommandResult>& r, const std::string& what) {
    if (error.empty()) {
      if (!r.ok()) error = what + ": " + r.error().message;
      else if (!r->success())
        error = what + ": exit status " + std::to_string(r->exit_status) +
            (r->stderr_data.empty() ? "" : ": " + base::terminal_safe(r->stderr_data));
    }
    if (--left == 0) finished(error);
  }
};

// The command that starts a task, from the driver its job names.
Result<drivers::Command> start_command(const drivers::TaskContext& context) {
  Result<const drivers::TaskDriver*> driver = drivers::driver_for(context.task);
  if (!driver.ok()) return driver.error();
  return (*driver)->start(context);
}

const spec::Task* find_task(const spec::Group& group, const std::string& name) {
  for (const spec::Task& task : group.tasks)
    if (task.name == name) return &task;
  return nullptr;
}

}  // namespace

void run_step(std::vector<Item>& items, ApplyEnvironment& env, ApplyReport& report) {
  std::map<std::string, std::vector<size_t>> by_host;
  for (size_t i = 0; i < items.size(); ++i) by_host[items[i].host].push_back(i);
  std::vector<drivers::HostCommand> batch;
  std::vector<std::string> tokens;
  std::map<std::string, Error> failed_hosts;
  for (const auto& [host, indexes] : by_host) {
    std::vector<drivers::Command> commands;
    for (size_t i : indexes) commands.push_back(items[i].command);
    Result<std::string> token = env.token();
    if (!token.ok()) {
      // The host's commands fail unsent: without a marker their outputs
      // could not be told apart.
      failed_hosts.emplace(host, token.error());
      continue;
    }
    tokens.push_back(*token);
    batch.push_back({host, drivers::batch_command(commands, tokens.back())});
    ++report.commands_per_host[host];
  }
  std::vector<Result<drivers::CommandResult>> results = env.fleet.run_all(batch);
  size_t h = 0;
  for (const auto& [host, indexes] : by_host) {
    if (auto failed = failed_hosts.find(host); failed != failed_hosts.end()) {
      for (size_t i : indexes) items[i].done(failed->second);
      continue;
    }
    const Result<drivers::CommandResult>& result = results[h];
    if (!result.ok()) {
      for (size_t i : indexes) items[i].done(result.error());
    } else {
      std::vector<Result<drivers::CommandResult>> each = drivers::split_batch(*result, indexes.size(), tokens[h]);
      for (size_t k = 0; k < indexes.size(); ++k) items[indexes[k]].done(each[k]);
    }
    ++h;
  }
}

const spec::Job* Specs::job(const std::string& id) const {
  auto it = jobs.find(id);
  return it == jobs.end() ? nullptr : it->second;
}

const spec::Group* Specs::group(const std::string& job_id, const std::string& name) const {
  const spec::Job* j = job(job_id);
  if (!j) return nullptr;
  for (const spec::Group& g : j->groups)
    if (g.name == name) return &g;
  return nullptr;
}

Result<drivers::Allocation> new_allocation(const Action& action, const spec::Job& job, const nlohmann::json& job_json,
                                           const spec::Group& group, const ApplyHost& host, ApplyEnvironment& env) {
  Result<std::string> id = env.new_id();
  if (!id.ok()) return id.error();
  drivers::Allocation a;
  a.id = *id;
  a.job = job.id;
  a.group = group.name;
  a.index = action.index;
  a.job_version = action.job_version;
  a.job_type = spec::to_string(job.type);
  a.datacenter = host.host.datacenter;
  a.host = host.host.name;
  a.host_address = host.host.transport == spec::Transport::kLocal ? "127.0.0.1" : host.host.address;
  a.data_dir = host.host.data_dir;
  if (group.network)
    for (const spec::Port& port : group.network->ports) {
      auto it = action.ports.find(port.label);
      if (it != action.ports.end()) a.ports.push_back({port.label, it->second, port.to});
    }
  a.task_spec_hashes = task_spec_hashes(job_json, group.name);
  a.job_spec_hash = job_spec_hash(job_json);
  const Resources reserved = group_resources(group);
  a.cpu_mhz = reserved.cpu_mhz;
  a.memory_mb = reserved.memory_mb;
  a.disk_mb = reserved.disk_mb;
  a.created_unix = env.now_unix();
  a.canary = action.canary;
  a.lineage = env.lineage;
  a.task_hooks = drivers::task_hooks(group.tasks);
  return a;
}

std::vector<Item> start_items(const drivers::Allocation& allocation, const spec::Job& job, const spec::Group& group,
                              const ApplyHost& host, std::function<void(const std::string& error)> finished,
                              std::vector<std::string>& errors) {
  auto countdown = std::make_shared<Countdown>();
  countdown->finished = std::move(finished);
  std::vector<Item> items;
  for (const spec::Task& task : group.tasks) {
    Result<drivers::Command> start = start_command(drivers::TaskContext{job, group, task, allocation, host.host, host.facts});
    if (!start.ok()) {
      errors.push_back(host.host.name + ": start " + allocation.name() + ": " + start.error().message);
      continue;
    }
    const std::string what = "start task \"" + task.name + "\"";
    items.push_back(
        {host.host.name, *start, [countdown, what](const Result<drivers::CommandResult>& r) { countdown->one(r, what); }});
  }
  countdown->left = static_cast<int>(items.size());
  if (items.empty()) countdown->finished("no task could be started");
  return items;
}

std::vector<Item> stop_items(const std::string& host, const ApplyHost& where, const drivers::ObservedAllocation& observed,
                             const spec::Group* group, std::function<void(const std::string& error)> finished) {
  auto countdown = std::make_shared<Countdown>();
  countdown->finished = std::move(finished);
  std::vector<Item> items;
  // One after the other, in lifecycle order: a poststop task runs once the
  // main tasks and sidecars before it have stopped.
  std::vector<std::string> order;
  for (const auto& [task, t] : observed.tasks) order.push_back(task);
  std::stable_sort(order.begin(), order.end(), [&](const std::string& x, const std::string& y) {
    return drivers::stop_rank(observed.allocation.task_hooks, x) < drivers::stop_rank(observed.allocation.task_hooks, y);
  });
  for (const std::string& task : order) {
    const drivers::ObservedTask& t = observed.tasks.at(task);
    const std::string what = "stop task \"" + task + "\"";
    drivers::Command stop = drivers::driver_of(t).stop(observed.allocation, task, t);
    if (const spec::Task* spec_task = group ? find_task(*group, task) : nullptr)
      stop.timeout = drivers::stop_timeout(std::chrono::milliseconds(spec_task->kill_timeout.nanoseconds / 1'000'000),
                                           observed.allocation.task_hooks, task);
    items.push_back({host, stop, [countdown, what](const Result<drivers::CommandResult>& r) { countdown->one(r, what); }});
  }
  items.push_back({host, drivers::purge_command(where.host.data_dir, observed),
                   [countdown](const Result<drivers::CommandResult>& r) { countdown->one(r, "remove its folder"); }});
  countdown->left = static_cast<int>(items.size());
  return items;
}

Item update_item(const std::string& host, const drivers::Allocation& updated,
                 std::function<void(const std::string& error)> finished) {
  drivers::Command command = drivers::update_alloc_json_command(updated);
  auto done = std::move(finished);
  return {host, command, [done](const Result<drivers::CommandResult>& r) {
            if (!r.ok()) done("update alloc.json: " + r.error().message);
            else if (!r->success())
              done("update alloc.json: " + base::terminal_safe(base::without_trailing_space(r->stderr_data)));
            else done("");
          }};
}

}  // namespace skiff::reconciler::apply_detail
