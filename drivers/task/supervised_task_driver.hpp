// The TaskDriver of raw_exec, exec and java tasks: each task a process
// group under skiff's POSIX sh supervisor on the host (supervisor.hpp),
// which applies the restart policy, keeps the logs and the status file.
// Observation's supervisor_alive watches that supervisor.
#pragma once

#include "drivers/task/task_driver.hpp"

namespace skiff::drivers {

class SupervisedTaskDriver final : public TaskDriver {
 public:
  Result<Command> start(const TaskContext& context) const override;
  Command stop(const Allocation& allocation, const std::string& task, const ObservedTask& observed) const override;
  Command restart(const Allocation& allocation, const std::string& task, const ObservedTask& observed) const override;
  Command signal(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                 const std::string& signal) const override;
  Command logs(const Allocation& allocation, const std::string& task, const ObservedTask& observed, const std::string& stream,
               int lines) const override;
  Command logs_since(const Allocation& allocation, const std::string& task, const ObservedTask& observed,
                     const std::string& stream, const std::string& cursor) const override;
  // "": the task's files go with the allocation's folder.
  std::string purge_script(const ObservedTask& observed) const override;
  std::string_view keeper() const override { return "the supervisor"; }
};

}  // namespace skiff::drivers
