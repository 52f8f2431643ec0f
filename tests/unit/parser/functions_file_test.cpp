// File functions: reading through the Environment, relative to the job
// file's directory, never outside the job's directory tree, not even
// through a symbolic link (those tests use the real file system).
#include <unistd.h>

#include <filesystem>

#include "functions_test_support.hpp"
#include "parser/environment.hpp"
#include "support/test_files.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  FakeEnvironment env;
  FunctionContext ctx;
  Fixture() {
    env.with_file("/jobs/web/web.hcl", "job \"web\" {}")
        .with_file("/jobs/web/templates/index.html", "<h1>hi</h1>\n")
        .with_file("/jobs/web/templates/nested/deep.tpl", "deep")
        .with_file("/jobs/web/templates/nested/deeper/x.tpl", "x")
        .with_file("/jobs/web/templates/a.tpl", "a")
        .with_file("/jobs/web/bin/blob", std::string("\xff\xfe\x00\x01", 4))
        .with_file("/jobs/shared/common.conf", "shared")
        .with_file("/jobs/web/.hidden", "h")
        .with_file("/home/tester/.ssh/id_rsa", "secret")
        .with_file("/etc/passwd", "root:x:0:0");
    ctx.env = &env;
    ctx.base_dir = "/jobs/web";
  }
};

}  // namespace

TEST_CASE("file reads relative to the job file's directory", "[functions]") {
  Fixture f;
  CHECK(call_ok("file", {S("templates/index.html")}, f.ctx) == S("<h1>hi</h1>\n"));
  CHECK(call_ok("file", {S("./templates/../web.hcl")}, f.ctx) == S("job \"web\" {}"));
  CHECK(call_ok("file", {S("/jobs/web/templates/a.tpl")}, f.ctx) == S("a"));
  CHECK(f.env.reads().back() == "/jobs/web/templates/a.tpl");
  CHECK(call_error("file", {S("missing.txt")}, f.ctx) ==
        "Call to function \"file\" failed: no file exists at /jobs/web/missing.txt.");
  CHECK(call_error("file", {S("bin/blob")}, f.ctx).find("are not valid UTF-8; use the filebase64 function") != std::string::npos);
  CHECK(call_ok("filebase64", {S("bin/blob")}, f.ctx) == S("//4AAQ=="));
}

TEST_CASE("file functions refuse paths outside the job's tree", "[functions]") {
  Fixture f;
  FunctionFailure up = call_fail("file", {S("../shared/common.conf")}, f.ctx);
  CHECK(up.argument == 0);
  CHECK(up.message ==
        "Invalid value for \"path\" parameter: the path \"../shared/common.conf\" resolves to "
        "/jobs/shared/common.conf, which is outside the job's directory tree (/jobs/web); file functions may only "
        "read files below it.");
  CHECK(call_fail("file", {S("/etc/passwd")}, f.ctx).argument == 0);
  CHECK(call_fail("file", {S("~/.ssh/id_rsa")}, f.ctx).argument == 0);
  CHECK(call_fail("fileexists", {S("../../etc/passwd")}, f.ctx).argument == 0);
  CHECK(call_fail("filebase64", {S("templates/../../shared/common.conf")}, f.ctx).argument == 0);
  CHECK(call_fail("fileset", {S(".."), S("*")}, f.ctx).argument == 0);
  CHECK(call_fail("fileset", {S("."), S("../shared/*")}, f.ctx).argument == 1);
  for (const std::string& read : f.env.reads()) CHECK(read.rfind("/jobs/web/", 0) == 0);

  // A wider root lets the same call through.
  f.ctx.root_dir = "/jobs";
  CHECK(call_ok("file", {S("../shared/common.conf")}, f.ctx) == S("shared"));
  CHECK(call_ok("fileset", {S("."), S("../shared/*")}, f.ctx) == T({S("../shared/common.conf")}));
}

