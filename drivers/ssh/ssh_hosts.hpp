// SshHosts: a Fleet of hosts reached over SSH, added by target. Two kinds:
// SshPool (connections of this process) and KeptSshFleet (connections an
// SSH keeper process keeps between skiff runs, ssh_keeper.hpp).
#pragma once

#include "drivers/ssh/ssh_target.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

class SshHosts : public Fleet {
 public:
  // Registers a host under target.name, replacing an earlier one of that name.
  virtual void add_host(SshTarget target) = 0;
};

}  // namespace skiff::drivers
