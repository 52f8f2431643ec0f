#include "cli/fleet_access.hpp"

#include <unistd.h>

#include <climits>

#include "cli/commands.hpp"
#include "drivers/ssh/keeper/ssh_keeper.hpp"
#include "drivers/ssh/openssh/inventory_targets.hpp"
#include "drivers/ssh/ssh_pool.hpp"

namespace skiff::cli {
namespace {

// The SSH side: this process's own connections, or with
// ssh { control_persist } the keeper's.
std::unique_ptr<drivers::SshHosts> ssh_hosts(const spec::SshSettings& ssh, size_t bound, FleetUse use, Context& context) {
  drivers::SshPoolOptions pool{bound};
  if (ssh.control_persist.nanoseconds <= 0) return std::make_unique<drivers::SshPool>(pool);
  drivers::KeeperOptions keeper;
  keeper.persist = std::chrono::milliseconds(ssh.control_persist.nanoseconds / 1000000);
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  keeper.executable = n > 0 ? std::string(exe, static_cast<size_t>(n)) : "skiff";
  keeper.version = version_text();
  keeper.agent_socket = context.env.getenv("SSH_AUTH_SOCK").value_or("");
  keeper.runtime_dir = context.env.getenv("XDG_RUNTIME_DIR").value_or("");
  keeper.wait_when_busy = use == FleetUse::kChange;
  keeper.warn = [&context](const std::string& message) { context.err << "skiff: warning: " << message << "\n"; };
  return std::make_unique<drivers::KeptSshFleet>(pool, std::move(keeper));
}

static_assert(spec::FleetSettings{}.max_output == drivers::kDefaultMaxOutput, "one default for skiff.hcl and the transports");

}  // namespace

Result<FleetAccess> open_fleet(const Workspace& workspace, int parallelism, FleetUse use, Context& context) {
  const spec::SshSettings& ssh = workspace.project.ssh;
  drivers::SshConfigEnv ssh_env = drivers::current_ssh_config_env();
  Result<drivers::SshConfig> ssh_config = drivers::SshConfig::load(ssh_env.home + "/.ssh/config", ssh_env);
  if (!ssh_config.ok()) return ssh_config.error();
  const size_t bound = static_cast<size_t>(parallelism > 0 ? parallelism : ssh.parallelism);
  FleetAccess access;
  access.fleet = std::make_unique<drivers::HostFleet>(ssh_hosts(ssh, bound, use, context));
  for (const spec::Host& host : workspace.inventory.hosts) {
    if (host.transport == spec::Transport::kLocal) {
      access.fleet->add_local_host(host.name, workspace.project.fleet.max_output);
      continue;
    }
    Result<drivers::SshTarget> target = drivers::ssh_target_for_host(host, ssh, *ssh_config, ssh_env);
    if (!target.ok()) {
      access.unusable.emplace(host.name, target.error());
      continue;
    }
    target->max_output = workspace.project.fleet.max_output;
    access.fleet->add_ssh_host(std::move(*target));
  }
  return access;
}

}  // namespace skiff::cli
