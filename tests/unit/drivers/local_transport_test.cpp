#include "drivers/local_transport.hpp"

#include <unistd.h>

#include <sys/stat.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

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
