// Replacing a file whole through a temp file of unpredictable name, against
// real files in a scratch folder.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "base/replace_file.hpp"
#include "base/unique_fd.hpp"
#include "support/test_files.hpp"
#include "unit/cli/run_skiff.hpp"

namespace skiff::base {
namespace {

namespace fs = std::filesystem;
using skiff::testing::read_test_file;
using skiff::testing::ScratchDir;

mode_t mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

size_t entries_in(const std::string& directory) {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(directory)) ++count;
  return count;
}

TEST_CASE("write_temp_file: a new 0600 file under a random name each time, whatever the umask", "[base]") {
  ScratchDir scratch;
  UniqueFd dir(::open(scratch.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  REQUIRE(dir.get() >= 0);
  mode_t old_umask = ::umask(0);
  Result<std::string> first = write_temp_file(dir.get(), scratch.path(), "state.json", "one");
  Result<std::string> second = write_temp_file(dir.get(), scratch.path(), "state.json", "two");
  ::umask(old_umask);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first != *second);
  CHECK_THAT(*first, Catch::Matches("state\\.json\\.tmp\\.[0-9a-f]{16}"));
  CHECK(read_test_file(scratch.path() + "/" + *first) == "one");
  CHECK(mode_of(scratch.path() + "/" + *first) == 0600);
  CHECK(mode_of(scratch.path() + "/" + *second) == 0600);
}

TEST_CASE("replace_file: the file replaced whole, mode 0600, nothing left beside it", "[base]") {
  ScratchDir scratch;
  const std::string path = scratch.path() + "/release.plan";
  scratch.write("release.plan", "old");
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  REQUIRE(replace_file(path, "new"));
  CHECK(read_test_file(path) == "new");
  CHECK(mode_of(path) == 0600);
  CHECK(entries_in(scratch.path()) == 1);
  // A name without a folder is in the current one.
  CHECK(path_in(".", "release.plan") == "release.plan");
  CHECK(path_in("/", "release.plan") == "/release.plan");
}

TEST_CASE("replace_file: a symlink at the path is refused, its target left alone", "[base]") {
  ScratchDir scratch;
  scratch.write("canary", "root's precious file\n");
  const std::string link = scratch.path() + "/release.plan";
  fs::create_symlink(scratch.path() + "/canary", link);
  Status replaced = replace_file(link, "plan");
  REQUIRE_FALSE(replaced.ok());
  CHECK(replaced.error().message ==
        "refusing " + link +
            ": it is a symlink, and skiff writes no file through one; remove it, or name the file it "
            "points to");
  CHECK(read_test_file(scratch.path() + "/canary") == "root's precious file\n");
  CHECK(fs::is_symlink(fs::symlink_status(link)));
  CHECK(entries_in(scratch.path()) == 2);
}

}  // namespace
}  // namespace skiff::base
