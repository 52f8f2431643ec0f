// HostFleet: the Fleet for a whole inventory, whose hosts are reached over
// SSH (one SshPool) or, for `transport = "local"` hosts, through /bin/sh on
// this machine. One run_all drives both at once: the local items run on a
// thread of their own while the pool's poll loop serves the SSH ones.
#pragma once

#include <set>
#include <string>

#include "drivers/local_transport.hpp"
#include "drivers/ssh_pool.hpp"

namespace skiff::drivers {

class HostFleet : public Fleet {
 public:
  explicit HostFleet(SshPoolOptions options = {}) : pool_(options) {}

  void add_ssh_host(SshTarget target) { pool_.add_host(std::move(target)); }
  void add_local_host(const std::string& name) { local_hosts_.insert(name); }

  // Results in batch order; an unknown host gives kNotFound in its slot.
  std::vector<Result<CommandResult>> run_all(const std::vector<HostCommand>& batch) override;

  SshPool& ssh_pool() { return pool_; }

 private:
  SshPool pool_;
  LocalTransport local_;
  std::set<std::string> local_hosts_;
};

}  // namespace skiff::drivers
