// Which SSH target the ssh state backend reaches: an inventory host as
// every command reaches it, or any "[user@]host[:port]" resolved through
// ~/.ssh/config and skiff.hcl's ssh {} like an inventory host would be.
#include <catch2/catch.hpp>

#include "cli/state_access.hpp"

namespace skiff::cli {
namespace {

const drivers::SshConfigEnv kEnv{"/home/me", "me"};

drivers::SshConfig config(const std::string& text) {
  Result<drivers::SshConfig> parsed = drivers::SshConfig::parse(text, "ssh_config", kEnv);
  REQUIRE(parsed.ok());
  return *parsed;
}

Workspace ssh_state_on(const std::string& host) {
  Workspace workspace;
  workspace.project.state.backend = spec::StateBackend::kSsh;
  workspace.project.state.host = host;
  workspace.project.state.path = spec::kDefaultRemoteStatePath;
  workspace.project.ssh.strict_host_key_checking = spec::HostKeyChecking::kAcceptNew;
  spec::Host web;
  web.name = "web-1";
  web.address = "10.0.0.5";
  web.user = "deploy";
  web.port = 2200;
  workspace.inventory.hosts.push_back(web);
  spec::Host here;
  here.name = "here";
  here.transport = spec::Transport::kLocal;
  workspace.inventory.hosts.push_back(here);
  return workspace;
}

TEST_CASE("state host: an inventory host is reached with its own settings", "[cli][state]") {
  Result<drivers::SshTarget> target = state_host_target(ssh_state_on("web-1"), config(""), kEnv);
  REQUIRE(target.ok());
  CHECK(target->name == "web-1");
  CHECK(target->address == "10.0.0.5");
  CHECK(target->port == 2200);
  CHECK(target->user == "deploy");
  CHECK(target->strict == drivers::StrictHostKeys::kAcceptNew);
}

TEST_CASE("state host: any other target goes through ~/.ssh/config and skiff.hcl's ssh {}", "[cli][state]") {
  drivers::SshConfig ssh_config =
      config("Host bastion\n  HostName 192.0.2.7\n  User ops\n  Port 2022\n  IdentityFile ~/.ssh/ops\n");
  Result<drivers::SshTarget> alias = state_host_target(ssh_state_on("bastion"), ssh_config, kEnv);
  REQUIRE(alias.ok());
  CHECK(alias->name == "bastion");
  CHECK(alias->address == "192.0.2.7");
  CHECK(alias->user == "ops");
  CHECK(alias->port == 2022);
  CHECK(alias->identity_files.front() == "/home/me/.ssh/ops");
  CHECK(alias->strict == drivers::StrictHostKeys::kAcceptNew);

  // What the target says wins over the config.
  Result<drivers::SshTarget> explicit_parts = state_host_target(ssh_state_on("root@bastion:22"), ssh_config, kEnv);
  REQUIRE(explicit_parts.ok());
  CHECK(explicit_parts->name == "bastion:22");
  CHECK(explicit_parts->address == "192.0.2.7");
  CHECK(explicit_parts->user == "root");
  CHECK(explicit_parts->port == 22);
}

TEST_CASE("state host: a host reached without SSH, or none, is refused", "[cli][state]") {
  Result<drivers::SshTarget> local = state_host_target(ssh_state_on("here"), config(""), kEnv);
  REQUIRE_FALSE(local.ok());
  CHECK(
      local.error().message ==
      "state host \"here\" is reached without SSH (transport = \"local\"); for a state on this machine use backend = \"local\"");
  REQUIRE_FALSE(state_host_target(ssh_state_on(""), config(""), kEnv).ok());
}

}  // namespace
}  // namespace skiff::cli
