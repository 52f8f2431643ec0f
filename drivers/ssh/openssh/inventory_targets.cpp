#include "drivers/ssh/openssh/inventory_targets.hpp"

#include <algorithm>
#include <memory>

namespace skiff::drivers {

namespace {

StrictHostKeys to_strict(spec::HostKeyChecking checking) {
  switch (checking) {
    case spec::HostKeyChecking::kAcceptNew: return StrictHostKeys::kAcceptNew;
    case spec::HostKeyChecking::kNo: return StrictHostKeys::kNo;
    case spec::HostKeyChecking::kYes: break;
  }
  return StrictHostKeys::kYes;
}

void apply_host_key_settings(SshTarget& target, const spec::SshSettings& ssh, const SshConfigEnv& env) {
  if (!ssh.known_hosts.empty()) target.known_hosts_files = {expand_home(ssh.known_hosts, env)};
  target.strict = to_strict(ssh.strict_host_key_checking);
  target.connect_timeout = std::chrono::milliseconds(ssh.connect_timeout.nanoseconds / 1000000);
}

}  // namespace

std::string expand_home(const std::string& path, const SshConfigEnv& env) {
  if (path == "~") return env.home;
  if (path.rfind("~/", 0) == 0) return env.home + path.substr(1);
  return path;
}

Result<SshTarget> ssh_target_for_host(const spec::Host& host, const spec::SshSettings& ssh, const SshConfig& config,
                                      const SshConfigEnv& env) {
  Result<SshTarget> from_config = target_from_config(config, host.address, env);
  if (!from_config.ok()) return from_config.error().wrap("host \"" + host.name + "\" (~/.ssh/config)");
  SshTarget target = std::move(*from_config);
  target.name = host.name;

  if (host.port) target.port = *host.port;
  else if (ssh.port) target.port = *ssh.port;
  if (!host.user.empty()) target.user = host.user;
  else if (!ssh.user.empty()) target.user = ssh.user;

  std::vector<std::string> identities;
  if (!host.identity_file.empty()) identities.push_back(expand_home(host.identity_file, env));
  if (!ssh.identity_file.empty()) identities.push_back(expand_home(ssh.identity_file, env));
  for (const std::string& file : target.identity_files)
    if (std::find(identities.begin(), identities.end(), file) == identities.end()) identities.push_back(file);
  target.identity_files = std::move(identities);

  apply_host_key_settings(target, ssh, env);
  if (target.proxy_jump) {
    // The bastion's key is checked the same way.
    auto bastion = std::make_shared<SshTarget>(*target.proxy_jump);
    apply_host_key_settings(*bastion, ssh, env);
    target.proxy_jump = std::move(bastion);
  }
  return target;
}

}  // namespace skiff::drivers
