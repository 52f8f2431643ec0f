// skiff alloc status|logs|stop|restart|signal ID: one allocation, found on
// the fleet by its id or a prefix of it, as `nomad alloc ...` does. stop,
// restart and signal take the state lock first and record what they did in
// the allocation's record (when the state has one), as apply would: a
// stopped allocation is `complete`, "stopped by user", and the next plan
// replaces it.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <thread>

#include "base/text.hpp"
#include "cli/alloc_lookup.hpp"
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/job_files.hpp"
#include "cli/locked_state.hpp"
#include "cli/workspace.hpp"
#include "drivers/task/stop_timeout.hpp"
#include "drivers/task/supervisor.hpp"
#include "drivers/task/task_driver.hpp"

namespace skiff::cli {

namespace {

struct AllocOptions {
  std::string id;
  std::string inventory;
  std::string task;  // empty: every task (status, stop, restart) or the only one (logs, signal)
  bool json = false;
  bool stderr_stream = false;
  int lines = 10;
  bool follow = false;
  bool tail = true;
  bool purge = false;
  std::string signal;
};

std::string format_time(std::optional<int64_t> unix_time) {
  if (!unix_time) return "-";
  std::time_t t = static_cast<std::time_t>(*unix_time);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

nlohmann::json observed_json(const FoundAllocation& found) {
  nlohmann::json tasks = nlohmann::json::object();
  for (const auto& [name, t] : found.observed.tasks) {
    tasks[name] = {{"state", drivers::to_string(t.state)},
                   {"lifecycle", drivers::describe_hook(found.observed.allocation.task_hooks, name)},
                   {"restarts", t.restarts},
                   {"exit_code", t.exit_code ? nlohmann::json(*t.exit_code) : nlohmann::json(nullptr)},
                   {"reason", t.reason},
                   {"since_unix", t.since_unix ? nlohmann::json(*t.since_unix) : nlohmann::json(nullptr)},
                   {"supervisor_alive", t.supervisor_alive},
                   {"driver", t.driver},
                   {"limits", t.limits}};
  }
  return {{"allocation", drivers::allocation_to_json(found.observed.allocation)}, {"host", found.host.name}, {"tasks", tasks}};
}

std::string render_status(const FoundAllocation& found) {
  const drivers::Allocation& a = found.observed.allocation;
  std::string out = "ID          = " + a.id + "\n" + "Name        = " + a.name() + "\n" + "Host        = " + found.host.name +
      (a.host_address.empty() ? "" : " (" + a.host_address + ")") + "\n" + "Job Version = " + std::to_string(a.job_version) +
      "\n" + "Created     = " + format_time(a.created_unix) + "\n";
  for (const auto& [name, t] : found.observed.tasks) {
    // As Nomad prints a hook task: `Task "init" (prestart)`.
    const std::string hook = drivers::describe_hook(a.task_hooks, name);
    out += "\nTask \"" + name + "\"" + (hook == "main" ? "" : " (" + hook + ")") + "\n";
    out += "State     = " + drivers::to_string(t.state) + "\n";
    out += "Restarts  = " + std::to_string(t.restarts) + "\n";
    out += "Exit Code = " + (t.exit_code ? std::to_string(*t.exit_code) : std::string("-")) + "\n";
    out += "Since     = " + format_time(t.since_unix) + "\n";
    if (!t.reason.empty()) out += "Reason    = " + t.reason + "\n";
    if (!t.limits.empty()) out += "Limits    = " + t.limits + "\n";
  }
  return out;
}

// The tasks a command acts on: the one named, or all of them, in the order
// they stop (main tasks, then sidecars, then poststop tasks, which run once
// the rest has stopped).
Result<std::vector<std::string>> chosen_tasks(const FoundAllocation& found, const std::string& task, bool need_one) {
  std::vector<std::string> names;
  for (const auto& [name, _] : found.observed.tasks) names.push_back(name);
  const auto& hooks = found.observed.allocation.task_hooks;
  std::stable_sort(names.begin(), names.end(), [&](const std::string& x, const std::string& y) {
    return drivers::stop_rank(hooks, x) < drivers::stop_rank(hooks, y);
  });
  if (!task.empty()) {
    if (!found.observed.tasks.count(task))
      return make_error(ErrorCode::kNotFound, "allocation " + found.observed.allocation.id + " has no task \"" + task + "\"");
    return std::vector<std::string>{task};
  }
  if (need_one && names.size() != 1) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return make_error(ErrorCode::kInvalidArgument, "the allocation has several tasks (" + list + "): pick one with -task");
  }
  return names;
}

// Runs `command` on the allocation's host; prints the failure.
std::optional<drivers::CommandResult> run_there(FleetAccess& access, const FoundAllocation& found, drivers::Command command,
                                                Context& context) {
  auto results = access.run_on({found.host}, [&](const spec::Host&) { return command; });
  if (!results[0].ok()) {
    context.err << "skiff: " << found.host.name << ": " << results[0].error().message << "\n";
    return std::nullopt;
  }
  return *results[0];
}

// What a command that changes an allocation does to its record in the
// state; kRead commands take no lock.
struct UserAction {
  enum class Kind { kRead, kStop, kRestart, kSignal } kind = Kind::kRead;
  std::string operation;  // for the lock: "alloc stop"
};

// The allocation's record after `action`, saved under the lock. An
// allocation the state does not list (started by `debug run-task`) leaves
// the state as it is.
Status record_user_action(LockedState& locked, const std::string& id, const UserAction& action, const std::string& signal) {
  state::AllocationRecord* record = locked.state.allocation(id);
  if (!record) return Status();
  switch (action.kind) {
    case UserAction::Kind::kRead: return Status();
    case UserAction::Kind::kStop:
      record->status = "complete";
      record->status_reason = "stopped by user";
      break;
    case UserAction::Kind::kRestart:
      record->status = "running";
      record->status_reason = "restarted by user";
      break;
    case UserAction::Kind::kSignal: record->status_reason = "sent SIG" + signal + " by user"; break;
  }
  record->modified_unix = now_unix();
  return locked.store->save(locked.state, locked.read_serial);
}

int with_allocation(const AllocOptions& options, Context& context,
                    const std::function<int(FleetAccess&, const FoundAllocation&)>& act, const UserAction& action = {}) {
  std::optional<Workspace> workspace = load_workspace(options.inventory, context);
  if (!workspace) return kExitError;
  // Taken before anything changes on the host, so that no apply runs
  // between the change and its record.
  std::optional<LockedState> locked;
  if (action.kind != UserAction::Kind::kRead) {
    Result<LockedState> taken = lock_state(*workspace, action.operation, std::chrono::milliseconds(0));
    if (!taken.ok()) {
      context.err << "skiff: " << taken.error().message << "\n";
      return kExitError;
    }
    locked = std::move(*taken);
  }
  Result<FleetAccess> access = open_fleet(*workspace, 0, FleetUse::kRead, context);
  if (!access.ok()) {
    context.err << "skiff: " << access.error().message << "\n";
    return kExitError;
  }
  Result<FoundAllocation> found = find_allocation(*access, *workspace, options.id);
  if (!found.ok()) {
    context.err << "skiff: " << found.error().message << "\n";
    return kExitError;
  }
  if (locked) found->kill_timeouts = recorded_kill_timeouts(locked->state, found->observed.allocation);
  const int code = act(*access, *found);
  if (!locked || code != kExitOk) return code;
  if (Status saved = record_user_action(*locked, found->observed.allocation.id, action, options.signal); !saved.ok()) {
    context.err << "skiff: the allocation changed, but the state could not record it: " << saved.error().message << "\n";
    return kExitError;
  }
  return code;
}

int status(const AllocOptions& options, Context& context) {
  return with_allocation(options, context, [&](FleetAccess&, const FoundAllocation& found) -> int {
    if (options.json) context.out << pretty_json(observed_json(found)) << "\n";
    else context.out << render_status(found);
    return kExitOk;
  });
}

int logs(const AllocOptions& options, Context& context) {
  return with_allocation(options, context, [&](FleetAccess& access, const FoundAllocation& found) -> int {
    auto tasks = chosen_tasks(found, options.task, true);
    if (!tasks.ok()) {
      context.err << "skiff: " << tasks.error().message << "\n";
      return kExitError;
    }
    const std::string stream = options.stderr_stream ? "stderr" : "stdout";
    const drivers::Allocation& a = found.observed.allocation;
    const drivers::ObservedTask& observed = found.observed.tasks.at(tasks->front());
    const drivers::TaskDriver& driver = drivers::driver_of(observed);
    auto first = run_there(access, found, driver.logs(a, tasks->front(), observed, stream, options.lines), context);
    if (!first) return kExitError;
    if (!first->success()) {
      context.err << "skiff: " << first->stderr_data;
      return kExitError;
    }
    context.out << first->stdout_data << std::flush;
    std::string cursor = base::without_trailing_space(first->stderr_data);
    // -f: what is new every half second, through the same open connection.
    while (options.follow) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      auto more = run_there(access, found, driver.logs_since(a, tasks->front(), observed, stream, cursor), context);
      if (!more || !more->success()) return kExitError;
      context.out << more->stdout_data << std::flush;
      cursor = base::without_trailing_space(more->stderr_data);
    }
    return kExitOk;
  });
}

// stop / restart / signal: one remote command per chosen task, from the
// driver observation says it runs under. Each task's line ends with the
// state the command printed, else `done_text`.
using TaskCommand = std::function<drivers::Command(const drivers::TaskDriver&, const drivers::Allocation&, const std::string&,
                                                   const drivers::ObservedTask&)>;

int act_on_tasks(const AllocOptions& options, Context& context, bool need_one, const std::string& done_text,
                 const TaskCommand& command_for, const UserAction& action) {
  return with_allocation(
      options, context,
      [&](FleetAccess& access, const FoundAllocation& found) -> int {
        auto tasks = chosen_tasks(found, options.task, need_one);
        if (!tasks.ok()) {
          context.err << "skiff: " << tasks.error().message << "\n";
          return kExitError;
        }
        int code = kExitOk;
        for (const std::string& task : *tasks) {
          const drivers::ObservedTask& observed = found.observed.tasks.at(task);
          drivers::Command command = command_for(drivers::driver_of(observed), found.observed.allocation, task, observed);
          // A stop waits as long as the task's own kill_timeout asks.
          auto kill_timeout = found.kill_timeouts.find(task);
          if (action.kind == UserAction::Kind::kStop && kill_timeout != found.kill_timeouts.end())
            command.timeout = drivers::stop_timeout(kill_timeout->second, found.observed.allocation.task_hooks, task);
          auto r = run_there(access, found, command, context);
          if (!r) return kExitError;
          if (!r->success()) {
            context.err << "skiff: task \"" << task << "\": " << base::terminal_safe(base::without_trailing_space(r->stderr_data))
                        << "\n";
            code = kExitError;
            continue;
          }
          std::string state;
          for (size_t pos = 0; pos < r->stdout_data.size();) {
            size_t end = r->stdout_data.find('\n', pos);
            std::string line = r->stdout_data.substr(pos, end - pos);
            if (line.rfind("state=", 0) == 0) state = line.substr(6);
            pos = end == std::string::npos ? r->stdout_data.size() : end + 1;
          }
          context.out << "Task \"" << task << "\": " << (state.empty() ? done_text : state) << "\n";
        }
        return code;
      },
      action);
}

int purge(const AllocOptions& options, Context& context) {
  return with_allocation(options, context, [&](FleetAccess& access, const FoundAllocation& found) -> int {
    auto r = run_there(access, found, drivers::purge_command(found.host.data_dir, found.observed), context);
    if (!r) return kExitError;
    if (!r->success()) {
      // E.g. the folder is a symbolic link a task put in its place.
      context.err << "skiff: purge " << found.observed.allocation.id << " on " << found.host.name << ": "
                  << base::terminal_safe(base::without_trailing_space(r->stderr_data)) << "\n";
      return kExitError;
    }
    context.out << "Purged " << found.observed.allocation.id << " from " << found.host.name << "\n";
    return kExitOk;
  });
}

CLI::App* alloc_command(CLI::App& alloc, const char* name, const char* what, const std::shared_ptr<AllocOptions>& options) {
  CLI::App* command = alloc.add_subcommand(name, what);
  command->add_option("id", options->id, "Allocation id, or a unique prefix of one")->required();
  add_inventory_flag(*command, options->inventory);
  return command;
}

}  // namespace

