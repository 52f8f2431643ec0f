#include "drivers/ssh/ssh_host_transport.hpp"

namespace skiff::drivers {

SshHostTransport::SshHostTransport(SshTarget target) : pool_(SshPoolOptions{1}) {
  std::string name = target.name;
  pool_.add_host(std::move(target));
  transport_ = pool_.transport(name);
}

}  // namespace skiff::drivers
