// The file `skiff plan -out FILE` writes: private to its user (it holds
// the job files' text and the -var values) and never written through a
// symlink (issue 17).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "cli/plan_file.hpp"
#include "support/test_files.hpp"
#include "unit/cli/run_skiff.hpp"

namespace skiff::cli {
namespace {

using skiff::testing::read_test_file;
using skiff::testing::ScratchDir;

TEST_CASE("plan -out: the plan file is 0600, also over an older one of 0644, and reads back", "[cli]") {
  ScratchDir dir;
  const std::string path = dir.path() + "/release.plan";
  VarFlags flags{{"image=web:2"}, {}};
  REQUIRE(save_plan(path, reconciler::Plan{}, JobSet{}, flags));
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 0600);
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  REQUIRE(save_plan(path, reconciler::Plan{}, JobSet{}, flags));
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 0600);
  Result<std::optional<SavedPlan>> saved = read_saved_plan({path});
  REQUIRE(saved.ok());
  REQUIRE(saved->has_value());
  CHECK((*saved)->flags.vars == flags.vars);
}

TEST_CASE("plan -out: a symlink planted at the plan file is refused, its target left alone", "[cli]") {
  ScratchDir dir;
  dir.write("canary", "root's precious file\n");
  const std::string path = dir.path() + "/release.plan";
  std::filesystem::create_symlink(dir.path() + "/canary", path);
  Status saved = save_plan(path, reconciler::Plan{}, JobSet{}, VarFlags{});
  REQUIRE_FALSE(saved.ok());
  CHECK_THAT(saved.error().message,
             Catch::StartsWith("cannot write the plan to " + path + ": refusing " + path + ": it is a symlink"));
  CHECK(read_test_file(dir.path() + "/canary") == "root's precious file\n");
}

}  // namespace
}  // namespace skiff::cli
