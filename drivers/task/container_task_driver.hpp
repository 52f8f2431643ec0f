// The TaskDriver of docker and podman tasks: each task a container of the
// host's docker, or podman where that is what the host has (container.hpp).
// Observation's supervisor_alive says whether the container exists; the
// observed task names the container and the CLI that started it, and every
// later command uses that CLI.
#pragma once

#include "drivers/task/task_driver.hpp"

namespace skiff::drivers {

class ContainerTaskDriver final : public TaskDriver {
 public:
  // Fails, naming the task and the host, when the host has neither a
  // working docker nor podman.
  Result<Command> start(const TaskContext& context) const override;
  Command stop(const Allocation& allocation, const std::string& task, const ObservedTask& observed) const override;
  Command restart(const Allocation& allocation, const std::string& task, const ObservedTask& observed) const override;
  Command signal(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                 const std::string& signal) const override;
  Command logs(const Allocation& allocation, const std::string& task, const ObservedTask& observed, const std::string& stream,
               int lines) const override;
  Command logs_since(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                     const std::string& stream, const std::string& cursor) const override;
  // `CLI rm -f CONTAINER`, its output and failure ignored.
  std::string purge_script(const ObservedTask& observed) const override;
  std::string_view keeper() const override { return "the container"; }
};

}  // namespace skiff::drivers
