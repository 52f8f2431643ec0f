// The tree-sitter → syntax tree builder: shapes, decoded literals, ranges.
#include <catch2/catch.hpp>

#include "parser/syntax.hpp"

using namespace skiff::parser;

namespace {

SyntaxFile parse_ok(const std::string& text) {
  Diagnostics diagnostics;
  SyntaxFile file = parse_hcl("test.hcl", text, diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(diagnostics.empty());
  return file;
}

std::string first_error(const std::string& text) {
  Diagnostics diagnostics;
  parse_hcl("bad.hcl", text, diagnostics);
  REQUIRE_FALSE(diagnostics.empty());
  return headline(diagnostics.items().front());
}

const Expr& attr(const SyntaxFile& file, const std::string& name) {
  for (const auto& a : file.body.attributes)
    if (a.name == name) return *a.expr;
  FAIL("no attribute " << name);
  throw;
}

}  // namespace

TEST_CASE("blocks keep their type, labels and ranges", "[syntax]") {
  SyntaxFile file = parse_ok("job \"web\" {\n  group cache {\n    count = 2\n  }\n}\n");
  REQUIRE(file.body.blocks.size() == 1);
  const Block& job = file.body.blocks[0];
  CHECK(job.type == "job");
  CHECK(job.labels == std::vector<std::string>{"web"});
  const Block& group = job.body->blocks.at(0);
  CHECK(group.labels == std::vector<std::string>{"cache"});
  CHECK(group.type_range.begin.line == 2);
  CHECK(group.type_range.begin.column == 3);
  CHECK(group.body->attributes.at(0).name == "count");
}

TEST_CASE("binary operands with traversals are split at the operator", "[syntax]") {
  SyntaxFile file = parse_ok("a = x.y + z[0] * 2\n");
  const Expr& sum = attr(file, "a");
  REQUIRE(sum.kind == ExprKind::kBinary);
  CHECK(sum.binary_op == BinaryOp::kAdd);
  CHECK(sum.lhs->kind == ExprKind::kGetAttr);
  CHECK(sum.lhs->name == "y");
  REQUIRE(sum.rhs->kind == ExprKind::kBinary);
  CHECK(sum.rhs->binary_op == BinaryOp::kMul);
  CHECK(sum.rhs->lhs->kind == ExprKind::kIndex);
  CHECK(source_text(*file.file, *sum.rhs) == "z[0] * 2");
}

TEST_CASE("quoted strings decode escapes and literal ${ and %{", "[syntax]") {
  SyntaxFile file = parse_ok("a = \"tab\\t\\\"q\\\" \\u00e9 $${lit} %%{lit}\"\n");
  const Expr& a = attr(file, "a");
  REQUIRE(a.kind == ExprKind::kLiteral);
  CHECK(a.literal.as_string() == "tab\t\"q\" \xc3\xa9 ${lit} %{lit}");
}

TEST_CASE("templates keep whitespace between parts and apply strip markers", "[syntax]") {
  SyntaxFile file = parse_ok("a = \"a ${~ x ~} b ${y} c\"\n");
  const Expr& a = attr(file, "a");
  REQUIRE(a.kind == ExprKind::kTemplate);
  REQUIRE(a.parts.size() == 5);
  CHECK(a.parts[0].literal == "a");
  CHECK(a.parts[1].kind == TemplatePart::Kind::kInterpolation);
  CHECK(a.parts[2].literal == "b ");
  CHECK(a.parts[4].literal == " c");
}

TEST_CASE("if and for directives build nested parts", "[syntax]") {
  SyntaxFile file = parse_ok("a = \"%{ for k, v in m ~} [${v}] %{~ endfor }|%{if c}y%{else}n%{endif}\"\n");
  const Expr& a = attr(file, "a");
  REQUIRE(a.parts.size() == 3);
  const TemplatePart& loop = a.parts[0];
  CHECK(loop.kind == TemplatePart::Kind::kFor);
  CHECK(loop.key_var == "k");
  CHECK(loop.value_var == "v");
  REQUIRE(loop.then_parts.size() == 3);
  CHECK(loop.then_parts[0].literal == "[");
  CHECK(loop.then_parts[2].literal == "]");
  const TemplatePart& branch = a.parts[2];
  CHECK(branch.kind == TemplatePart::Kind::kIf);
  CHECK(branch.then_parts.at(0).literal == "y");
  CHECK(branch.else_parts.at(0).literal == "n");
}

TEST_CASE("indented heredocs lose their common indentation and keep escapes raw", "[syntax]") {
  SyntaxFile file = parse_ok("a = <<-EOT\n    one \\n\n      ${two}\n    EOT\nb = <<EOT\n  raw\nEOT\n");
  const Expr& a = attr(file, "a");
  REQUIRE(a.heredoc);
  // One literal a line, as hcl v2 scans a heredoc.
  REQUIRE(a.parts.size() == 4);
  CHECK(a.parts[0].literal == "one \\n\n");
  CHECK(a.parts[1].literal == "  ");
  CHECK(a.parts[2].kind == TemplatePart::Kind::kInterpolation);
  CHECK(a.parts[3].literal == "\n");
  CHECK(attr(file, "b").parts.at(0).literal == "  raw\n");
}

TEST_CASE("splats, legacy indexes, for expressions and calls", "[syntax]") {
  SyntaxFile file = parse_ok("s = xs[*].a[0]\nl = a.0.b\nf = {for k, v in m : k => v... if v}\nc = f(x, y...)\np = (1)\n");
  const Expr& s = attr(file, "s");
  REQUIRE(s.kind == ExprKind::kSplat);
  CHECK(s.full_splat);
  REQUIRE(s.splat_steps.size() == 2);
  CHECK(s.splat_steps[0].name == "a");
  CHECK(s.splat_steps[1].is_index);
  const Expr& l = attr(file, "l");
  CHECK(l.kind == ExprKind::kGetAttr);
  CHECK(l.operand->kind == ExprKind::kIndex);
  CHECK(l.operand->index->literal.as_number() == 0);
  const Expr& f = attr(file, "f");
  CHECK(f.kind == ExprKind::kForObject);
  CHECK(f.group);
  CHECK(f.condition != nullptr);
  const Expr& c = attr(file, "c");
  CHECK(c.expand_final_argument);
  CHECK(c.items.size() == 2);
  CHECK(attr(file, "p").kind == ExprKind::kParens);
}

TEST_CASE("object keys: identifiers are names, other keys are expressions", "[syntax]") {
  SyntaxFile file = parse_ok("o = { a = 1, \"b-c\" = 2, (k) = 3 }\n");
  const Expr& o = attr(file, "o");
  REQUIRE(o.object_items.size() == 3);
  CHECK(o.object_items[0].key_is_identifier);
  CHECK_FALSE(o.object_items[1].key_is_identifier);
  CHECK(o.object_items[2].key->kind == ExprKind::kParens);
}

TEST_CASE("syntax errors name the place and what is wrong", "[syntax]") {
  CHECK(first_error("job \"x\" {\n  a = 1\n") == "bad.hcl:1:1: error: unclosed block \"job\": missing \"}\"");
  CHECK(first_error("a = \"foo\nb = 2\n") == "bad.hcl:1:5: error: unterminated string: missing closing quote");
  CHECK(first_error("a = <<EOT\nhello\n") ==
        "bad.hcl:1:5: error: unterminated heredoc: no line holds only its closing marker \"EOT\"");
  CHECK(first_error("a = \nb = 1\n") == "bad.hcl:1:3: error: attribute \"a\" has no value");
  CHECK(first_error("a = [1, 2\n") == "bad.hcl:1:5: error: unclosed list: missing \"]\"");
  CHECK(first_error("a = f(1,") == "bad.hcl:1:6: error: unclosed \"(\": missing \")\"");
  CHECK(first_error("a = \"x\" b = 2\n") ==
        "bad.hcl:1:9: error: missing newline after argument: each argument and block must end its line");
  CHECK(first_error("a = \"\\q\"\n") ==
        "bad.hcl:1:6: error: invalid escape sequence \"\\q\": only \\n \\r \\t \\\" \\\\ \\uNNNN and \\UNNNNNNNN are allowed");
  CHECK(first_error("a = 1\na = 2\n") == "bad.hcl:2:1: error: attribute \"a\" was already set at line 1");
  CHECK(first_error("a = \"${x\"\n") == "bad.hcl:1:6: error: unclosed interpolation: missing \"}\" after \"${\"");
  CHECK(first_error("a = 1 ++ 2\n") == "bad.hcl:1:8: error: expected an expression after \"+\", found \"+\"");
}

TEST_CASE("a rendered diagnostic shows the line and a caret", "[syntax]") {
  Diagnostics diagnostics;
  parse_hcl("bad.hcl", "job \"x\" {\n  count = \n}\n", diagnostics);
  REQUIRE(diagnostics.items().size() == 1);
  CHECK(render(diagnostics.items()[0]) == "bad.hcl:2:9: error: attribute \"count\" has no value\n    count = \n          ^");
}
