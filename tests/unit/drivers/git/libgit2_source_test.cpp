// The libgit2 GitSource against real repositories made here with git: the
// remote's HEAD, branches, annotated tags and commit ids are followed, a
// commit's files are read from its tree (a link's target never), a new
// commit arrives with the next fetch, and what it must not take it refuses.
#include "drivers/git/libgit2_source.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/git_repo.hpp"
#include "support/test_files.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;
using skiff::testing::write_test_file;

namespace {

// A repository to fetch from, and a cache beside it.
struct Remote : skiff::testing::GitRepo {
  Remote() : GitRepo("remote") {}
  GitSourceOptions options(const std::string& ref = "") const { return {url(), ref, (root / "cache").string()}; }
};

std::unique_ptr<GitSource> open(const GitSourceOptions& options) {
  auto source = open_libgit2_source(options);
  if (!source.ok()) FAIL(source.error().message);
  return std::move(*source);
}

}  // namespace

TEST_CASE("git source: the remote's HEAD, its files from the commit's tree, and the next commit", "[git]") {
  Remote r;
  write_test_file(r.work / "skiff.hcl", "# project\n");
  write_test_file(r.work / "jobs/web.nomad.hcl", "job \"web\" {}\n");
  write_test_file(r.work / "deploy/prod/hosts.hcl", "host \"a\" {}\n");
  fs::create_symlink("/etc/passwd", r.work / "jobs/link.hcl");
  const std::string first = r.commit("add web");

  auto source = open(r.options());
  auto fetched = source->fetch();
  if (!fetched.ok()) FAIL(fetched.error().message);
  CHECK(fetched->id == first);
  CHECK(fetched->author == "Ada <ada@example.com>");
  CHECK(fetched->summary == "add web");

  auto tree = source->read_tree(first, "");
  REQUIRE(tree.ok());
  // The link is not a file: its target is never read.
  CHECK(tree->files ==
        std::map<std::string, std::string>{{"deploy/prod/hosts.hcl", "host \"a\" {}\n"},
                                           {"jobs/web.nomad.hcl", "job \"web\" {}\n"},
                                           {"skiff.hcl", "# project\n"}});
  auto prod = source->read_tree(first, "./deploy/prod/");
  REQUIRE(prod.ok());
  CHECK(prod->files == std::map<std::string, std::string>{{"hosts.hcl", "host \"a\" {}\n"}});

  // A file edited in the remote's working tree but not committed is not
  // what a commit holds.
  write_test_file(r.work / "jobs/web.nomad.hcl", "job \"web\" { half-written");
  CHECK(source->read_tree(first, "jobs")->files.at("web.nomad.hcl") == "job \"web\" {}\n");

  const std::string second = r.commit("change web");
  fetched = source->fetch();
  REQUIRE(fetched.ok());
  CHECK(fetched->id == second);
  CHECK(source->read_tree(second, "jobs")->files.at("web.nomad.hcl") == "job \"web\" { half-written");
  CHECK(source->read_tree(first, "jobs")->files.at("web.nomad.hcl") == "job \"web\" {}\n");

  // A second source on the same cache starts from what it holds.
  auto again = open(r.options());
  CHECK(again->read_tree(first, "").ok());
  CHECK(again->fetch()->id == second);

  auto missing = source->read_tree(second, "nowhere");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "commit " + second.substr(0, 12) + " has no folder \"nowhere\"");
  auto file_not_folder = source->read_tree(second, "skiff.hcl");
  REQUIRE_FALSE(file_not_folder.ok());
  CHECK(file_not_folder.error().message == "\"skiff.hcl\" in commit " + second.substr(0, 12) + " is not a folder");
  auto outside = source->read_tree(second, "../etc");
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.error().message == "--path \"../etc\" must be a folder inside the repository");
  CHECK_FALSE(source->read_tree("not-a-commit", "").ok());
}

TEST_CASE("git source: a branch, an annotated tag or a commit id is followed, an unknown one named", "[git]") {
  Remote r;
  write_test_file(r.work / "v.txt", "1");
  const std::string one = r.commit("one");
  r.git("tag -a v1 -m 'release 1'");
  r.git("checkout -q -b next");
  write_test_file(r.work / "v.txt", "2");
  const std::string two = r.commit("two");
  r.git("checkout -q main");

  CHECK(open(r.options())->fetch()->id == one);  // HEAD: main
  CHECK(open(r.options("next"))->fetch()->id == two);
  CHECK(open(r.options("refs/heads/next"))->fetch()->id == two);
  CHECK(open(r.options("v1"))->fetch()->id == one);  // the commit, not the tag object
  CHECK(open(r.options(two))->fetch()->id == two);

  auto unknown = open(r.options("nope"))->fetch();
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == r.url() + " has no branch or tag \"nope\"");
  auto not_there = open(r.options(std::string(40, 'a')))->fetch();
  REQUIRE_FALSE(not_there.ok());
  CHECK(not_there.error().message == "commit " + std::string(40, 'a') + " is not in " + r.url() + "'s branches and tags");
}

TEST_CASE("git source: a tree past the size limit is refused", "[git]") {
  Remote r;
  write_test_file(r.work / "big.txt", std::string(2048, 'x'));
  const std::string id = r.commit("big");
  GitSourceOptions options = r.options();
  options.max_tree_bytes = 1024;
  auto source = open(options);
  REQUIRE(source->fetch().ok());
  auto tree = source->read_tree(id, "");
  REQUIRE_FALSE(tree.ok());
  CHECK_THAT(tree.error().message, Catch::Contains("more than"));
}

TEST_CASE("git source: SSH remotes are taken, a malformed one and unchecked protocols are refused", "[git]") {
  CHECK(is_ssh_git_url("git@github.com:acme/fleet.git"));
  CHECK(is_ssh_git_url("ssh://git@example.com/acme/fleet.git"));
  CHECK(is_ssh_git_url("git+ssh://example.com/fleet"));
  CHECK_FALSE(is_ssh_git_url("https://example.com/acme/fleet.git"));
  CHECK_FALSE(is_ssh_git_url("file:///srv/git/fleet.git"));
  CHECK_FALSE(is_ssh_git_url("/srv/git/fleet.git"));
  CHECK_FALSE(is_ssh_git_url("./repos/a:b"));

  const std::string cache = (fs::temp_directory_path() / ("skiff-git-cache-" + std::to_string(::getpid()))).string();
  // Resolved through an ssh config that is not there: nothing is fetched.
  GitSourceOptions ssh{"git@github.com:acme/fleet.git", "", cache};
  ssh.home_dir = cache;
  CHECK(open_libgit2_source(ssh).ok());
  ssh.url = "git@:acme/fleet.git";
  auto no_host = open_libgit2_source(ssh);
  REQUIRE_FALSE(no_host.ok());
  CHECK(no_host.error().message == "--repo git@:acme/fleet.git: not an SSH remote libgit2 can use: no host");
  auto plain = open_libgit2_source({"git://example.com/fleet.git", "", cache});
  REQUIRE_FALSE(plain.ok());
  CHECK_THAT(plain.error().message, Catch::Contains("only https://, file:// and local paths are taken"));
  fs::remove_all(cache);
}
