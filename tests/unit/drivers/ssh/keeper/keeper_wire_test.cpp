// The SSH keeper's wire format and socket directory: every field survives
// the round trip, any bytes included; short or corrupt messages are
// refused; the directory is refused when others could reach the socket.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "drivers/ssh/keeper/keeper_wire.hpp"
#include "drivers/ssh/keeper/ssh_keeper.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;

namespace {

const std::string kAnyBytes = std::string("a\0b\n\xff\xfe", 6) + "é";

SshTarget bastion_and_host() {
  auto jump = std::make_shared<SshTarget>();
  jump->name = "bastion";
  jump->address = "203.0.113.1";
  jump->port = 2222;
  SshTarget t;
  t.name = "web-1";
  t.address = "10.0.0.5";
  t.port = 22;
  t.user = "deploy";
  t.identity_files = {"/home/d/.ssh/id_ed25519", "/home/d/.ssh/id_rsa"};
  t.known_hosts_files = {"/home/d/.ssh/known_hosts"};
  t.strict = StrictHostKeys::kAcceptNew;
  t.connect_timeout = std::chrono::milliseconds(2500);
  t.command_timeout = std::chrono::milliseconds(90000);
  t.max_output = 3u << 20;
  t.keepalive_interval = std::chrono::seconds(7);
  t.proxy_jump = jump;
  return t;
}

}  // namespace

TEST_CASE("keeper wire: a spec keeps every target setting, the bastion included", "[keeper]") {
  KeeperSpec spec;
  spec.pool.parallelism = 17;
  spec.pool.persistent_shell = false;
  spec.targets = {bastion_and_host()};
  auto decoded = decode_keeper_spec(encode_keeper_spec(spec));
  REQUIRE(decoded.ok());
  CHECK(decoded->pool.parallelism == 17);
  CHECK_FALSE(decoded->pool.persistent_shell);
  REQUIRE(decoded->targets.size() == 1);
  const SshTarget& t = decoded->targets[0];
  CHECK(t.name == "web-1");
  CHECK(t.address == "10.0.0.5");
  CHECK(t.user == "deploy");
  CHECK(t.identity_files == std::vector<std::string>{"/home/d/.ssh/id_ed25519", "/home/d/.ssh/id_rsa"});
  CHECK(t.known_hosts_files == std::vector<std::string>{"/home/d/.ssh/known_hosts"});
  CHECK(t.strict == StrictHostKeys::kAcceptNew);
  CHECK(t.connect_timeout == std::chrono::milliseconds(2500));
  CHECK(t.command_timeout == std::chrono::milliseconds(90000));
  CHECK(t.max_output == 3u << 20);
  CHECK(t.keepalive_interval == std::chrono::seconds(7));
  REQUIRE(t.proxy_jump);
  CHECK(t.proxy_jump->name == "bastion");
  CHECK(t.proxy_jump->port == 2222);
}

TEST_CASE("keeper wire: batches and results carry any bytes, errors and signals", "[keeper]") {
  std::vector<HostCommand> batch{
      {"h1", Command{{"sh", "-c", kAnyBytes}, kAnyBytes, std::chrono::milliseconds(1500), ScriptShell::kSubshell}},
      {"h2", Command{{"true"}, std::nullopt, {}, ScriptShell::kOwn}}};
  auto got = decode_batch(encode_batch(batch));
  REQUIRE(got.ok());
  REQUIRE(got->size() == 2);
  CHECK((*got)[0].host == "h1");
  CHECK((*got)[0].command.argv == batch[0].command.argv);
  CHECK((*got)[0].command.stdin_data == kAnyBytes);
  CHECK((*got)[0].command.timeout == std::chrono::milliseconds(1500));
  CHECK((*got)[0].command.script_shell == ScriptShell::kSubshell);
  CHECK_FALSE((*got)[1].command.stdin_data.has_value());
  CHECK((*got)[1].command.script_shell == ScriptShell::kOwn);

  CommandResult killed;
  killed.exit_status = -1;
  killed.stdout_data = kAnyBytes;
  killed.stderr_data = "oops";
  killed.signal = "KILL";
  std::vector<skiff::Result<CommandResult>> results{killed,
                                                    skiff::make_error(skiff::ErrorCode::kTimeout, "h2: timed out after 1.5s")};
  auto back = decode_results(encode_results(results));
  REQUIRE(back.ok());
  REQUIRE(back->size() == 2);
  REQUIRE((*back)[0].ok());
  CHECK((*back)[0]->stdout_data == kAnyBytes);
  CHECK((*back)[0]->stderr_data == "oops");
  CHECK((*back)[0]->signal == std::optional<std::string>("KILL"));
  CHECK_FALSE((*back)[0]->success());
  REQUIRE_FALSE((*back)[1].ok());
  CHECK((*back)[1].error().code == skiff::ErrorCode::kTimeout);
  CHECK((*back)[1].error().message == "h2: timed out after 1.5s");
}

