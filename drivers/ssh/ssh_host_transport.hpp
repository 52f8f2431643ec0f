// SshHostTransport: a Transport to one SSH target that owns its connection
// (an SshPool of one host), for a caller that talks to a single host apart
// from the inventory's fleet: the ssh state backend's host.
#pragma once

#include <memory>

#include "drivers/ssh/ssh_pool.hpp"
#include "drivers/ssh/ssh_target.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

class SshHostTransport : public Transport {
 public:
  explicit SshHostTransport(SshTarget target);

  Result<CommandResult> run(const Command& command) override { return transport_->run(command); }
  Status put_file(const FileSpec& file) override { return transport_->put_file(file); }

 private:
  SshPool pool_;
  std::unique_ptr<Transport> transport_;  // runs through pool_, so declared after it
};

}  // namespace skiff::drivers