TEST_CASE("relative base and root directories resolve against the current directory", "[functions]") {
  Fixture f;
  f.env.cwd = "/jobs";
  f.ctx.base_dir = "web";
  CHECK(call_ok("file", {S("templates/a.tpl")}, f.ctx) == S("a"));
  CHECK(call_fail("file", {S("../shared/common.conf")}, f.ctx).argument == 0);
}

TEST_CASE("fileexists", "[functions]") {
  Fixture f;
  CHECK(call_ok("fileexists", {S("templates/a.tpl")}, f.ctx) == B(true));
  CHECK(call_ok("fileexists", {S("templates/nope.tpl")}, f.ctx) == B(false));
}

TEST_CASE("fileset globs with *, **, ?, [...] and {a,b}", "[functions]") {
  Fixture f;
  Value all = call_ok("fileset", {S("templates"), S("**")}, f.ctx);
  CHECK(all == T({S("a.tpl"), S("index.html"), S("nested/deep.tpl"), S("nested/deeper/x.tpl")}));
  CHECK(all.list_flavour() == ListFlavour::kSet);
  CHECK(call_ok("fileset", {S("templates"), S("*.tpl")}, f.ctx) == T({S("a.tpl")}));
  CHECK(call_ok("fileset", {S("templates"), S("**/*.tpl")}, f.ctx) ==
        T({S("a.tpl"), S("nested/deep.tpl"), S("nested/deeper/x.tpl")}));
  CHECK(call_ok("fileset", {S("."), S("templates/*/*.tpl")}, f.ctx) == T({S("templates/nested/deep.tpl")}));
  CHECK(call_ok("fileset", {S("templates"), S("?.tpl")}, f.ctx) == T({S("a.tpl")}));
  CHECK(call_ok("fileset", {S("templates"), S("[a-c].*")}, f.ctx) == T({S("a.tpl")}));
  CHECK(call_ok("fileset", {S("templates"), S("[!a]*")}, f.ctx) == T({S("index.html")}));
  CHECK(call_ok("fileset", {S("templates"), S("{a.tpl,index.html}")}, f.ctx) == T({S("a.tpl"), S("index.html")}));
  CHECK(call_ok("fileset", {S("/jobs/web"), S("*")}, f.ctx) == T({S(".hidden"), S("web.hcl")}));
  CHECK(call_ok("fileset", {S("templates"), S("*.none")}, f.ctx) == T({}));
  CHECK(call_error("fileset", {S("templates"), S("[a")}, f.ctx).find("failed to glob pattern") != std::string::npos);
}

TEST_CASE("basename, dirname, abspath and pathexpand compute paths", "[functions]") {
  Fixture f;
  CHECK(call_ok("basename", {S("foo/bar/baz.txt")}) == S("baz.txt"));
  CHECK(call_ok("basename", {S("/foo/bar/")}) == S("bar"));
  CHECK(call_ok("basename", {S("")}) == S("."));
  CHECK(call_ok("basename", {S("///")}) == S("/"));
  CHECK(call_ok("dirname", {S("foo/bar/baz.txt")}) == S("foo/bar"));
  CHECK(call_ok("dirname", {S("/foo//bar/")}) == S("/foo/bar"));
  CHECK(call_ok("dirname", {S("baz.txt")}) == S("."));
  CHECK(call_ok("dirname", {S("/baz.txt")}) == S("/"));
  CHECK(call_ok("abspath", {S("a/../b/./c")}, f.ctx) == S("/work/b/c"));
  CHECK(call_ok("abspath", {S("/x/y/..")}, f.ctx) == S("/x"));
  CHECK(call_ok("pathexpand", {S("~/.ssh/id_rsa")}, f.ctx) == S("/home/tester/.ssh/id_rsa"));
  CHECK(call_ok("pathexpand", {S("~")}, f.ctx) == S("/home/tester"));
  CHECK(call_ok("pathexpand", {S("/etc/~x")}, f.ctx) == S("/etc/~x"));
  CHECK(call_error("pathexpand", {S("~root/x")}, f.ctx) ==
        "Call to function \"pathexpand\" failed: cannot expand user-specific home dir.");
}

