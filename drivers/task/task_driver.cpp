#include "drivers/task/task_driver.hpp"

#include "drivers/shell_quote.hpp"
#include "drivers/task/container_task_driver.hpp"
#include "drivers/task/supervised_task_driver.hpp"
#include "drivers/task/supervisor.hpp"

namespace skiff::drivers {

namespace {

// Function-local, so that they exist before any caller, static or not.
const TaskDriver& supervised() {
  static const SupervisedTaskDriver driver;
  return driver;
}

const TaskDriver& container() {
  static const ContainerTaskDriver driver;
  return driver;
}

}  // namespace

const TaskDriver& task_driver(DriverKind kind) {
  switch (kind) {
    case DriverKind::kRawExec:
    case DriverKind::kExec:
    case DriverKind::kJava: return supervised();
    case DriverKind::kDocker:
    case DriverKind::kPodman: return container();
  }
  return supervised();
}

Result<const TaskDriver*> driver_for(const spec::Task& task) {
  std::optional<DriverKind> kind = parse_driver_kind(task.driver);
  if (!kind) {
    return make_error(
        ErrorCode::kUnsupported,
        "task \"" + task.name + "\": driver \"" + task.driver + "\" cannot be run yet (raw_exec, exec, java and docker can)");
  }
  return &task_driver(*kind);
}

const TaskDriver& driver_of(const ObservedTask& observed) { return observed.container.empty() ? supervised() : container(); }

Command purge_command(const std::string& data_dir, const ObservedAllocation& observed) {
  std::string script;
  for (const auto& [task, t] : observed.tasks) script += driver_of(t).purge_script(t);
  script += shell_join(purge_allocation_command(data_dir, observed.allocation.id).argv) + "\n";
  return Command{{"sh", "-c", script, "skiff-purge"}, std::nullopt, std::chrono::seconds(120)};
}

}  // namespace skiff::drivers
