#include "drivers/task/alloc_json_write.hpp"

#include <chrono>

#include "drivers/scripts/scripts.hpp"

namespace skiff::drivers {

Command write_alloc_json_command(const std::vector<Allocation>& allocations) {
  Command command{{"sh", "-c", std::string(scripts::kAllocJsonWriteSh), "skiff-adopt"}, std::nullopt, std::chrono::seconds(30)};
  for (const Allocation& a : allocations) {
    command.argv.push_back(a.dir());
    command.argv.push_back(allocation_to_json(a).dump());
  }
  return command;
}

}  // namespace skiff::drivers
