#include "cli/state_access.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "cli/clock.hpp"
#include "drivers/ssh/openssh/inventory_targets.hpp"
#include "drivers/ssh/ssh_command_hold.hpp"
#include "drivers/ssh/ssh_host_transport.hpp"
#include "state/local_store.hpp"
#include "state/ssh_store.hpp"
#include "state/uuid.hpp"

namespace skiff::cli {

namespace {

Result<std::unique_ptr<state::StateStore>> open_ssh_state_store(const Workspace& workspace) {
  drivers::SshConfigEnv env = drivers::current_ssh_config_env();
  Result<drivers::SshConfig> config = drivers::SshConfig::load(env.home + "/.ssh/config", env);
  if (!config.ok()) return config.error();
  Result<drivers::SshTarget> target = state_host_target(workspace, *config, env);
  if (!target.ok()) return target.error();
  target->max_output = workspace.project.fleet.max_output;
  state::SshStateLocation location{target->name, target->user, workspace.project.state.path};
  auto holder = std::make_unique<drivers::SshCommandHolder>(*target);
  auto transport = std::make_unique<drivers::SshHostTransport>(std::move(*target));
  return std::unique_ptr<state::StateStore>(
      new state::SshStateStore(std::move(location), std::move(transport), std::move(holder)));
}

}  // namespace

Result<drivers::SshTarget> state_host_target(const Workspace& workspace, const drivers::SshConfig& config,
                                             const drivers::SshConfigEnv& env) {
  const std::string& name = workspace.project.state.host;
  if (name.empty()) return make_error(ErrorCode::kInvalidArgument, "the ssh state backend needs a host");
  std::string context = "state host \"" + name + "\"";
  if (const spec::Host* host = workspace.inventory.find(name)) {
    if (host->transport != spec::Transport::kSsh)
      return make_error(ErrorCode::kInvalidArgument,
                        context +
                            " is reached without SSH (transport = \"local\"); "
                            "for a state on this machine use backend = \"local\"");
    return drivers::ssh_target_for_host(*host, workspace.project.ssh, config, env);
  }
  Result<drivers::JumpSpec> parts = drivers::parse_jump_spec(name);
  if (!parts.ok()) return parts.error().wrap(context + " (neither an inventory host nor [user@]host[:port])");
  spec::Host host;
  // Named without the user, which describe() shows on its own.
  host.name = parts->host + (parts->port ? ":" + std::to_string(*parts->port) : "");
  host.address = parts->host;
  host.user = parts->user;
  host.port = parts->port;
  Result<drivers::SshTarget> target = drivers::ssh_target_for_host(host, workspace.project.ssh, config, env);
  if (!target.ok()) return target.error().wrap(context);
  return target;
}

Result<std::unique_ptr<state::StateStore>> open_state_store(const Workspace& workspace) {
  const spec::StateSettings& settings = workspace.project.state;
  if (settings.backend == spec::StateBackend::kSsh) return open_ssh_state_store(workspace);
  // A default Project (no skiff.hcl) carries no path; the default then sits
  // in the current directory, where skiff.hcl would be.
  std::string path = settings.path.empty() ? std::string(spec::kDefaultLocalStatePath) : settings.path;
  return std::unique_ptr<state::StateStore>(new state::LocalStateStore(path));
}

namespace {

std::string user_name() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_name) return entry->pw_name;
  return "uid" + std::to_string(::getuid());
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

}  // namespace

state::LockInfo make_lock_info(const std::string& operation) {
  state::LockInfo info;
  int64_t now = now_unix();
  Result<std::string> id = state::new_uuid();
  // Without /dev/urandom the id only has to tell this holder from the next.
  info.id = id.ok() ? *id : "pid-" + std::to_string(::getpid()) + "-" + std::to_string(now);
  info.who = user_name() + "@" + host_name();
  info.operation = operation;
  info.pid = ::getpid();
  info.created_unix = now;
  std::string version = version_text();  // "skiff 0.1.0"
  info.version = version.rfind("skiff ", 0) == 0 ? version.substr(6) : version;
  return info;
}

}  // namespace skiff::cli
