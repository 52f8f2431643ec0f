#include "drivers/local_transport.hpp"

#include <unistd.h>

#include <sys/stat.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace skiff::drivers;
using namespace std::chrono_literals;

namespace {

Command sh(const std::string& script, std::optional<std::string> input = std::nullopt, std::chrono::milliseconds timeout = 0ms) {
  return Command{{"sh", "-c", script}, std::move(input), timeout};
}

}  // namespace

TEST_CASE("local transport reports exit status and both streams", "[drivers]") {
  LocalTransport local;
  auto r = local.run(sh("echo out; echo err >&2; exit 3"));
  REQUIRE(r.ok());
  CHECK(r->exit_status == 3);
  CHECK(r->stdout_data == "out\n");
  CHECK(r->stderr_data == "err\n");
  CHECK_FALSE(r->success());
}

TEST_CASE("local transport reports a signal", "[drivers]") {
  LocalTransport local;
  // The transport's own /bin/sh is the parent of this `sh -c`; killing it
  // is what a command dying from a signal looks like to the transport.
  auto r = local.run(sh("exec >/dev/null 2>&1; kill -TERM $PPID; sleep 5"));
  REQUIRE(r.ok());
  CHECK(r->exit_status == -1);
  REQUIRE(r->signal);
  CHECK(*r->signal == "TERM");
}

TEST_CASE("local transport feeds stdin, binary-safe and large", "[drivers]") {
  LocalTransport local;
  std::string input;
  for (int i = 0; i < 3 * 1024 * 1024; ++i) input.push_back(static_cast<char>(i * 7));
  auto r = local.run(sh("cat", input));
  REQUIRE(r.ok());
  CHECK(r->stdout_data == input);

  auto none = local.run(sh("cat"));
  REQUIRE(none.ok());
  CHECK(none->stdout_data.empty());
}

TEST_CASE("local transport survives a command that ignores its stdin", "[drivers]") {
  LocalTransport local;
  auto r = local.run(sh("exit 0", std::string(4 * 1024 * 1024, 'x')));
  REQUIRE(r.ok());
  CHECK(r->exit_status == 0);
}

TEST_CASE("local transport carries 20 MB of stdout intact", "[drivers]") {
  LocalTransport local;
  auto r = local.run(sh("head -c 20971520 /dev/zero | tr '\\0' 'z'; echo -n end >&2"));
  REQUIRE(r.ok());
  CHECK(r->stdout_data.size() == 20u * 1024 * 1024);
  CHECK(r->stdout_data.find_first_not_of('z') == std::string::npos);
  CHECK(r->stderr_data == "end");
}

TEST_CASE("local transport timeout kills the whole process group", "[drivers]") {
  LocalTransport local;
  auto start = std::chrono::steady_clock::now();
  auto r = local.run(sh("sleep 30 & sleep 30; echo never", std::nullopt, 300ms));
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == skiff::ErrorCode::kTimeout);
  CHECK_THAT(r.error().message, Catch::Contains("timed out after 300 ms"));
  CHECK(took < 5s);
}

TEST_CASE("local transport default timeout applies when the command has none", "[drivers]") {
  LocalTransport local(200ms);
  auto r = local.run(sh("sleep 10"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == skiff::ErrorCode::kTimeout);
}

TEST_CASE("put_file writes atomically with the mode", "[drivers]") {
  LocalTransport local;
  auto dir = std::filesystem::temp_directory_path() / ("skiff-put-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "a file 'quoted'").string();
  std::string contents = std::string("bin\0ary\nline\n", 13);
  REQUIRE(local.put_file(FileSpec{path, contents, 0600}).ok());
  std::ifstream in(path, std::ios::binary);
  std::string read((std::istreambuf_iterator<char>(in)), {});
  CHECK(read == contents);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  // Only the file itself is left: no temp debris.
  CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1);

  skiff::Status bad = local.put_file(FileSpec{(dir / "missing" / "x").string(), "x", 0644});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::StartsWith("put file "));
  std::filesystem::remove_all(dir);
}

TEST_CASE("empty argv is an error, not a crash", "[drivers]") {
  LocalTransport local;
  auto r = local.run(Command{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == skiff::ErrorCode::kInvalidArgument);
}

namespace {

// Whether process `pid` still runs (a zombie waiting for its parent to
// reap it runs no more).
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  size_t end = text.rfind(')');
  return end != std::string::npos && end + 2 < text.size() && text[end + 2] != 'Z';
}

// Waits up to 2 s for `pid` to stop running.
bool ends_soon(pid_t pid) {
  for (int i = 0; i < 200 && running(pid); ++i) std::this_thread::sleep_for(10ms);
  return !running(pid);
}

constexpr uint64_t kSmallCap = 1 << 20;

}  // namespace

TEST_CASE("local transport: a command printing more than max_output fails, and none of it is left running", "[drivers]") {
  LocalTransport local(10s, kSmallCap, "web-1");
  auto dir = std::filesystem::temp_directory_path() / ("skiff-cap-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string pids = (dir / "pids").string();
  // 3 MB and then a long wait, beside a quiet child in the same process
  // group: without the cap this ends only with the 10 s timeout.
  auto start = std::chrono::steady_clock::now();
  auto r = local.run(Command{
      {"sh", "-c", "sleep 60 & echo $! > \"$1\"; echo $$ >> \"$1\"; head -c 3000000 /dev/zero; sleep 60", "skiff-flood", pids},
      std::nullopt,
      0ms});
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == skiff::ErrorCode::kIo);
  CHECK(r.error().message ==
        "`skiff-flood` on web-1: output too large (more than 1 MiB); skiff stopped reading it and ended the command");
  CHECK(took < 5s);
  std::ifstream in(pids);
  pid_t quiet = 0, printer = 0;
  REQUIRE(in >> quiet >> printer);
  CHECK(ends_soon(quiet));
  CHECK(ends_soon(printer));
  std::filesystem::remove_all(dir);
}

TEST_CASE("local transport: max_output counts stdout and stderr together, up to the byte", "[drivers]") {
  LocalTransport local(10s, kSmallCap);
  // Half on each stream: exactly the cap is allowed.
  auto at_cap = local.run(sh("head -c 524288 /dev/zero; head -c 524288 /dev/zero >&2"));
  REQUIRE(at_cap.ok());
  CHECK(at_cap->stdout_data.size() + at_cap->stderr_data.size() == kSmallCap);
  // One byte more is not.
  auto past = local.run(sh("head -c 524288 /dev/zero; head -c 524289 /dev/zero >&2"));
  REQUIRE_FALSE(past.ok());
  CHECK_THAT(past.error().message, Catch::StartsWith("`sh`: output too large (more than 1 MiB)"));
}

TEST_CASE("local transport: the default bounds are 64 MiB and 10 minutes", "[drivers]") {
  CHECK(kDefaultMaxOutput == uint64_t{64} << 20);
  CHECK(kDefaultCommandTimeout == std::chrono::minutes(10));
  // 70 MB of output: the default cap fails it.
  auto r = LocalTransport().run(sh("head -c 70000000 /dev/zero"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("output too large (more than 64 MiB)"));
}
