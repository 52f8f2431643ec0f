#include "drivers/task/task_hook.hpp"

namespace skiff::drivers {

namespace {

const TaskHook* find_hook(const std::map<std::string, TaskHook>& hooks, const std::string& task) {
  auto it = hooks.find(task);
  return it == hooks.end() ? nullptr : &it->second;
}

}  // namespace

std::map<std::string, TaskHook> task_hooks(const std::vector<spec::Task>& tasks) {
  std::map<std::string, TaskHook> out;
  for (const spec::Task& t : tasks)
    if (t.lifecycle) out[t.name] = TaskHook{spec::to_string(t.lifecycle->hook), t.lifecycle->sidecar};
  return out;
}

std::string describe_hook(const std::map<std::string, TaskHook>& hooks, const std::string& task) {
  const TaskHook* h = find_hook(hooks, task);
  if (!h) return "main";
  return h->sidecar ? h->hook + " sidecar" : h->hook;
}

bool is_ephemeral_hook(const std::map<std::string, TaskHook>& hooks, const std::string& task) {
  const TaskHook* h = find_hook(hooks, task);
  return h && !h->sidecar;
}

bool runs_for_health(const std::map<std::string, TaskHook>& hooks, const std::string& task) {
  const TaskHook* h = find_hook(hooks, task);
  return !h || (h->sidecar && h->hook != "poststop");
}

int stop_rank(const std::map<std::string, TaskHook>& hooks, const std::string& task) {
  const TaskHook* h = find_hook(hooks, task);
  if (!h) return 0;
  if (h->hook == "poststop") return 2;
  return h->sidecar ? 1 : 0;
}

StartGate start_gate(const std::vector<spec::Task>& tasks, const std::string& task) {
  const spec::Task* self = nullptr;
  for (const spec::Task& t : tasks)
    if (t.name == task) self = &t;
  StartGate gate;
  if (!self) return gate;
  for (const spec::Task& t : tasks) {
    if (t.name == task) continue;
    const bool main = !t.lifecycle;
    if (!self->lifecycle) {
      if (t.lifecycle && t.lifecycle->hook == spec::LifecycleHook::kPrestart)
        (t.lifecycle->sidecar ? gate.running : gate.completed).push_back(t.name);
    } else if (self->lifecycle->hook == spec::LifecycleHook::kPoststart) {
      if (main) gate.running.push_back(t.name);
    } else if (self->lifecycle->hook == spec::LifecycleHook::kPoststop) {
      if (main) gate.ended.push_back(t.name);
    }
  }
  return gate;
}

SiblingStops sibling_stops(const std::vector<spec::Task>& tasks, const std::string& task) {
  const std::map<std::string, TaskHook> hooks = task_hooks(tasks);
  const bool main_task = !hooks.count(task);
  bool leader = false;
  SiblingStops stops;
  for (const spec::Task& t : tasks) {
    if (t.name == task) {
      leader = t.leader;
      continue;
    }
    if (stop_rank(hooks, t.name) < 2) stops.leader_ends.push_back(t.name);
    if (!main_task) continue;
    const TaskHook* h = find_hook(hooks, t.name);
    if (!h) stops.other_mains.push_back(t.name);
    else if (h->sidecar) stops.sidecars.push_back(t.name);
  }
  if (!leader) stops.leader_ends.clear();
  return stops;
}

}  // namespace skiff::drivers
