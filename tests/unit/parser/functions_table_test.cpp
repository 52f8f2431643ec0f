// The function table itself: exactly Nomad's names, arities, no extras, and
// no exception ever escaping a call.
#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

TEST_CASE("the table holds exactly the functions of Nomad's job parser", "[functions]") {
  // jobspec2/functions.go, minus the special forms the evaluator handles
  // (can, try, convert) and rsadecrypt, which skiff leaves out.
  // The table reads best as a table.
  // clang-format off
  std::vector<std::string> expected = {
      "abs",        "abspath",      "base64decode", "base64encode", "basename",   "bcrypt",       "ceil",
      "chomp",      "chunklist",    "cidrhost",     "cidrnetmask",  "cidrsubnet", "cidrsubnets",  "coalesce",
      "coalescelist", "compact",    "concat",       "contains",     "csvdecode",  "dirname",      "distinct",
      "element",    "file",         "filebase64",   "fileexists",   "fileset",    "flatten",      "floor",
      "format",     "formatdate",   "formatlist",   "indent",       "index",      "join",         "jsondecode",
      "jsonencode", "keys",         "length",       "log",          "lookup",     "lower",        "max",
      "md5",        "merge",        "min",          "parseint",     "pathexpand", "pow",          "range",
      "regex_replace", "replace",   "reverse",      "setintersection", "setproduct", "setunion",  "sha1",
      "sha256",     "sha512",       "signum",       "slice",        "sort",       "split",        "strlen",
      "strrev",     "substr",       "timeadd",      "title",        "trim",       "trimprefix",   "trimspace",
      "trimsuffix", "upper",        "urlencode",    "uuidv4",       "uuidv5",     "values",       "yamldecode",
      "yamlencode", "zipmap",
  };
  // clang-format on
  std::sort(expected.begin(), expected.end());
  CHECK(function_names() == expected);
  for (const std::string& name : expected) {
    const FunctionDef* def = find_function(name);
    REQUIRE(def != nullptr);
    CHECK(def->name == name);
    CHECK_FALSE(def->accepts_unknown);
    CHECK(def->call);
  }
  for (const char* absent : {"can", "try", "convert", "tolist", "timestamp", "regex", "templatefile", "sum", "Upper"}) {
    CHECK(find_function(absent) == nullptr);
  }
}

TEST_CASE("arity follows cty's parameter lists", "[functions]") {
  const FunctionDef* substr = find_function("substr");
  CHECK(substr->min_args == 3);
  CHECK(substr->max_args == 3);
  CHECK_FALSE(substr->variadic);
  const FunctionDef* join = find_function("join");
  CHECK(join->min_args == 1);
  CHECK(join->variadic);
  CHECK(find_function("uuidv4")->max_args == 0);
  CHECK(find_function("format")->variadic);
  CHECK(find_function("merge")->min_args == 0);
}

TEST_CASE("no exception escapes a call, whatever the arguments", "[functions]") {
  FakeEnvironment env;
  env.with_file("/job/x.txt", "x");
  FunctionContext ctx;
  ctx.env = &env;
  ctx.base_dir = "/job";
  std::vector<Value> samples = {Null(),        S(""),
                                S("abc"),      S("12"),
                                N(-1),         N(0.5),
                                N(1e300),      B(true),
                                T({}),         T({S("a"), N(1)}),
                                Set({S("x")}), Obj({{"a", S("b")}}),
                                Map({}),       Value::unknown("var.x")};
  for (const std::string& name : function_names()) {
    const FunctionDef* def = find_function(name);
    size_t arity = def->variadic ? def->min_args + 1 : def->max_args;
    // Every sample in every position, one position at a time.
    for (size_t position = 0; position < std::max<size_t>(arity, 1); ++position) {
      for (const Value& sample : samples) {
        if (name == "bcrypt" && sample.is_number()) continue;  // slow or huge costs, covered elsewhere
        ValueList args(arity, S("1"));
        if (arity > 0) args[position] = sample;
        INFO(name << " argument " << position << " = " << sample.debug_string());
        CHECK_NOTHROW(def->call(std::span<const Value>(args), ctx));
      }
    }
  }
}

TEST_CASE("absurd arguments give errors instead of exhausting memory", "[functions]") {
  CHECK(call_error("format", {S("%999999999d"), N(1)}) ==
        "Call to function \"format\" failed: width or precision too large at offset 6.");
  CHECK(call_ok("format", {S("%.600f"), N(1)}).as_string().size() == 602);
  CHECK(call_fail("indent", {N(1e9), S("a\nb\nc")}).argument == 0);
  ValueList many;
  for (int i = 0; i < 200; ++i) many.push_back(N(i));
  CHECK(call_error("setproduct", {T(many), T(many), T(many)}) ==
        "Call to function \"setproduct\" failed: the product would be too large.");
  std::string deep_json(5000, '[');
  CHECK(call_error("jsondecode", {S(deep_json)}) ==
        "Call to function \"jsondecode\" failed: JSON nesting is deeper than 1000 levels.");
  std::string deep_yaml(5000, '[');
  CHECK(call_error("yamldecode", {S(deep_yaml + std::string(5000, ']'))}).find("nesting is deeper than 1000") !=
        std::string::npos);
}

TEST_CASE("a call with the wrong number of arguments fails instead of reading past them", "[functions]") {
  CHECK(call_error("substr", {S("abc")}) == "Call to function \"substr\" failed: wrong number of arguments (1).");
  CHECK(call_error("upper", {S("a"), S("b")}) == "Call to function \"upper\" failed: wrong number of arguments (2).");
}
