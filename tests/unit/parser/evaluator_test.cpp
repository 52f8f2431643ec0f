// The evaluator: HCL expressions as Nomad's job parser evaluates them.
#include <catch2/catch.hpp>

#include "parser/eval.hpp"
#include "unit/parser/fake_environment.hpp"

using namespace skiff::parser;

namespace {

struct Evaluated {
  EvaluatedFile file;
  Diagnostics diagnostics;

  const Value& attr(const std::string& name) const {
    const EvalAttribute* a = file.body.attribute(name);
    REQUIRE(a != nullptr);
    return a->value;
  }
  std::vector<std::string> headlines() const {
    std::vector<std::string> out;
    for (const auto& d : diagnostics.items()) out.push_back(headline(d));
    return out;
  }
};

Evaluated run(const std::string& text, EvalOptions options = {}, skiff::testing::FakeEnvironment env = {}) {
  Evaluated out;
  options.env = &env;
  out.file = parse_and_evaluate("/jobs/test.hcl", text, options, out.diagnostics);
  return out;
}

Value eval_ok(const std::string& expression) {
  Evaluated e = run("v = " + expression + "\n");
  INFO(expression << "\n" << e.diagnostics.render_all());
  REQUIRE(e.diagnostics.empty());
  return e.attr("v");
}

std::string eval_error(const std::string& text) {
  Evaluated e = run(text);
  REQUIRE_FALSE(e.diagnostics.empty());
  return headline(e.diagnostics.items().front());
}

}  // namespace

TEST_CASE("literals, arithmetic, comparison and logic", "[eval]") {
  CHECK(eval_ok("1 + 2 * 3") == Value::number(7));
  CHECK(eval_ok("(1 + 2) * 3") == Value::number(9));
  CHECK(eval_ok("\"5\" + 1") == Value::number(6));
  CHECK(eval_ok("7 % 3") == Value::number(1));
  CHECK(eval_ok("-4 / 2") == Value::number(-2));
  CHECK(eval_ok("1 == \"1\"") == Value::boolean(false));
  CHECK(eval_ok("[1, 2] == [1, 2]") == Value::boolean(true));
  CHECK(eval_ok("!true || 2 >= 2") == Value::boolean(true));
  CHECK(eval_ok("3 > 4 ? \"a\" : \"b\"") == Value::string("b"));
  CHECK(eval_ok("null") == Value());
}

TEST_CASE("collections, indexing, attributes and splats", "[eval]") {
  CHECK(eval_ok("[1, 2, 3][1]") == Value::number(2));
  CHECK(eval_ok("{a = {b = \"x\"}}.a.b") == Value::string("x"));
  CHECK(eval_ok("{\"k-1\" = 1}[\"k-1\"]") == Value::number(1));
  CHECK(eval_ok("[{n = 1}, {n = 2}][*].n") == Value::list({Value::number(1), Value::number(2)}));
  CHECK(eval_ok("[{n = 1}, {n = 2}].*.n") == Value::list({Value::number(1), Value::number(2)}));
  CHECK(eval_ok("{n = 3}[*].n") == Value::list({Value::number(3)}));
  CHECK(eval_ok("[[1, 2]].0.1") == Value::number(2));
}

TEST_CASE("for expressions filter, map and group", "[eval]") {
  CHECK(eval_ok("[for x in [1, 2, 3] : x * 2 if x > 1]") == Value::list({Value::number(4), Value::number(6)}));
  CHECK(eval_ok("{for k, v in {a = 1, b = 2} : v => k}") ==
        Value::object({{"1", Value::string("a")}, {"2", Value::string("b")}}));
  CHECK(
      eval_ok("{for s in [\"ab\", \"ac\", \"b\"] : substr(s, 0, 1) => s...}") ==
      Value::object({{"a", Value::list({Value::string("ab"), Value::string("ac")})}, {"b", Value::list({Value::string("b")})}}));
  CHECK(eval_ok("[for i, v in [\"x\", \"y\"] : \"${i}=${v}\"]") == Value::list({Value::string("0=x"), Value::string("1=y")}));
}

TEST_CASE("templates render values and directives", "[eval]") {
  CHECK(eval_ok("\"n=${1 + 1}\"") == Value::string("n=2"));
  CHECK(eval_ok("\"${2}\"") == Value::number(2));
  CHECK(eval_ok("\"%{ for x in [1, 2] }[${x}]%{ endfor }\"") == Value::string("[1][2]"));
  CHECK(eval_ok("\"%{ if true }yes%{ else }no%{ endif }\"") == Value::string("yes"));
  Evaluated heredoc = run("v = <<-EOT\n  a ${upper(\"b\")}\n    c\n  EOT\n");
  CHECK(heredoc.attr("v") == Value::string("a B\n  c\n"));
}

