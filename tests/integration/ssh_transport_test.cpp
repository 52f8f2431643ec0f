// The SSH transport against real sshd hosts (the test fleet). Host roles,
// so that fault tests never disturb each other: hosts 0-1 stay healthy
// (0 is also the ProxyJump bastion), 2 gets its sshd stopped, 3 is
// partitioned, 4 is rekeyed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "drivers/ssh/openssh/known_hosts.hpp"
#include "drivers/ssh/openssh/ssh_config.hpp"
#include "drivers/ssh/ssh_pool.hpp"
#include "fleet_fixture.hpp"

using namespace skiff::drivers;
using skiff::ErrorCode;
using skiff::testing::command;
using skiff::testing::fleet;
using skiff::testing::run_skiff;
using skiff::testing::TestFleet;
using namespace std::chrono_literals;

namespace {

std::chrono::milliseconds since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
}

// Scratch files live in the fleet's directory, which teardown removes.
std::string temp_path(const std::string& name) { return fleet().dir() + "/scratch-" + name; }

// The fingerprint known_hosts holds for a fleet host: what an unknown-host
// refusal must print.
std::string recorded_fingerprint(const TestFleet& f, size_t i) {
  auto kh = load_known_hosts({f.known_hosts()});
  REQUIRE(kh.ok());
  for (const auto& e : kh->entries()) {
    if (e.key.type == HostKeyType::kEd25519 && entry_matches(e, f.hosts()[i].address, f.hosts()[i].port)) {
      return sha256_fingerprint(e.key.blob);
    }
  }
  return "(none)";
}

skiff::Result<CommandResult> run_one(SshTarget target, Command command) {
  SshPool pool;
  std::string name = target.name;
  pool.add_host(std::move(target));
  return std::move(pool.run_all({HostCommand{name, std::move(command)}}).front());
}

}  // namespace

TEST_CASE("key-file auth: one command fans out to every host, sessions are reused", "[integration]") {
  TestFleet& f = fleet();
  SshPool pool(SshPoolOptions{16});
  std::vector<HostCommand> batch;
  for (size_t i = 0; i < 2; ++i) {
    pool.add_host(f.target(i));
    batch.push_back(HostCommand{f.hosts()[i].name, command({"sh", "-c", "echo \"$1\"", "_", f.hosts()[i].name})});
  }
  auto cold_start = std::chrono::steady_clock::now();
  auto cold = pool.run_all(batch);
  auto cold_ms = since(cold_start);
  for (size_t i = 0; i < batch.size(); ++i) {
    INFO(f.hosts()[i].name);
    REQUIRE(cold[i].ok());
    CHECK(cold[i]->stdout_data == f.hosts()[i].name + "\n");
  }
  CHECK(pool.open_connections() == batch.size());
  auto warm_start = std::chrono::steady_clock::now();
  auto warm = pool.run_all(batch);
  auto warm_ms = since(warm_start);
  for (auto& r : warm) CHECK(r.ok());
  WARN("cold " << cold_ms.count() << " ms, warm " << warm_ms.count() << " ms");
  CHECK(warm_ms < cold_ms);
}

TEST_CASE("agent auth through a private ssh-agent", "[integration]") {
  TestFleet& f = fleet();
  std::string sock = temp_path("agent.sock");
  auto started = skiff::testing::sh("ssh-agent -a " + sock + " | sed -n 's/^SSH_AGENT_PID=\\([0-9]*\\).*/\\1/p'");
  REQUIRE(started.status == 0);
  std::string agent_pid = started.output.substr(0, started.output.find_first_of("\n;"));
  auto kill_agent = [&] { skiff::testing::sh("kill " + agent_pid); };
  auto added = skiff::testing::sh("SSH_AUTH_SOCK=" + sock + " ssh-add " + f.client_key());
  const char* old = std::getenv("SSH_AUTH_SOCK");
  std::string saved = old ? old : "";
  ::setenv("SSH_AUTH_SOCK", sock.c_str(), 1);
  SshTarget t = f.target(1);
  t.identity_files.clear();  // the agent is the only way in
  auto r = run_one(t, command({"echo", "via agent"}));
  if (old) ::setenv("SSH_AUTH_SOCK", saved.c_str(), 1);
  else ::unsetenv("SSH_AUTH_SOCK");
  kill_agent();
  REQUIRE(added.status == 0);
  if (!r.ok()) FAIL(r.error().message);
  CHECK(r->stdout_data == "via agent\n");
}