TEST_CASE("keeper wire: short, padded or corrupt messages are refused", "[keeper]") {
  std::string bytes = encode_batch({{"h1", Command{{"echo", "hi"}, "input", {}, ScriptShell::kOwn}}});
  for (size_t cut = 0; cut < bytes.size(); ++cut) CHECK_FALSE(decode_batch(bytes.substr(0, cut)).ok());
  CHECK_FALSE(decode_batch(bytes + "x").ok());
  std::string huge_count = bytes;
  huge_count[3] = '\x7f';  // a count of about two billion commands
  CHECK_FALSE(decode_batch(huge_count).ok());
  CHECK_FALSE(decode_keeper_spec("").ok());
  CHECK_FALSE(decode_results(std::string("\x01\0\0\0", 4)).ok());
  std::string framed = frame("abc");
  CHECK(framed.size() == kFrameHeader + 3);
  CHECK(frame_length(framed) == 3);
}

TEST_CASE("keeper socket directory: created 0700, refused when others may enter it or it is a symlink", "[keeper]") {
  fs::path base = fs::temp_directory_path() / ("skiff-keeper-dir-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base);
  auto dir = keeper_directory(base.string());
  REQUIRE(dir.ok());
  CHECK(*dir == (base / "skiff").string());
  struct stat st {};
  REQUIRE(::stat(dir->c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(keeper_directory(base.string()).ok());  // again: it exists, still fine

  ::chmod(dir->c_str(), 0755);
  auto open_dir = keeper_directory(base.string());
  REQUIRE_FALSE(open_dir.ok());
  CHECK_THAT(open_dir.error().message, Catch::Contains("others may enter it (mode 0755)"));

  fs::remove_all(*dir);
  fs::create_directories(base / "elsewhere");
  ::chmod((base / "elsewhere").c_str(), 0700);
  fs::create_directory_symlink(base / "elsewhere", *dir);
  auto link = keeper_directory(base.string());
  REQUIRE_FALSE(link.ok());
  CHECK_THAT(link.error().message, Catch::Contains("not a directory"));

  // A relative $XDG_RUNTIME_DIR is ignored, as the XDG spec says: /tmp/skiff-UID.
  const fs::path fallback = "/tmp/skiff-" + std::to_string(::geteuid());
  const bool had_fallback = fs::exists(fallback);
  auto relative = keeper_directory("relative/dir");
  if (relative.ok()) CHECK(*relative == fallback.string());
  if (!had_fallback) fs::remove(fallback);
  fs::remove_all(base);
}

TEST_CASE("keeper socket path: the same settings name the same keeper, any change another", "[keeper]") {
  KeeperOptions options;
  options.persist = std::chrono::milliseconds(60000);
  options.executable = "/nonexistent/skiff";
  options.version = "skiff 1";
  std::string a = keeper_socket_path("/run/user/1/skiff", "spec", options);
  CHECK(a == keeper_socket_path("/run/user/1/skiff", "spec", options));
  CHECK(a.rfind("/run/user/1/skiff/keeper-", 0) == 0);
  CHECK(a != keeper_socket_path("/run/user/1/skiff", "spec2", options));
  KeeperOptions other_agent = options;
  other_agent.agent_socket = "/tmp/ssh-x/agent.1";
  CHECK(a != keeper_socket_path("/run/user/1/skiff", "spec", other_agent));
  KeeperOptions other_persist = options;
  other_persist.persist = std::chrono::milliseconds(1000);
  CHECK(a != keeper_socket_path("/run/user/1/skiff", "spec", other_persist));
}