// hashicorp/hcl v2 makes each heredoc line a literal token of its own, and
// a strip marker trims only the token beside it; a quoted string is one
// token. (Reference results from hcl v2's hclsyntax.)
TEST_CASE("strip markers trim to the line's end in a heredoc, across lines in a quoted string", "[eval]") {
  Evaluated loop = run("v = <<EOT\n%{ for u in [\"a\",\"b\"] ~}\n  s ${u};\n%{ endfor ~}\nEOT\n");
  CHECK(loop.attr("v") == Value::string("  s a;\n  s b;\n"));
  CHECK(eval_ok("\"%{ for u in [\"a\",\"b\"] ~}\\n  s ${u};\\n%{ endfor ~}\\n\"") == Value::string("s a;\ns b;\n"));

  // ${~ back to the start of its own line; at a line's start, the previous line's end.
  Evaluated indented = run("v = <<EOT\na  \n  ${~ \"b\"}\nEOT\n");
  CHECK(indented.attr("v") == Value::string("a  \nb\n"));
  Evaluated at_start = run("v = <<EOT\na  \n${~ \"b\"}\nEOT\n");
  CHECK(at_start.attr("v") == Value::string("ab\n"));
  CHECK(eval_ok("\"a  \\n  ${~ \"b\"}\\n\"") == Value::string("ab\n"));

  // if / else: each marker trims its neighbour token only.
  Evaluated branch = run("v = <<EOT\n%{ if true ~}\n  yes\n%{~ else ~}\n  no\n%{~ endif }\nEOT\n");
  CHECK(branch.attr("v") == Value::string("  yes\n"));
}

TEST_CASE("runtime interpolations stay verbatim", "[eval]") {
  Evaluated e =
      run("a = \"${NOMAD_ALLOC_ID}-x\"\n"
          "b = \"${attr.kernel.name}\"\n"
          "c = \"http://${NOMAD_ADDR_http}/${var.path}\"\n"
          "d = [\"${meta.rack}\", 1]\n"
          "e = \"${upper(node.datacenter)}\"\n"
          "f = node.unique.name\n"
          "variable \"path\" {\n  default = \"health\"\n}\n");
  INFO(e.diagnostics.render_all());
  REQUIRE(e.diagnostics.empty());
  CHECK(e.attr("a") == Value::string("${NOMAD_ALLOC_ID}-x"));
  CHECK(e.attr("b") == Value::string("${attr.kernel.name}"));
  CHECK(e.attr("c") == Value::string("http://${NOMAD_ADDR_http}/health"));
  CHECK(e.attr("d") == Value::list({Value::string("${meta.rack}"), Value::number(1)}));
  CHECK(e.attr("e") == Value::string("${upper(node.datacenter)}"));
  CHECK(e.attr("f") == Value::string("${node.unique.name}"));
  std::vector<std::string> roots;
  for (const auto& r : e.file.runtime_references) roots.push_back(r.root);
  CHECK(roots == std::vector<std::string>{"NOMAD_ALLOC_ID", "attr", "NOMAD_ADDR_http", "meta", "node", "node"});
}

TEST_CASE("variables: default < NOMAD_VAR_ < -var-file < -var, typed", "[eval]") {
  const std::string text =
      "variable \"count\" {\n  type = number\n  default = 1\n}\n"
      "variable \"tags\" {\n  type = list(string)\n  default = []\n}\n"
      "variable \"region\" {\n  default = \"eu\"\n}\n"
      "a = var.count + 1\nb = var.tags\nc = var.region\n";
  CHECK(run(text).attr("a") == Value::number(2));
  skiff::testing::FakeEnvironment env;
  env.with_variable("NOMAD_VAR_count", "5").with_variable("NOMAD_VAR_region", "us");
  env.with_file("/jobs/prod.vars", "tags = [\"a\", 2]\nregion = \"ap\"\n");
  EvalOptions options;
  options.var_files = {"/jobs/prod.vars"};
  Evaluated e = run(text, options, env);
  INFO(e.diagnostics.render_all());
  CHECK(e.attr("a") == Value::number(6));
  CHECK(e.attr("b") == Value::list({Value::string("a"), Value::string("2")}, ListFlavour::kList));
  CHECK(e.attr("c") == Value::string("ap"));
  options.cli_vars = {{"count", "10"}, {"tags", "[\"z\"]"}};
  Evaluated f = run(text, options, env);
  CHECK(f.attr("a") == Value::number(11));
  CHECK(f.attr("b") == Value::list({Value::string("z")}, ListFlavour::kList));
}