TEST_CASE("targets read from the fleet's ssh_config reach the hosts", "[integration]") {
  TestFleet& f = fleet();
  auto config = SshConfig::load(f.ssh_config(), current_ssh_config_env());
  REQUIRE(config.ok());
  auto t = target_from_config(*config, f.hosts()[1].name, current_ssh_config_env());
  REQUIRE(t.ok());
  auto r = run_one(*t, command({"true"}));
  if (!r.ok()) FAIL(r.error().message);
  CHECK(r->exit_status == 0);
}

TEST_CASE("strict mode refuses an unknown host with its fingerprint", "[integration]") {
  TestFleet& f = fleet();
  SshTarget t = f.target(1);
  t.known_hosts_files = {temp_path("empty_known_hosts")};
  auto r = run_one(t, command({"true"}));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("host key verification failed"));
  CHECK_THAT(r.error().message, Catch::Contains(recorded_fingerprint(f, 1)));
}

TEST_CASE("accept-new records an unknown host, then strict and accept-new refuse its new key", "[integration][fault]") {
  TestFleet& f = fleet();
  std::string kh = temp_path("accept_new_known_hosts");
  std::filesystem::remove(kh);
  SshTarget t = f.target(4);
  t.known_hosts_files = {kh};
  t.strict = StrictHostKeys::kAcceptNew;
  auto first = run_one(t, command({"true"}));
  if (!first.ok()) FAIL(first.error().message);
  std::ifstream in(kh);
  std::string line;
  REQUIRE(std::getline(in, line));
  CHECK(line.rfind(known_host_name(f.hosts()[4].address, f.hosts()[4].port) + " ssh-ed25519 ", 0) == 0);

  // The fleet's own known_hosts, as it was before the rekey.
  std::string strict_kh = temp_path("strict_known_hosts");
  std::filesystem::copy_file(f.known_hosts(), strict_kh, std::filesystem::copy_options::overwrite_existing);
  REQUIRE(f.fault("rekey", f.hosts()[4].name).ok());

  auto changed = run_one(t, command({"true"}));
  REQUIRE_FALSE(changed.ok());
  CHECK_THAT(changed.error().message, Catch::Contains("REMOTE HOST IDENTIFICATION HAS CHANGED"));
  CHECK_THAT(changed.error().message, Catch::Contains("Offending ED25519 key in " + kh + ":1"));
  CHECK_THAT(changed.error().message, Catch::Contains("SHA256:"));

  SshTarget strict = f.target(4);
  strict.known_hosts_files = {strict_kh};
  auto refused = run_one(strict, command({"true"}));
  // Later tests reach this host through the fleet's own known_hosts.
  REQUIRE(f.fault("trust", f.hosts()[4].name).ok());
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("REMOTE HOST IDENTIFICATION HAS CHANGED"));
  CHECK_THAT(refused.error().message, Catch::Contains("Offending ED25519 key in " + strict_kh + ":"));
}

TEST_CASE("a partitioned host times out within its bound while the others answer", "[integration][fault]") {
  TestFleet& f = fleet();
  SshPool pool;
  std::vector<HostCommand> batch;
  for (size_t i : {0, 1, 3}) {
    SshTarget t = f.target(i);
    t.connect_timeout = 2000ms;
    t.command_timeout = 2000ms;
    pool.add_host(t);
    batch.push_back(HostCommand{t.name, command({"echo", "up"})});
  }
  // Warm the connections first: the partition then hits a live session.
  for (auto& r : pool.run_all(batch)) REQUIRE(r.ok());
  REQUIRE(f.fault("partition", f.hosts()[3].name).ok());
  auto t0 = std::chrono::steady_clock::now();
  auto warm = pool.run_all(batch);
  auto warm_ms = since(t0);
  // A new connection to the partitioned host hits the connect timeout.
  pool.close_all();
  t0 = std::chrono::steady_clock::now();
  auto cold = pool.run_all(batch);
  auto cold_ms = since(t0);
  REQUIRE(f.fault("heal", f.hosts()[3].name).ok());
  for (auto* results : {&warm, &cold}) {
    CHECK((*results)[0].ok());
    CHECK((*results)[1].ok());
    REQUIRE_FALSE((*results)[2].ok());
    CHECK((*results)[2].error().code == ErrorCode::kTimeout);
  }
  CHECK_THAT(cold[2].error().message, Catch::Contains("connect: timed out after 2000 ms"));
  CHECK(warm_ms < 4000ms);
  CHECK(cold_ms < 4000ms);
}

