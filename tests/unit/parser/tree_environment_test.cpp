// TreeEnvironment: a commit's files as the evaluator's file system. A job
// file's file() reads the commit's bytes, never the machine's, and a path
// that climbs out of the tree names nothing.
#include "parser/tree_environment.hpp"

#include <catch2/catch.hpp>

#include "parser/eval.hpp"
#include "unit/parser/fake_environment.hpp"

using namespace skiff::parser;

namespace {

TreeEnvironment tree(const Environment& outside) {
  return TreeEnvironment({{"deploy/jobs/web.nomad.hcl", "job"},
                          {"deploy/jobs/conf/app.ini", "port = 8080\n"},
                          {"deploy/hosts.hcl", "host"},
                          {"README.md", "# fleet"}},
                         "commit 1a2b3c4d5e6f", outside);
}

}  // namespace

TEST_CASE("tree environment: paths relative to the root or absolute name the same file; nothing outside it", "[tree]") {
  skiff::testing::FakeEnvironment outside;
  outside.with_file("/etc/passwd", "root:x:0:0");
  const TreeEnvironment env = tree(outside);
  CHECK(*env.read_file("deploy/jobs/conf/app.ini") == "port = 8080\n");
  CHECK(*env.read_file("/deploy/jobs/./conf/../conf/app.ini") == "port = 8080\n");
  CHECK(env.file_exists("/README.md"));
  CHECK_FALSE(env.file_exists("deploy/jobs"));  // a folder is no file
  auto missing = env.read_file("/etc/passwd");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "open /etc/passwd: no such file in commit 1a2b3c4d5e6f");
  CHECK_FALSE(env.read_file("../README.md").ok());
  CHECK_FALSE(env.read_file("deploy/../../README.md").ok());
  CHECK(env.real_path("/deploy/jobs/../hosts.hcl") == "/deploy/hosts.hcl");
  CHECK(env.real_path("/deploy/../..") == std::nullopt);
  CHECK(env.list_files_recursive("/deploy/jobs") == std::vector<std::string>{"conf/app.ini", "web.nomad.hcl"});
  CHECK(env.list_files_recursive("deploy").size() == 3);
  CHECK(env.list_files_recursive("/").size() == 4);
  CHECK(env.list_files_recursive("/dep").empty());
  CHECK(env.current_dir() == "/");
}

TEST_CASE("tree environment: file() and fileset() in a job file read the commit's files", "[tree]") {
  skiff::testing::FakeEnvironment outside;
  const TreeEnvironment env = tree(outside);
  EvalOptions options;
  options.env = &env;
  options.root_dir = "deploy/jobs";
  Diagnostics diagnostics;
  EvaluatedFile file = parse_and_evaluate("deploy/jobs/web.nomad.hcl",
                                          "conf  = file(\"conf/app.ini\")\n"
                                          "files = fileset(\".\", \"**/*.ini\")\n",
                                          options, diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE_FALSE(diagnostics.has_errors());
  CHECK(file.body.attribute("conf")->value.as_string() == "port = 8080\n");
  REQUIRE(file.body.attribute("files")->value.as_list().size() == 1);
  CHECK(file.body.attribute("files")->value.as_list()[0].as_string() == "conf/app.ini");

  Diagnostics outside_the_folder;
  parse_and_evaluate("deploy/jobs/web.nomad.hcl", "x = file(\"../../README.md\")\n", options, outside_the_folder);
  CHECK(outside_the_folder.has_errors());
}