TEST_CASE("locals are lazy and cycles are named", "[eval]") {
  Evaluated e = run("locals {\n  b = local.a * 2\n  a = 21\n}\nv = local.b\n");
  CHECK(e.attr("v") == Value::number(42));
  CHECK(eval_error("locals {\n  a = local.b\n  b = local.a\n}\n") ==
        "/jobs/test.hcl:2:3: error: cycle in local values: local.a -> local.b -> local.a");
}

TEST_CASE("dynamic blocks expand in place with their iterator", "[eval]") {
  Evaluated e =
      run("group \"g\" {\n"
          "  dynamic \"port\" {\n    for_each = [\"http\", \"admin\"]\n    iterator = p\n    labels = [p.value]\n"
          "    content {\n      to = p.key + 8080\n    }\n  }\n}\n");
  INFO(e.diagnostics.render_all());
  REQUIRE(e.diagnostics.empty());
  const EvalBody& group = *e.file.body.blocks.at(0).body;
  REQUIRE(group.blocks.size() == 2);
  CHECK(group.blocks[0].type == "port");
  CHECK(group.blocks[0].labels == std::vector<std::string>{"http"});
  CHECK(group.blocks[1].body->attribute("to")->value == Value::number(8081));
}

TEST_CASE("can, try and convert", "[eval]") {
  CHECK(eval_ok("can(var.nope)") == Value::boolean(false));
  CHECK(eval_ok("can(1 + 1)") == Value::boolean(true));
  CHECK(eval_ok("try([][0], \"fallback\")") == Value::string("fallback"));
  CHECK(eval_ok("convert([\"1\", \"2\"], list(number))") ==
        Value::list({Value::number(1), Value::number(2)}, ListFlavour::kList));
  CHECK(eval_ok("convert({a = 1}, map(string))") == Value::object({{"a", Value::string("1")}}, ObjectFlavour::kMap));
}

TEST_CASE("evaluation errors name the place and the cause", "[eval]") {
  CHECK(eval_error("v = var.regoin\nvariable \"region\" {\n  default = \"eu\"\n}\n") ==
        "/jobs/test.hcl:1:5: error: reference to undeclared input variable \"regoin\"; did you mean \"region\"?");
  CHECK(eval_error("v = local.x\n") == "/jobs/test.hcl:1:5: error: reference to undeclared local value \"x\"");
  CHECK(eval_error("v = uper(\"a\")\n") ==
        "/jobs/test.hcl:1:5: error: call to unknown function \"uper\"; did you mean \"upper\"?");
  CHECK(eval_error("v = upper()\n") == "/jobs/test.hcl:1:5: error: function \"upper\" takes 1 argument, not 0");
  CHECK(eval_error("v = 1 + true\n") == "/jobs/test.hcl:1:9: error: invalid operand for \"+\": a number is required, not bool");
  CHECK(eval_error("v = [1][3]\n") == "/jobs/test.hcl:1:9: error: invalid index: 3 is out of range for a tuple of 1 element");
  CHECK(eval_error("variable \"x\" {}\n") ==
        "/jobs/test.hcl:1:10: error: variable \"x\" has no value: give it a default, or set it with -var x=..., a -var-file, or "
        "NOMAD_VAR_x");
  CHECK(eval_error("variable \"n\" {\n  type = number\n  default = \"abc\"\n}\n") ==
        "/jobs/test.hcl:1:10: error: invalid value for variable \"n\": a number is required (type number)");
  CHECK(eval_error("variable \"n\" {\n  default = 1\n  validation {\n    condition = var.n > 5\n    error_message = \"n must "
                   "exceed 5.\"\n  }\n}\n") == "/jobs/test.hcl:4:17: error: invalid value for variable \"n\": n must exceed 5.");
  CHECK(eval_error("v = \"x${[1]}\"\n") ==
        "/jobs/test.hcl:1:9: error: invalid template interpolation: cannot include a tuple in a string");
}

TEST_CASE("a job file's uuidv4() without random bytes is a diagnostic, not a value", "[eval]") {
  skiff::testing::FakeEnvironment env;
  env.random_failure = skiff::make_error(skiff::ErrorCode::kIo, "random bytes: read /dev/urandom: Input/output error");
  Evaluated e = run("id = uuidv4()\n", {}, env);
  REQUIRE(e.headlines().size() == 1);
  CHECK(e.headlines().front() ==
        "/jobs/test.hcl:1:6: error: Call to function \"uuidv4\" failed: could not read random bytes: random bytes: read "
        "/dev/urandom: Input/output error.");
}