TEST_CASE("a stopped sshd gives connection refused", "[integration][fault]") {
  TestFleet& f = fleet();
  REQUIRE(f.fault("stop-sshd", f.hosts()[2].name).ok());
  auto r = run_one(f.target(2), command({"true"}));
  REQUIRE(f.fault("restart", f.hosts()[2].name).ok());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(r.error().message, Catch::Contains("connection refused"));
}

TEST_CASE("a listener that never speaks SSH fails within the connect timeout", "[integration]") {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener, 8) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  SshTarget t;
  t.name = "mute";
  t.address = "127.0.0.1";
  t.port = ntohs(addr.sin_port);
  t.connect_timeout = 800ms;
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_one(t, command({"true"}));
  auto took = since(t0);
  ::close(listener);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kTimeout);
  CHECK_THAT(r.error().message, Catch::Contains("SSH handshake"));
  CHECK(took < 2000ms);
}

TEST_CASE("arguments arrive byte-exact", "[integration]") {
  TestFleet& f = fleet();
  std::vector<std::string> nasty = {"two words",
                                    "it's \"quoted\"",
                                    "$(touch /tmp/pwned)",
                                    "`touch /tmp/pwned`",
                                    "a; b && c | d",
                                    "line1\nline2\n",
                                    "héllo ✓ 日本語 🚀",
                                    "",
                                    "$HOME * ? ~",
                                    "back\\slash",
                                    "\xff\xfe"};
  std::vector<std::string> argv = {"sh", "-c", "printf '%s\\0' \"$@\"; test ! -e /tmp/pwned", "_"};
  argv.insert(argv.end(), nasty.begin(), nasty.end());
  auto r = run_one(f.target(0), command(argv));
  if (!r.ok()) FAIL(r.error().message);
  std::string expected;
  for (const auto& s : nasty) expected += s + '\0';
  CHECK(r->stdout_data == expected);
  CHECK(r->exit_status == 0);
}

TEST_CASE("20 MB of stdout and 5 MB of stdin arrive intact", "[integration]") {
  TestFleet& f = fleet();
  std::string input;
  for (int i = 0; i < 5 * 1024 * 1024; ++i) input.push_back(static_cast<char>(i * 131 + (i >> 9)));
  SshPool pool;
  pool.add_host(f.target(0));
  auto t0 = std::chrono::steady_clock::now();
  auto r = pool.run_all({
      HostCommand{f.hosts()[0].name, command({"sh", "-c", "head -c 20971520 /dev/zero | tr '\\000' 'z'; echo done >&2"})},
      HostCommand{f.hosts()[0].name, Command{{"cat"}, input, {}}},
  });
  WARN("20 MB out + 5 MB echoed: " << since(t0).count() << " ms");
  REQUIRE(r[0].ok());
  CHECK(r[0]->stdout_data.size() == 20u * 1024 * 1024);
  CHECK(r[0]->stdout_data.find_first_not_of('z') == std::string::npos);
  CHECK(r[0]->stderr_data == "done\n");
  if (!r[1].ok()) FAIL(r[1].error().message);
  CHECK(r[1]->stdout_data == input);
}

TEST_CASE("put_file writes atomically over SSH", "[integration]") {
  TestFleet& f = fleet();
  SshPool pool;
  pool.add_host(f.target(1));
  auto transport = pool.transport(f.hosts()[1].name);
  std::string contents("secret\0bytes\n", 13);
  REQUIRE(transport->put_file(FileSpec{"/var/lib/skiff/put test", contents, 0600}).ok());
  auto r = transport->run(command({"sh", "-c", "stat -c %a \"$1\"; cat \"$1\"", "_", "/var/lib/skiff/put test"}));
  REQUIRE(r.ok());
  CHECK(r->stdout_data == "600\n" + contents);
}

TEST_CASE("ProxyJump through one fleet host to another", "[integration]") {
  TestFleet& f = fleet();
  SshTarget t = f.target(1);
  t.proxy_jump = std::make_shared<SshTarget>(f.target(0));
  auto r = run_one(t, command({"sh", "-c", "echo \"$SSH_CONNECTION\"; head -c 3000000 /dev/zero"}));
  if (!r.ok()) FAIL(r.error().message);
  // The target sees the connection coming from the bastion's address.
  CHECK(r->stdout_data.rfind(f.hosts()[0].address + " ", 0) == 0);
  CHECK(r->stdout_data.size() > 3000000u);
}