namespace {

// A job folder on disk, beside a secret outside it, holding symbolic links
// that point out (relative, absolute, to a folder, dangling, looping) and
// in.
struct LinkedJobFolder {
  fs::path top = fs::temp_directory_path() / ("skiff-file-links-" + std::to_string(::getpid()));
  fs::path web = top / "jobs" / "web";
  fs::path secret = top / "outside" / "secret";
  OsEnvironment env;
  FunctionContext ctx;
  LinkedJobFolder() {
    fs::remove_all(top);
    skiff::testing::write_test_file(web / "web.hcl", "job \"web\" {}");
    skiff::testing::write_test_file(web / "templates" / "a.tpl", "a");
    skiff::testing::write_test_file(secret, "root:$6$hash");
    fs::create_symlink("../../outside/secret", web / "k");
    fs::create_symlink(secret, web / "absolute");
    fs::create_symlink(top / "outside", web / "out");
    fs::create_symlink(top / "outside" / "not-yet", web / "dangling");
    fs::create_symlink("loop", web / "loop");
    fs::create_symlink("templates/a.tpl", web / "inside");
    fs::create_symlink("templates", web / "tpl");
    fs::create_symlink(web, top / "web-link");
    ctx.env = &env;
    ctx.base_dir = web.string();
  }
  ~LinkedJobFolder() { fs::remove_all(top); }
};

}  // namespace

TEST_CASE("file functions refuse a symbolic link that points outside the job's tree", "[functions]") {
  LinkedJobFolder f;
  const std::string real_secret = fs::canonical(f.secret).string();
  const std::string real_web = fs::canonical(f.web).string();
  FunctionFailure out = call_fail("file", {S("k")}, f.ctx);
  CHECK(out.argument == 0);
  CHECK(out.message ==
        "Invalid value for \"path\" parameter: the path \"k\" resolves through a symbolic link to " + real_secret +
            ", which is outside the job's directory tree (" + real_web +
            "); file functions may only read files below it, and a link may only point inside it.");
  CHECK(call_fail("file", {S("absolute")}, f.ctx).argument == 0);
  CHECK(call_fail("filebase64", {S("k")}, f.ctx).argument == 0);
  CHECK(call_fail("file", {S("out/secret")}, f.ctx).argument == 0);
  // Whether the operator's file exists is not the job's to learn either.
  CHECK(call_fail("fileexists", {S("k")}, f.ctx).argument == 0);
  CHECK(call_fail("fileexists", {S("dangling")}, f.ctx).argument == 0);
  CHECK(call_fail("fileset", {S("out"), S("*")}, f.ctx).argument == 0);
  FunctionFailure pattern = call_fail("fileset", {S("."), S("out/*")}, f.ctx);
  CHECK(pattern.argument == 1);
  CHECK_THAT(pattern.message,
             Catch::Contains("resolves through a symbolic link to " + fs::canonical(f.top / "outside").string()));
  CHECK_THAT(call_error("file", {S("loop")}, f.ctx), Catch::Contains("the path \"loop\" cannot be resolved"));
}

TEST_CASE("file functions follow a symbolic link that stays inside the job's tree", "[functions]") {
  LinkedJobFolder f;
  CHECK(call_ok("file", {S("inside")}, f.ctx) == S("a"));
  CHECK(call_ok("file", {S("tpl/a.tpl")}, f.ctx) == S("a"));
  CHECK(call_ok("fileexists", {S("inside")}, f.ctx) == B(true));
  CHECK(call_ok("fileset", {S("tpl"), S("*")}, f.ctx) == T({S("a.tpl")}));
  CHECK(call_ok("fileset", {S("."), S("tpl/*")}, f.ctx) == T({S("tpl/a.tpl")}));
  // The job folder reached through a link of its own: its real path is the
  // root, and the same links are judged against it.
  f.ctx.base_dir = (f.top / "web-link").string();
  CHECK(call_ok("file", {S("templates/a.tpl")}, f.ctx) == S("a"));
  CHECK(call_ok("file", {S("inside")}, f.ctx) == S("a"));
  CHECK(call_fail("file", {S("k")}, f.ctx).argument == 0);
}
