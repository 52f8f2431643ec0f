// The rule for skiff's private directories, against real directories in a
// scratch folder: each way a directory can fail it, and the message that
// says what to do.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "base/owned_directory.hpp"
#include "unit/cli/run_skiff.hpp"

namespace skiff::base {
namespace {

namespace fs = std::filesystem;
using skiff::testing::ScratchDir;

std::string made(const ScratchDir& scratch, const std::string& name, mode_t mode) {
  std::string path = scratch.path() + "/" + name;
  fs::create_directories(path);
  REQUIRE(::chmod(path.c_str(), mode) == 0);
  return path;
}

std::string refusal(const std::string& path, OthersMay others) {
  Result<UniqueFd> opened = open_owned_directory(path, "the test", others);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::kIo);
  return opened.error().message;
}

TEST_CASE("owned directory: the user's own directory is opened, closed to others as the rule asks", "[base]") {
  ScratchDir scratch;
  std::string closed = made(scratch, "closed", 0700);
  std::string readable = made(scratch, "readable", 0755);
  Result<UniqueFd> opened = open_owned_directory(closed, "the test", OthersMay::kNothing);
  REQUIRE(opened.ok());
  struct stat by_fd {
  }, by_path{};
  REQUIRE(::fstat(opened->get(), &by_fd) == 0);
  REQUIRE(::stat(closed.c_str(), &by_path) == 0);
  CHECK(by_fd.st_ino == by_path.st_ino);
  CHECK(open_owned_directory(readable, "the test", OthersMay::kReadAndEnter).ok());
  CHECK(refusal(readable, OthersMay::kNothing) ==
        "refusing " + readable + " for the test: others may enter it (mode 0755); `chmod go-rwx " + readable + "`");
}

TEST_CASE("owned directory: one the group or others may write to is refused, saying chmod go-w", "[base]") {
  ScratchDir scratch;
  for (mode_t mode : {0770, 0702, 0777}) {
    std::string path = made(scratch, "open-" + std::to_string(mode), mode);
    CHECK(refusal(path, OthersMay::kReadAndEnter) ==
          "refusing " + path + " for the test: others may write to it (mode " + mode_text(mode) + "); `chmod go-w " + path + "`");
  }
}

TEST_CASE("owned directory: a sticky folder every user may write to, such as /tmp, is refused", "[base]") {
  ScratchDir scratch;
  std::string shared = made(scratch, "shared", 01777);
  CHECK_THAT(refusal(shared, OthersMay::kReadAndEnter),
             Catch::Contains("it is a folder shared by every user (mode 1777, owned by uid " + std::to_string(::geteuid()) +
                             "); use a folder of your own"));
  // /tmp itself, whoever runs this: shared, or (not root) someone else's.
  CHECK_FALSE(open_owned_directory("/tmp", "the test", OthersMay::kReadAndEnter).ok());
}

TEST_CASE("owned directory: a symlink, a file and a missing path are refused", "[base]") {
  ScratchDir scratch;
  std::string real = made(scratch, "real", 0700);
  std::string link = scratch.path() + "/link";
  fs::create_directory_symlink(real, link);
  CHECK(refusal(link, OthersMay::kReadAndEnter) ==
        "refusing " + link + " for the test: it is a symlink, not a directory; name the directory it points to instead");
  std::string file = scratch.path() + "/file";
  scratch.write("file", "x");
  CHECK(refusal(file, OthersMay::kReadAndEnter) == "refusing " + file + " for the test: it is not a directory");
  Result<UniqueFd> missing = open_owned_directory(scratch.path() + "/missing", "the test", OthersMay::kReadAndEnter);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE("owned directory: another user's directory is refused, however closed", "[base]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot give a directory to another uid");
    return;
  }
  ScratchDir scratch;
  std::string theirs = made(scratch, "theirs", 0700);
  REQUIRE(::chown(theirs.c_str(), 65534, 65534) == 0);
  CHECK(refusal(theirs, OthersMay::kReadAndEnter) ==
        "refusing " + theirs +
            " for the test: it is owned by uid 65534, not by uid 0 which skiff "
            "runs as; `chown 0 " +
            theirs + "` if it is yours, or run skiff as its owner");
}

}  // namespace
}  // namespace skiff::base
