// HostFleet: the Fleet for a whole inventory, whose hosts are reached over
// SSH (one SshPool, or the connections an SSH keeper keeps) or, for
// `transport = "local"` hosts, through /bin/sh on this machine. One run_all
// drives both at once: the local items run on a thread of their own while
// the SSH ones are served.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "drivers/local_transport.hpp"
#include "drivers/ssh/ssh_hosts.hpp"

namespace skiff::drivers {

class HostFleet : public Fleet {
 public:
  // `ssh`: an SshPool, or a KeptSshFleet (ssh_keeper.hpp).
  explicit HostFleet(std::unique_ptr<SshHosts> ssh) : ssh_(std::move(ssh)) {}

  // An SSH host's bounds travel in its target (SshTarget::max_output).
  void add_ssh_host(SshTarget target) { ssh_->add_host(std::move(target)); }
  void add_local_host(const std::string& name, uint64_t max_output = kDefaultMaxOutput) {
    local_hosts_.insert_or_assign(name, LocalTransport(kDefaultCommandTimeout, max_output, name));
  }

  // Results in batch order; an unknown host gives kNotFound in its slot.
  std::vector<Result<CommandResult>> run_all(const std::vector<HostCommand>& batch) override;

 private:
  std::unique_ptr<SshHosts> ssh_;
  std::map<std::string, LocalTransport> local_hosts_;
};

}  // namespace skiff::drivers
