#include "drivers/host/fingerprint.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "drivers/local_transport.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;

namespace {

// The fingerprint command, run by `shell` (dash, busybox sh) with PATH
// starting at `path_prefix`, on this machine.
skiff::Result<CommandResult> run_fingerprint(const std::string& shell, const std::string& data_dir,
                                             const std::string& path_prefix = "") {
  Command command = fingerprint_command(data_dir);
  REQUIRE(command.argv.size() == 5);
  REQUIRE(command.argv[0] == "sh");
  std::vector<std::string> argv = {"env", "PATH=" + path_prefix + std::getenv("PATH")};
  if (shell == "busybox") argv.insert(argv.end(), {"busybox", "sh"});
  else argv.push_back(shell);
  argv.insert(argv.end(), command.argv.begin() + 1, command.argv.end());
  command.argv = argv;
  return LocalTransport().run(command);
}

void write_executable(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
  fs::permissions(path, fs::perms::owner_all);
}

}  // namespace

TEST_CASE("parse_fingerprint reads every field, maps the arch to Go's names, and skips a login banner", "[drivers]") {
  auto facts = parse_fingerprint(
      "Welcome to host h1!\n"
      R"({"format":1,"hostname":"h1","kernel_name":"Linux","kernel_version":"6.1.0","machine":"aarch64",)"
      R"("os_name":"debian","os_version":"12","cores":4,"cpu_mhz":2600,"memory_kb":8388608,)"
      R"("disk_total_kb":10485760,"disk_free_kb":5242880,"cgroup":"v1","boot_id":"b-1","uid":0,"clock":1700000000,)"
      R"("drivers":{"raw_exec":{"detected":true,"healthy":true,"version":"","reason":""},)"
      R"("docker":{"detected":true,"healthy":false,"version":"","reason":"Cannot connect to the Docker daemon"}}})"
      "\n");
  REQUIRE(facts.ok());
  CHECK(facts->hostname == "h1");
  CHECK(facts->kernel_name == "linux");
  CHECK(facts->arch == "arm64");
  CHECK(facts->os_name == "debian");
  CHECK(facts->os_version == "12");
  CHECK(facts->cores == 4);
  CHECK(facts->cpu_total_mhz() == 10400);
  CHECK(facts->memory_mb == 8192);
  CHECK(facts->disk_free_mb == 5120);
  CHECK(facts->disk_total_mb == 10240);
  CHECK(facts->cgroup == "v1");
  CHECK(facts->clock_unix == 1700000000);
  REQUIRE(facts->drivers.size() == 2);
  CHECK(facts->drivers.at("raw_exec").healthy);
  CHECK(facts->drivers.at("docker").detected);
  CHECK_FALSE(facts->drivers.at("docker").healthy);
  CHECK(facts->drivers.at("docker").reason == "Cannot connect to the Docker daemon");
}

TEST_CASE("parse_fingerprint leaves out what the host did not report", "[drivers]") {
  auto facts = parse_fingerprint(R"({"format":1,"machine":"x86_64","cores":"two","drivers":{}})");
  REQUIRE(facts.ok());
  CHECK(facts->arch == "amd64");
  CHECK_FALSE(facts->cores);
  CHECK_FALSE(facts->cpu_total_mhz());
  CHECK_FALSE(facts->memory_mb);
}

TEST_CASE("parse_fingerprint refuses what is not a fingerprint and quotes it", "[drivers]") {
  auto garbage = parse_fingerprint("sh: 1: syntax error\n");
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().code == skiff::ErrorCode::kParse);
  CHECK(garbage.error().message == "fingerprint: not skiff's fingerprint JSON; the host printed: \"sh: 1: syntax error\\n\"");
  CHECK_FALSE(parse_fingerprint("").ok());
  CHECK_FALSE(parse_fingerprint(R"({"format":2,"drivers":{}})").ok());
  CHECK_THAT(parse_fingerprint(R"({"format":1})").error().message, Catch::Contains("no \"drivers\" object"));
}

TEST_CASE("the fingerprint script runs under dash and busybox sh and reports this machine", "[drivers]") {
  struct utsname uts {};
  REQUIRE(::uname(&uts) == 0);
  std::vector<std::string> shells = {"dash"};
  if (std::system("command -v busybox >/dev/null 2>&1") == 0) shells.push_back("busybox");
  for (const std::string& shell : shells) {
    INFO(shell);
    // A data dir that does not exist yet: its nearest parent's disk counts.
    auto run = run_fingerprint(shell, "/nonexistent-skiff-test/deeper/var/lib/skiff");
    REQUIRE(run.ok());
    INFO(run->stderr_data);
    REQUIRE(run->exit_status == 0);
    auto facts = parse_fingerprint(run->stdout_data);
    if (!facts.ok()) FAIL(facts.error().message);
    CHECK(facts->hostname == uts.nodename);
    CHECK(facts->kernel_name == "linux");
    CHECK(facts->arch == go_arch(uts.machine));
    CHECK(facts->cores == static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN)));
    const int64_t memory_mb = static_cast<int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGESIZE) / (1024 * 1024);
    REQUIRE(facts->memory_mb);
    CHECK(std::abs(*facts->memory_mb - memory_mb) <= 1);
    const fs::space_info root = fs::space("/");
    REQUIRE(facts->disk_total_mb);
    CHECK(*facts->disk_total_mb == static_cast<int64_t>(root.capacity / (1024 * 1024)));
    CHECK(facts->uid == static_cast<int>(::getuid()));
    CHECK(facts->boot_id.size() == 36);
    CHECK(facts->drivers.at("raw_exec").healthy);
    CHECK(facts->drivers.at("exec").healthy);
  }
}

TEST_CASE("the fingerprint script escapes what drivers print and reports their failures", "[drivers]") {
  fs::path bin = fs::temp_directory_path() / ("skiff-fingerprint-" + std::to_string(::getpid()));
  fs::create_directories(bin);
  // A docker whose daemon is down, a podman that works, a java with an odd version string.
  write_executable(bin / "docker",
                   "#!/bin/sh\necho 'Client: 24.0.5' >&2\necho 'Cannot connect to \"unix:///var/run/docker.sock\" \\ is it "
                   "running?' >&2\nexit 1\n");
  write_executable(bin / "podman", "#!/bin/sh\n[ \"$1 $2 $3\" = 'version --format {{.Client.Version}}' ] && echo 4.3.1\n");
  write_executable(bin / "java", "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
  auto run = run_fingerprint("dash", "/", bin.string() + ":");
  fs::remove_all(bin);
  REQUIRE(run.ok());
  auto facts = parse_fingerprint(run->stdout_data);
  if (!facts.ok()) FAIL(facts.error().message);
  const DriverFact& docker = facts->drivers.at("docker");
  CHECK(docker.detected);
  CHECK_FALSE(docker.healthy);
  CHECK(docker.reason == "Cannot connect to \"unix:///var/run/docker.sock\" \\ is it running?");
  CHECK(facts->drivers.at("podman").healthy);
  CHECK(facts->drivers.at("podman").version == "4.3.1");
  CHECK(facts->drivers.at("java").version == "17.0.15");
}
