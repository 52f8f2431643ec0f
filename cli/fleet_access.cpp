#include "cli/fleet_access.hpp"

#include "drivers/inventory_targets.hpp"

namespace skiff::cli {

Result<FleetAccess> open_fleet(const Workspace& workspace, int parallelism) {
  const spec::SshSettings& ssh = workspace.project.ssh;
  drivers::SshConfigEnv ssh_env = drivers::current_ssh_config_env();
  Result<drivers::SshConfig> ssh_config = drivers::SshConfig::load(ssh_env.home + "/.ssh/config", ssh_env);
  if (!ssh_config.ok()) return ssh_config.error();
  const size_t bound = static_cast<size_t>(parallelism > 0 ? parallelism : ssh.parallelism);
  FleetAccess access;
  access.fleet = std::make_unique<drivers::HostFleet>(drivers::SshPoolOptions{bound});
  for (const spec::Host& host : workspace.inventory.hosts) {
    if (host.transport == spec::Transport::kLocal) {
      access.fleet->add_local_host(host.name);
      continue;
    }
    Result<drivers::SshTarget> target = drivers::ssh_target_for_host(host, ssh, *ssh_config, ssh_env);
    if (target.ok()) access.fleet->add_ssh_host(std::move(*target));
    else access.unusable.emplace(host.name, target.error());
  }
  return access;
}

}  // namespace skiff::cli
