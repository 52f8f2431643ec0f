#include "drivers/task/exec_limits.hpp"

#include "drivers/scripts/scripts.hpp"
#include "drivers/shell_quote.hpp"

namespace skiff::drivers {

std::string exec_limits_prologue(const TaskContext& c) {
  const spec::Resources& r = c.task.resources;
  const int64_t memory_mb = r.memory_max_mb > 0 ? r.memory_max_mb : r.memory_mb;
  const std::string name = c.allocation.id + "-" + clean_env_name(c.task.name);
  // The variables drivers/scripts/exec_limits.sh reads, then the functions
  // it writes its files with, then the script.
  return "name=" + shell_quote(name) + " mem=" + std::to_string(memory_mb * 1048576) +
      " shares=" + std::to_string(std::max(2, r.cpu)) + " c=" + shell_quote(c.allocation.control_dir(c.task.name)) + "\n" +
      scripts::join({scripts::kSymlinkGuardSh, scripts::kExecLimitsSh});
}

std::string drop_privileges_prefix(const std::string& user) {
  if (user.empty()) return "";
  const std::string quoted = shell_quote(user);
  return "setpriv --reuid=" + quoted + " --regid=\"$(id -g " + quoted + ")\" --init-groups -- ";
}

}  // namespace skiff::drivers
