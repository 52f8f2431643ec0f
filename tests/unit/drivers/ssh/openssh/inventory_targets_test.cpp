#include "drivers/ssh/openssh/inventory_targets.hpp"

#include <catch2/catch.hpp>

using namespace skiff::drivers;
using skiff::spec::Host;
using skiff::spec::HostKeyChecking;
using skiff::spec::SshSettings;

namespace {

const SshConfigEnv kEnv{"/home/me", "me"};

SshConfig config(const std::string& text) {
  auto parsed = SshConfig::parse(text, "ssh_config", kEnv);
  REQUIRE(parsed.ok());
  return *parsed;
}

Host host(const std::string& name, const std::string& address) {
  Host h;
  h.name = name;
  h.address = address;
  return h;
}

}  // namespace

TEST_CASE("with nothing set, an inventory host is reached as `ssh ADDRESS` would, strictly", "[drivers]") {
  auto t = ssh_target_for_host(host("web-1", "10.0.0.5"), SshSettings{}, config(""), kEnv);
  REQUIRE(t.ok());
  CHECK(t->name == "web-1");
  CHECK(t->address == "10.0.0.5");
  CHECK(t->port == 22);
  CHECK(t->user == "me");
  CHECK(t->identity_files ==
        std::vector<std::string>{"/home/me/.ssh/id_rsa", "/home/me/.ssh/id_ecdsa", "/home/me/.ssh/id_ed25519"});
  CHECK(t->known_hosts_files.front() == "/home/me/.ssh/known_hosts");
  CHECK(t->strict == StrictHostKeys::kYes);
  CHECK(t->connect_timeout == std::chrono::seconds(10));
}

TEST_CASE("~/.ssh/config fills what the inventory and skiff.hcl leave unset, looked up by address", "[drivers]") {
  SshConfig c = config(
      "Host db.internal\n  HostName 10.0.0.9\n  User ops\n  Port 2200\n  IdentityFile ~/.ssh/db\n  ProxyJump bastion\n"
      "Host bastion\n  HostName 203.0.113.1\n  User jump\n");
  auto t = ssh_target_for_host(host("db", "db.internal"), SshSettings{}, c, kEnv);
  REQUIRE(t.ok());
  CHECK(t->name == "db");
  CHECK(t->address == "10.0.0.9");
  CHECK(t->user == "ops");
  CHECK(t->port == 2200);
  CHECK(t->identity_files == std::vector<std::string>{"/home/me/.ssh/db"});
  REQUIRE(t->proxy_jump);
  CHECK(t->proxy_jump->address == "203.0.113.1");
  CHECK(t->proxy_jump->user == "jump");
}

TEST_CASE("the inventory beats skiff.hcl, which beats ~/.ssh/config", "[drivers]") {
  SshConfig c = config("Host *\n  User cfg-user\n  Port 2200\n  StrictHostKeyChecking no\n");
  SshSettings ssh;
  ssh.user = "project-user";
  ssh.port = 2300;
  ssh.identity_file = "~/.ssh/project";
  ssh.known_hosts = "~/fleet/known_hosts";
  ssh.strict_host_key_checking = HostKeyChecking::kAcceptNew;
  ssh.connect_timeout = skiff::spec::Duration::seconds(3);

  auto from_project = ssh_target_for_host(host("a", "a.example"), ssh, c, kEnv);
  REQUIRE(from_project.ok());
  CHECK(from_project->user == "project-user");
  CHECK(from_project->port == 2300);
  CHECK(from_project->identity_files.front() == "/home/me/.ssh/project");
  CHECK(from_project->known_hosts_files == std::vector<std::string>{"/home/me/fleet/known_hosts"});
  CHECK(from_project->strict == StrictHostKeys::kAcceptNew);
  CHECK(from_project->connect_timeout == std::chrono::seconds(3));

  Host own = host("b", "b.example");
  own.user = "deploy";
  own.port = 2400;
  own.identity_file = "/keys/b";
  auto from_inventory = ssh_target_for_host(own, ssh, c, kEnv);
  REQUIRE(from_inventory.ok());
  CHECK(from_inventory->user == "deploy");
  CHECK(from_inventory->port == 2400);
  CHECK(from_inventory->identity_files.at(0) == "/keys/b");
  CHECK(from_inventory->identity_files.at(1) == "/home/me/.ssh/project");
}

TEST_CASE("a ProxyJump bastion is checked with skiff.hcl's known_hosts and strictness", "[drivers]") {
  SshConfig c = config("Host 10.*\n  ProxyJump jump@bastion:2222\n");
  SshSettings ssh;
  ssh.known_hosts = "/etc/skiff/known_hosts";
  auto t = ssh_target_for_host(host("app", "10.1.2.3"), ssh, c, kEnv);
  REQUIRE(t.ok());
  REQUIRE(t->proxy_jump);
  CHECK(t->proxy_jump->port == 2222);
  CHECK(t->proxy_jump->user == "jump");
  CHECK(t->proxy_jump->known_hosts_files == std::vector<std::string>{"/etc/skiff/known_hosts"});
  CHECK(t->proxy_jump->strict == StrictHostKeys::kYes);
}

TEST_CASE("a malformed ~/.ssh/config value names the inventory host", "[drivers]") {
  SshConfig c = config("Host x\n  StrictHostKeyChecking maybe\n");
  auto t = ssh_target_for_host(host("x-host", "x"), SshSettings{}, c, kEnv);
  REQUIRE_FALSE(t.ok());
  CHECK_THAT(t.error().message, Catch::StartsWith("host \"x-host\" (~/.ssh/config): "));
}
