#include "drivers/ssh/openssh/ssh_config.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "drivers/ssh/openssh/host_pattern.hpp"

using namespace skiff::drivers;
using namespace std::chrono_literals;

namespace {

const SshConfigEnv kEnv{"/home/me", "me"};

SshConfig parse(const std::string& text) {
  auto config = SshConfig::parse(text, "config", kEnv);
  REQUIRE(config.ok());
  return std::move(*config);
}

}  // namespace

TEST_CASE("host patterns: * ? and negation", "[drivers]") {
  CHECK(match_pattern("web-1.lab", "web-*.lab"));
  CHECK(match_pattern("web-1.lab", "*"));
  CHECK(match_pattern("WEB", "web"));
  CHECK(match_pattern("a", "?"));
  CHECK_FALSE(match_pattern("ab", "?"));
  CHECK(match_pattern("abcabd", "*abd"));
  CHECK_FALSE(match_pattern("web-1.lab", "db-*"));
  CHECK(match_pattern_list("x.lab", {"*.lab", "!bad.lab"}) == PatternMatch::kMatch);
  CHECK(match_pattern_list("bad.lab", {"*.lab", "!bad.lab"}) == PatternMatch::kNegated);
  CHECK(match_pattern_list("bad.lab", {"!bad.lab"}) == PatternMatch::kNegated);
  CHECK(match_pattern_list("good.lab", {"!bad.lab"}) == PatternMatch::kNoMatch);
  CHECK(split_commas("a,,b") == std::vector<std::string_view>{"a", "b"});
}

TEST_CASE("ssh config: first match wins per keyword, IdentityFile accumulates", "[drivers]") {
  auto config = parse(R"(
# global options apply to every host
ConnectTimeout 7
Host web-* !web-bad
  HostName %h.example.com
  User deploy
  Port 2200
  IdentityFile ~/.ssh/web_%r_%h
Host web-1 db
  User ignored-because-later
  IdentityFile=/keys/second
Host *
  User fallback
  Port 22
  IdentityFile ~/.ssh/id_default
  UserKnownHostsFile ~/.ssh/kh1 "/tmp/with space"
  StrictHostKeyChecking accept-new
)");
  auto web = target_from_config(config, "web-1", kEnv);
  REQUIRE(web.ok());
  CHECK(web->name == "web-1");
  CHECK(web->address == "web-1.example.com");
  CHECK(web->user == "deploy");
  CHECK(web->port == 2200);
  CHECK(web->identity_files ==
        std::vector<std::string>{"/home/me/.ssh/web_deploy_web-1.example.com", "/keys/second", "/home/me/.ssh/id_default"});
  CHECK(web->known_hosts_files == std::vector<std::string>{"/home/me/.ssh/kh1", "/tmp/with space"});
  CHECK(web->strict == StrictHostKeys::kAcceptNew);
  CHECK(web->connect_timeout == 7000ms);

  auto bad = target_from_config(config, "web-bad", kEnv);
  REQUIRE(bad.ok());
  CHECK(bad->address == "web-bad");
  CHECK(bad->user == "fallback");
  CHECK(bad->port == 22);
}

TEST_CASE("ssh config: defaults when nothing matches", "[drivers]") {
  auto t = target_from_config(parse("Host other\n  User x\n"), "10.1.2.3", kEnv);
  REQUIRE(t.ok());
  CHECK(t->address == "10.1.2.3");
  CHECK(t->user == "me");
  CHECK(t->port == 22);
  CHECK(t->strict == StrictHostKeys::kYes);
  CHECK(t->identity_files.size() == 3);
  CHECK(t->known_hosts_files.front() == "/home/me/.ssh/known_hosts");
  CHECK_FALSE(t->proxy_jump);
}

TEST_CASE("ssh config: ProxyJump resolves the bastion through the config", "[drivers]") {
  auto config = parse(R"(
Host bastion
  HostName 192.0.2.1
  User jump
  ProxyJump none
Host inner-*
  ProxyJump admin@bastion:2022
  User app
)");
  auto t = target_from_config(config, "inner-3", kEnv);
  REQUIRE(t.ok());
  REQUIRE(t->proxy_jump);
  CHECK(t->proxy_jump->address == "192.0.2.1");
  CHECK(t->proxy_jump->user == "admin");
  CHECK(t->proxy_jump->port == 2022);
  CHECK(t->user == "app");

  auto two_hops = target_from_config(parse("Host x\n  ProxyJump a,b\n"), "x", kEnv);
  REQUIRE_FALSE(two_hops.ok());
  CHECK(two_hops.error().code == skiff::ErrorCode::kUnsupported);
  auto nested = target_from_config(parse("Host *\n  ProxyJump b\n"), "x", kEnv);
  REQUIRE_FALSE(nested.ok());
  CHECK_THAT(nested.error().message, Catch::Contains("only one hop"));
}

TEST_CASE("ssh config: jump specs", "[drivers]") {
  auto a = parse_jump_spec("u@h:2");
  REQUIRE(a.ok());
  CHECK((a->user == "u" && a->host == "h" && a->port == 2));
  auto b = parse_jump_spec("[::1]:2222");
  REQUIRE(b.ok());
  CHECK((b->host == "::1" && b->port == 2222));
  auto c = parse_jump_spec("h");
  REQUIRE(c.ok());
  CHECK((c->host == "h" && !c->port && c->user.empty()));
  CHECK_FALSE(parse_jump_spec("u@h:notaport").ok());
}

TEST_CASE("ssh config: Match blocks are never taken, bad values are errors", "[drivers]") {
  auto t = target_from_config(parse("Match all\n  User m\nHost *\n  User h\n"), "x", kEnv);
  REQUIRE(t.ok());
  CHECK(t->user == "h");
  auto bad = target_from_config(parse("StrictHostKeyChecking maybe\n"), "x", kEnv);
  REQUIRE_FALSE(bad.ok());
  CHECK_FALSE(SshConfig::parse("Host\n", "cfg", kEnv).ok());
}

TEST_CASE("ssh config: Include reads files relative to ~/.ssh", "[drivers]") {
  auto home = std::filesystem::temp_directory_path() / ("skiff-home-" + std::to_string(::getpid()));
  std::filesystem::create_directories(home / ".ssh" / "conf.d");
  std::ofstream(home / ".ssh" / "conf.d" / "a.conf") << "Host inc\n  User included\n";
  SshConfigEnv env{home.string(), "me"};
  auto config = SshConfig::parse("Include conf.d/*.conf\nHost *\n  User default\n", "cfg", env);
  REQUIRE(config.ok());
  CHECK(target_from_config(*config, "inc", env)->user == "included");
  CHECK(target_from_config(*config, "other", env)->user == "default");
  auto missing = SshConfig::load((home / "nope").string(), env);
  CHECK(missing.ok());
  std::filesystem::remove_all(home);
}
