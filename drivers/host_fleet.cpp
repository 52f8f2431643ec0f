#include "drivers/host_fleet.hpp"

#include <future>

namespace skiff::drivers {

std::vector<Result<CommandResult>> HostFleet::run_all(const std::vector<HostCommand>& batch) {
  std::vector<size_t> local_items;
  std::vector<size_t> ssh_items;
  std::vector<HostCommand> ssh_batch;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (local_hosts_.count(batch[i].host)) {
      local_items.push_back(i);
    } else {
      ssh_items.push_back(i);
      ssh_batch.push_back(batch[i]);
    }
  }
  // Local commands for one host run in batch order, like the pool's.
  auto local_results = std::async(std::launch::async, [&] {
    std::vector<Result<CommandResult>> out;
    for (size_t i : local_items) out.push_back(local_hosts_.at(batch[i].host).run(batch[i].command));
    return out;
  });
  std::vector<Result<CommandResult>> ssh_results =
      ssh_batch.empty() ? std::vector<Result<CommandResult>>{} : ssh_->run_all(ssh_batch);

  std::vector<Result<CommandResult>> results(batch.size(), make_error(ErrorCode::kInternal, "not run"));
  for (size_t k = 0; k < ssh_items.size(); ++k) results[ssh_items[k]] = std::move(ssh_results[k]);
  std::vector<Result<CommandResult>> locals = local_results.get();
  for (size_t k = 0; k < local_items.size(); ++k) results[local_items[k]] = std::move(locals[k]);
  return results;
}

}  // namespace skiff::drivers
