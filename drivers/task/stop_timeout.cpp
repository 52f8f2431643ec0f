#include "drivers/task/stop_timeout.hpp"

namespace skiff::drivers {

std::chrono::milliseconds stop_timeout(std::chrono::milliseconds kill_timeout, const std::map<std::string, TaskHook>& hooks,
                                       const std::string& task) {
  using namespace std::chrono_literals;
  // drivers/scripts/supervisor_stop.sh waits kill_timeout + 5 s, and for a
  // poststop task kill_timeout + 305 s before that (its run, then a second
  // stop); `docker stop` waits the container's stop timeout, kill_timeout.
  constexpr std::chrono::milliseconds kMargin = 30s;
  auto hook = hooks.find(task);
  const bool poststop = hook != hooks.end() && hook->second.hook == "poststop";
  return kill_timeout + 5s + kMargin + (poststop ? kill_timeout + 305s : 0s);
}

}  // namespace skiff::drivers
