#include "drivers/task/alloc_json_write.hpp"

#include <chrono>

#include "drivers/scripts/scripts.hpp"

namespace skiff::drivers {

namespace {

std::string write_program() { return scripts::join({scripts::kSymlinkGuardSh, scripts::kAllocJsonWriteSh}); }

}  // namespace

Command write_alloc_json_command(const std::vector<Allocation>& allocations) {
  Command command{{"sh", "-c", write_program(), "skiff-adopt", "skip-gone"}, std::nullopt, std::chrono::seconds(30)};
  for (const Allocation& a : allocations) {
    command.argv.push_back(a.dir());
    command.argv.push_back(allocation_to_json(a).dump());
  }
  return command;
}

Command update_alloc_json_command(const Allocation& allocation) {
  return Command{
      {"sh", "-c", write_program(), "skiff-update", "require", allocation.dir(), allocation_to_json(allocation).dump()},
      std::nullopt,
      std::chrono::seconds(30)};
}

}  // namespace skiff::drivers
