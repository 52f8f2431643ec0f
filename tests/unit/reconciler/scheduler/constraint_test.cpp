#include "reconciler/scheduler/constraint.hpp"

#include <catch2/catch.hpp>

#include "reconciler/scheduler/version.hpp"

using namespace skiff::reconciler;
using namespace skiff::reconciler::scheduler;

namespace {

bool check(const std::string& op, const std::string& left, const std::string& right) {
  return check_constraint(op, &left, &right);
}

bool check_missing(const std::string& op, const std::string& right) { return check_constraint(op, nullptr, &right); }

}  // namespace

TEST_CASE("equality operators compare whole values", "[reconciler][constraint]") {
  CHECK(check("=", "linux", "linux"));
  CHECK_FALSE(check("=", "linux", "Linux"));
  CHECK(check("!=", "linux", "windows"));
  CHECK_FALSE(check("!=", "linux", "linux"));
  CHECK_FALSE(check_missing("=", "linux"));
}

TEST_CASE("a missing attribute passes != as in Nomad, and nothing else but is_not_set", "[reconciler][constraint]") {
  CHECK(check_missing("!=", "ssd"));
  CHECK_FALSE(check_constraint("!=", nullptr, nullptr));
  for (const char* op : {"=", "<", "<=", ">", ">=", "regexp", "set_contains", "set_contains_all", "set_contains_any", "version",
                         "semver", "is_set"}) {
    INFO(op);
    CHECK_FALSE(check_missing(op, "1"));
  }
  CHECK(check_missing("is_not_set", ""));
  CHECK_FALSE(check("is_not_set", "x", ""));
  CHECK(check("is_set", "x", ""));
  CHECK_FALSE(check("no_such_operator", "x", "x"));
}

TEST_CASE("ordering is numeric when both sides are numbers, else lexical", "[reconciler][constraint]") {
  CHECK(check("<", "9", "10"));         // numbers: 9 < 10
  CHECK_FALSE(check("<", "9", "10a"));  // lexical: "9" > "10a"
  CHECK(check(">", "9", "10a"));
  CHECK(check("<=", "2.5", "10"));  // floats
  CHECK(check(">=", "10", "10"));
  CHECK_FALSE(check(">", "10", "10"));
  CHECK(check("<", "abc", "abd"));
  CHECK_FALSE(check(">=", "abc", "abd"));
  CHECK(check("<=", "-3", "2"));
}

TEST_CASE("regexp matches anywhere unless anchored", "[reconciler][constraint]") {
  CHECK(check("regexp", "rack-12", "rack-1"));
  CHECK(check("regexp", "rack-12", "^rack-[0-9]+$"));
  CHECK_FALSE(check("regexp", "rack-12", "^rack-1$"));
  CHECK_FALSE(check("regexp", "rack-12", "(unclosed"));  // a bad pattern matches nothing
  std::string pattern = "^r[a-z]+-2";
  ConstraintCheck compiled("regexp", &pattern);
  std::string yes = "rack-2", no = "rack-3";
  CHECK(compiled.matches(&yes));
  CHECK_FALSE(compiled.matches(&no));
  CHECK_FALSE(compiled.matches(nullptr));
}

TEST_CASE("set_contains needs every item, set_contains_any one", "[reconciler][constraint]") {
  CHECK(check("set_contains", "a, b,c", "c,a"));
  CHECK_FALSE(check("set_contains", "a,b", "a,d"));
  CHECK(check("set_contains_all", "a,b", "b"));
  CHECK(check("set_contains_any", "a,b", "d, b"));
  CHECK_FALSE(check("set_contains_any", "a,b", "c,d"));
}

TEST_CASE("version constraints follow go-version", "[reconciler][constraint]") {
  CHECK(check("version", "1.2.3", ">= 1.2, < 2.0"));
  CHECK_FALSE(check("version", "2.0.0", ">= 1.2, < 2.0"));
  CHECK(check("version", "v1.10", "> 1.9"));
  CHECK(check("version", "1.2", "= 1.2.0"));
  CHECK(check("version", "1.2.9", "~> 1.2.3"));
  CHECK_FALSE(check("version", "1.3.0", "~> 1.2.3"));
  CHECK(check("version", "1.9", "~> 1.2"));
  CHECK_FALSE(check("version", "2.0", "~> 1.2"));
  CHECK(check("version", "1.4", "!= 1.3"));
  CHECK_FALSE(check("version", "not-a-version", ">= 1.0"));
  CHECK_FALSE(check("version", "1.0", "between 1 and 2"));
  // Prereleases only match parts about the same release.
  CHECK_FALSE(check("version", "1.5.0-beta1", ">= 1.0"));
  CHECK(check("version", "1.5.0-beta1", ">= 1.5.0-alpha"));
  CHECK_FALSE(check("version", "1.6.0-beta1", ">= 1.5.0-alpha"));
  CHECK(check("version", "1.5.0+build7", "= 1.5.0"));
}

TEST_CASE("semver constraints order prereleases by SemVer", "[reconciler][constraint]") {
  CHECK(check("semver", "1.5.0-beta1", ">= 1.0"));
  CHECK(check("semver", "1.0.0-rc.1", "< 1.0.0"));
  CHECK_FALSE(check("semver", "1.0.0", "< 1.0.0"));
  CHECK_FALSE(check("semver", "1.2.3.4", ">= 1.0"));  // four segments are not SemVer
  CHECK(check("version", "1.2.3.4", ">= 1.0"));
}

TEST_CASE("prerelease identifiers compare as SemVer says", "[reconciler][constraint]") {
  auto v = [](const char* s) { return *parse_version(s, VersionFlavor::kSemver); };
  CHECK(compare_versions(v("1.0.0-alpha"), v("1.0.0-alpha.1")) < 0);
  CHECK(compare_versions(v("1.0.0-alpha.1"), v("1.0.0-alpha.beta")) < 0);
  CHECK(compare_versions(v("1.0.0-beta.2"), v("1.0.0-beta.11")) < 0);
  CHECK(compare_versions(v("1.0.0-rc.1"), v("1.0.0")) < 0);
  CHECK(compare_versions(v("1.0.0"), v("1.0")) == 0);
  CHECK(compare_versions(v("2.0.0"), v("1.99.99")) > 0);
}

TEST_CASE("references resolve against the node; literals are themselves", "[reconciler][constraint]") {
  Node node;
  node.name = "web-1";
  node.datacenter = "eu-1";
  node.node_class = "big";
  node.node_pool = "prod";
  node.attributes = {{"kernel.name", "linux"}};
  node.meta = {{"rack", "r7"}};
  CHECK(*resolve_target(node, "${attr.kernel.name}") == "linux");
  CHECK(*resolve_target(node, "${meta.rack}") == "r7");
  CHECK(*resolve_target(node, "${node.unique.name}") == "web-1");
  CHECK(*resolve_target(node, "${node.unique.id}") == "web-1");
  CHECK(*resolve_target(node, "${node.datacenter}") == "eu-1");
  CHECK(*resolve_target(node, "${node.class}") == "big");
  CHECK(*resolve_target(node, "${node.pool}") == "prod");
  CHECK(*resolve_target(node, "literal") == "literal");
  CHECK(resolve_target(node, "${attr.missing}") == nullptr);
  CHECK(resolve_target(node, "${meta.missing}") == nullptr);
  CHECK(resolve_target(node, "${env.HOME}") == nullptr);
}
