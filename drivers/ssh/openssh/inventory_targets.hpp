// From the inventory to SSH targets: where each setting of an inventory host
// comes from, in the order a Kamal or Ansible user expects.
#pragma once

#include "base/result.hpp"
#include "drivers/ssh/openssh/ssh_config.hpp"
#include "drivers/ssh/ssh_target.hpp"
#include "parser/spec/inventory.hpp"
#include "parser/spec/project.hpp"

namespace skiff::drivers {

// The target for one SSH host of the inventory. Each setting comes from the
// host's entry (or the inventory's defaults {}), else skiff.hcl's ssh {},
// else ~/.ssh/config looked up by the host's address (as `ssh ADDRESS`
// would, so a Host block for it supplies HostName, User, Port, IdentityFile,
// ProxyJump), else OpenSSH's defaults. Identity files named by the
// inventory or skiff.hcl are tried before the config's; the agent comes
// first anyway. Host-key checking, known_hosts (when set), the connect
// timeout come from skiff.hcl (whose defaults are strict), for a ProxyJump
// bastion too.
// The target's name is the inventory name. `~` expands to env.home.
// REQUIRES: host.transport == kSsh.
Result<SshTarget> ssh_target_for_host(const spec::Host& host, const spec::SshSettings& ssh, const SshConfig& config,
                                      const SshConfigEnv& env);

// "~/x" -> home + "/x"; anything else as given.
std::string expand_home(const std::string& path, const SshConfigEnv& env);

}  // namespace skiff::drivers