void register_alloc(CLI::App& app, Context& context) {
  CLI::App* alloc = app.add_subcommand("alloc", "One allocation: status, logs, stop, restart, signal");
  alloc->require_subcommand(1);
  alloc->footer(
      "ID is an allocation id or a unique prefix of one (skiff status, skiff job status JOB).\n"
      "Examples:\n"
      "  skiff alloc status 0186\n"
      "  skiff alloc logs -f -task web 0186\n"
      "  skiff alloc restart 0186");

  auto status_options = std::make_shared<AllocOptions>();
  CLI::App* status_command = alloc_command(*alloc, "status", "Where it runs and the state of each task", status_options);
  status_command->add_flag("--json", status_options->json, "Print JSON");
  status_command->footer(
      "Examples:\n"
      "  skiff alloc status 0186\n"
      "  skiff alloc status -json 0186a4c2 | jq '.tasks'");
  status_command->callback([status_options, &context] { context.exit_code = status(*status_options, context); });

  auto logs_options = std::make_shared<AllocOptions>();
  CLI::App* logs_command = alloc_command(*alloc, "logs", "A task's stdout (or -stderr)", logs_options);
  logs_command->add_option("--task", logs_options->task, "The task (needed when the group has several)");
  logs_command->add_flag("--stderr", logs_options->stderr_stream, "stderr instead of stdout");
  logs_command->add_option("-n", logs_options->lines, "Lines from the end (default 10)")->check(CLI::Range(0, 100000000));
  logs_command->add_flag("--tail", logs_options->tail, "Show the end of the log (the default; nomad's spelling)");
  logs_command->add_flag("-f,--follow", logs_options->follow, "Keep printing new output");
  logs_command->footer(
      "Examples:\n"
      "  skiff alloc logs 0186\n"
      "  skiff alloc logs -task web -stderr -n 50 0186\n"
      "  skiff alloc logs -f 0186");
  logs_command->callback([logs_options, &context] { context.exit_code = logs(*logs_options, context); });

  auto stop_options = std::make_shared<AllocOptions>();
  CLI::App* stop_command =
      alloc_command(*alloc, "stop", "Stop its tasks (kill_signal, then SIGKILL after kill_timeout)", stop_options);
  stop_command->add_flag("--purge", stop_options->purge, "Then remove the allocation's folder (its logs too) from the host");
  stop_command->footer(
      "Examples:\n"
      "  skiff alloc stop 0186\n"
      "  skiff alloc stop -purge 0186");
  stop_command->callback([stop_options, &context] {
    context.exit_code = act_on_tasks(*stop_options, context, false, "stopped", &drivers::TaskDriver::stop,
                                     {UserAction::Kind::kStop, "alloc stop"});
    if (context.exit_code == kExitOk && stop_options->purge) context.exit_code = purge(*stop_options, context);
  });

  auto restart_options = std::make_shared<AllocOptions>();
  CLI::App* restart_command = alloc_command(*alloc, "restart", "Restart its tasks in place", restart_options);
  restart_command->add_option("--task", restart_options->task, "Only this task");
  restart_command->footer(
      "A restart in place does not count against the restart policy.\n"
      "Examples:\n"
      "  skiff alloc restart 0186\n"
      "  skiff alloc restart -task web 0186");
  restart_command->callback([restart_options, &context] {
    context.exit_code = act_on_tasks(*restart_options, context, false, "restarted", &drivers::TaskDriver::restart,
                                     {UserAction::Kind::kRestart, "alloc restart"});
  });

  auto signal_options = std::make_shared<AllocOptions>();
  CLI::App* signal_command = alloc_command(*alloc, "signal", "Send a signal to a task's processes", signal_options);
  signal_command->add_option("signal", signal_options->signal, "SIGHUP, HUP, USR1, ...")->required();
  signal_command->add_option("--task", signal_options->task, "The task (needed when the group has several)");
  signal_command->footer(
      "Examples:\n"
      "  skiff alloc signal 0186 HUP\n"
      "  skiff alloc signal -task web 0186 SIGUSR1");
  signal_command->callback([signal_options, &context] {
    std::optional<std::string> name = drivers::signal_name(signal_options->signal);
    if (!name) {
      context.err << "skiff: \"" << signal_options->signal << "\" is not a signal name\n";
      context.exit_code = kExitError;
      return;
    }
    signal_options->signal = *name;
    context.exit_code =
        act_on_tasks(*signal_options, context, true, "sent SIG" + *name,
                     [&](const drivers::TaskDriver& driver, const drivers::Allocation& a, const std::string& task,
                         const drivers::ObservedTask& found_task) { return driver.signal(a, task, found_task, *name); },
                     {UserAction::Kind::kSignal, "alloc signal"});
  });
}

}  // namespace skiff::cli
