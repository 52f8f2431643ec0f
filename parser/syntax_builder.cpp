// tree-sitter's concrete HCL tree → skiff's syntax tree (syntax.hpp).
#include <algorithm>
#include <cstdlib>
#include <memory>

#include "parser/syntax_builder_internal.hpp"
#include "parser/syntax_lexical.hpp"

extern "C" const TSLanguage* tree_sitter_hcl(void);

namespace skiff::parser {
namespace detail {

std::string_view node_type(TSNode node) { return ts_node_type(node); }

std::vector<TSNode> children_of(TSNode node) {
  std::vector<TSNode> out;
  uint32_t count = ts_node_child_count(node);
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) out.push_back(ts_node_child(node, i));
  return out;
}

std::vector<TSNode> named_children_of(TSNode node) {
  std::vector<TSNode> out;
  uint32_t count = ts_node_named_child_count(node);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode child = ts_node_named_child(node, i);
    if (node_type(child) != "comment") out.push_back(child);
  }
  return out;
}

TSNode first_named_child_of_type(TSNode node, std::string_view type) {
  for (TSNode child : named_children_of(node))
    if (node_type(child) == type) return child;
  return TSNode{};
}

SourceRange TreeBuilder::range_of_bytes(uint32_t begin, uint32_t end) const {
  return SourceRange{file_->position_of(begin), file_->position_of(end)};
}

SourceRange TreeBuilder::range_of(TSNode node) const { return range_of_bytes(ts_node_start_byte(node), ts_node_end_byte(node)); }

std::string_view TreeBuilder::text_of(TSNode node) const { return file_->slice(range_of(node)); }

static std::shared_ptr<Expr> new_expr(ExprKind kind, SourceRange range) {
  auto expr = std::make_shared<Expr>();
  expr->kind = kind;
  expr->range = range;
  return expr;
}

Body TreeBuilder::build_body(TSNode node) {
  Body body;
  body.range = range_of(node);
  std::vector<SourceRange> items;
  std::vector<bool> is_block;
  for (TSNode child : named_children_of(node)) {
    std::string_view type = node_type(child);
    if (type == "attribute") {
      Attribute attribute = build_attribute(child);
      auto previous = std::find_if(body.attributes.begin(), body.attributes.end(),
                                   [&](const Attribute& a) { return a.name == attribute.name; });
      if (previous != body.attributes.end()) {
        error(attribute.name_range,
              "attribute \"" + attribute.name + "\" was already set at line " + std::to_string(previous->name_range.begin.line));
      }
      items.push_back(attribute.range);
      is_block.push_back(false);
      body.attributes.push_back(std::move(attribute));
    } else if (type == "block") {
      body.blocks.push_back(build_block(child));
      items.push_back(body.blocks.back().range);
      is_block.push_back(true);
    }
  }
  check_newlines_between(items, is_block);
  return body;
}

// HCL requires each argument and block to end its line; tree-sitter's grammar
// accepts `a = 1 b = 2`, Nomad's parser does not.
void TreeBuilder::check_newlines_between(const std::vector<SourceRange>& items, const std::vector<bool>& is_block) {
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return items[a].begin.byte < items[b].begin.byte; });
  for (size_t i = 1; i < order.size(); ++i) {
    const SourceRange& previous = items[order[i - 1]];
    if (items[order[i]].begin.line == previous.end.line) {
      error(items[order[i]],
            std::string("missing newline after ") + (is_block[order[i - 1]] ? "block" : "argument") +
                ": each argument and block must end its line");
    }
  }
}

Attribute TreeBuilder::build_attribute(TSNode node) {
  Attribute attribute;
  attribute.range = range_of(node);
  TSNode name = first_named_child_of_type(node, "identifier");
  attribute.name = std::string(text_of(name));
  attribute.name_range = range_of(name);
  TSNode value = first_named_child_of_type(node, "expression");
  attribute.expr = ts_node_is_null(value) ? invalid(node) : build_expr(value);
  return attribute;
}

Block TreeBuilder::build_block(TSNode node) {
  Block block;
  block.range = range_of(node);
  bool have_type = false;
  auto body = std::make_shared<Body>();
  TSNode open{}, close{};
  for (TSNode child : named_children_of(node)) {
    std::string_view type = node_type(child);
    if (type == "block_start") open = child;
    if (type == "block_end") close = child;
    if (type == "identifier" && !have_type) {
      block.type = std::string(text_of(child));
      block.type_range = range_of(child);
      have_type = true;
    } else if (type == "identifier") {
      block.labels.emplace_back(text_of(child));
      block.label_ranges.push_back(range_of(child));
    } else if (type == "string_lit") {
      block.labels.push_back(decode_string_lit(child));
      block.label_ranges.push_back(range_of(child));
    } else if (type == "body") {
      *body = build_body(child);
    }
  }
  block.body = body;
  check_single_line_block(block, open, close);
  return block;
}

// An item on the same line as a block's `{` makes it a single-line block
// (HCL2's rule, which tree-sitter's grammar does not enforce): it holds one
// argument, and its `}` follows on that line.
void TreeBuilder::check_single_line_block(const Block& block, TSNode open, TSNode close) {
  if (ts_node_is_null(open) || ts_node_is_null(close)) return;
  const Attribute* first_attribute = nullptr;
  const Block* first_block = nullptr;
  for (const Attribute& a : block.body->attributes)
    if (!first_attribute || a.range.begin.byte < first_attribute->range.begin.byte) first_attribute = &a;
  for (const Block& b : block.body->blocks)
    if (!first_block || b.range.begin.byte < first_block->range.begin.byte) first_block = &b;
  if (first_attribute && first_block && first_block->range.begin.byte < first_attribute->range.begin.byte)
    first_attribute = nullptr;
  const uint32_t line = range_of(open).end.line;
  if (first_attribute && first_attribute->range.begin.line == line) {
    if (range_of(close).begin.line != first_attribute->range.end.line)
      error(SourceRange{first_attribute->range.end, first_attribute->range.end},
            "invalid single-argument block definition: an argument on the same line as its block's opening brace makes "
            "a single-line block, which must also be closed on that line; put the closing brace right after the "
            "argument, or the argument on a line of its own");
  } else if (first_block && first_block->range.begin.line == line) {
    error(first_block->type_range,
          "invalid single-argument block definition: a single-line block can hold only a single argument; put the "
          "nested block \"" +
              first_block->type + "\" on a line of its own within its parent block");
  }
}

ExprPtr TreeBuilder::invalid(TSNode node) {
  auto expr = new_expr(ExprKind::kLiteral, range_of(node));
  return expr;
}

// An `expression` node is a primary expression followed by zero or more
// traversal steps (get_attr, index, splat), or a parenthesised expression.
ExprPtr TreeBuilder::build_expr(TSNode node) {
  if (node_type(node) != "expression") return build_primary(node);
  std::vector<TSNode> kids = children_of(node);
  if (!kids.empty() && node_type(kids[0]) == "(") {
    auto parens = new_expr(ExprKind::kParens, range_of(node));
    TSNode inner = first_named_child_of_type(node, "expression");
    parens->operand = ts_node_is_null(inner) ? invalid(node) : build_expr(inner);
    return parens;
  }
  return build_traversal(node);
}

ExprPtr TreeBuilder::build_traversal(TSNode expression) {
  std::vector<TSNode> kids = named_children_of(expression);
  if (kids.empty()) return invalid(expression);
  return build_chain(kids);
}

// A primary expression followed by its traversal steps. The grammar nests
// some chains in `expression` nodes and flattens others into their parent
// (binary and unary operands), so both callers share this.
ExprPtr TreeBuilder::build_chain(const std::vector<TSNode>& kids) {
  uint32_t begin = ts_node_start_byte(kids[0]);
  size_t first_step = 1;
  ExprPtr current;
  if (node_type(kids[0]) == "(" && kids.size() >= 3) {
    // `(a + b) * c`: the grammar flattens the parentheses into the operation.
    auto parens = new_expr(ExprKind::kParens, range_of_bytes(begin, ts_node_end_byte(kids[2])));
    parens->operand = build_primary(kids[1]);
    current = parens;
    first_step = 3;
  } else {
    current = build_primary(kids[0]);
  }
  for (size_t i = first_step; i < kids.size(); ++i) {
    std::string_view type = node_type(kids[i]);
    SourceRange range = range_of_bytes(begin, ts_node_end_byte(kids[i]));
    if (type == "splat") {
      auto splat = std::const_pointer_cast<Expr>(build_splat(current, kids[i]));
      splat->range = range;
      current = splat;
      continue;
    }
    if (type != "get_attr" && type != "index") continue;
    TraversalStep step = build_step(kids[i]);
    auto next = new_expr(step.is_index ? ExprKind::kIndex : ExprKind::kGetAttr, range);
    next->operand = current;
    next->name = step.name;
    next->index = step.index;
    current = next;
  }
  return current;
}

TraversalStep TreeBuilder::build_step(TSNode node) {
  TraversalStep step;
  step.range = range_of(node);
  if (node_type(node) == "get_attr") {
    step.name = std::string(text_of(first_named_child_of_type(node, "identifier")));
    return step;
  }
  step.is_index = true;
  TSNode inner = named_children_of(node).empty() ? node : named_children_of(node)[0];
  if (node_type(inner) == "legacy_index") {
    // `a.0`: the token is ".0"; keep the digits as a literal number key.
    std::string digits(text_of(inner).substr(1));
    auto literal = new_expr(ExprKind::kLiteral, range_of(inner));
    literal->literal = Value::number(std::strtod(digits.c_str(), nullptr));
    step.index = literal;
  } else {
    TSNode index_expr = first_named_child_of_type(inner, "expression");
    step.index = ts_node_is_null(index_expr) ? invalid(inner) : build_expr(index_expr);
  }
  return step;
}

ExprPtr TreeBuilder::build_splat(ExprPtr source, TSNode splat) {
  auto expr = new_expr(ExprKind::kSplat, range_of(splat));
  expr->operand = std::move(source);
  std::vector<TSNode> kind = named_children_of(splat);
  if (kind.empty()) return expr;
  expr->full_splat = node_type(kind[0]) == "full_splat";
  for (TSNode step : named_children_of(kind[0])) {
    std::string_view type = node_type(step);
    if (type == "get_attr" || type == "index") expr->splat_steps.push_back(build_step(step));
  }
  return expr;
}

ExprPtr TreeBuilder::build_primary(TSNode node) {
  std::string_view type = node_type(node);
  if (type == "expression") return build_expr(node);
  if (type == "literal_value") return build_literal(node);
  if (type == "template_expr") return build_template_expr(node);
  if (type == "collection_value") return build_collection(node);
  if (type == "function_call") return build_function_call(node);
  if (type == "operation") return build_operation(named_children_of(node).empty() ? node : named_children_of(node)[0]);
  if (type == "binary_operation" || type == "unary_operation") return build_operation(node);
  if (type == "conditional") return build_conditional(node);
  if (type == "for_expr") return build_for(node);
  if (type == "variable_expr") {
    auto expr = new_expr(ExprKind::kVariable, range_of(node));
    expr->name = std::string(text_of(node));
    return expr;
  }
  return invalid(node);
}

ExprPtr TreeBuilder::build_literal(TSNode node) {
  auto expr = new_expr(ExprKind::kLiteral, range_of(node));
  std::vector<TSNode> kids = named_children_of(node);
  if (kids.empty()) return expr;
  std::string_view type = node_type(kids[0]);
  std::string text(text_of(kids[0]));
  if (type == "numeric_lit") {
    expr->literal = Value::number(std::strtod(text.c_str(), nullptr));
  } else if (type == "bool_lit") {
    expr->literal = Value::boolean(text == "true");
  } else if (type == "string_lit") {
    return build_string_lit(kids[0]);
  }
  return expr;  // null_lit stays null
}

ExprPtr TreeBuilder::build_collection(TSNode node) {
  std::vector<TSNode> kids = named_children_of(node);
  if (kids.empty()) return invalid(node);
  if (node_type(kids[0]) == "object") return build_object(kids[0]);
  auto tuple = new_expr(ExprKind::kTuple, range_of(kids[0]));
  for (TSNode item : named_children_of(kids[0]))
    if (node_type(item) == "expression") tuple->items.push_back(build_expr(item));
  return tuple;
}

ExprPtr TreeBuilder::build_object(TSNode node) {
  auto object = new_expr(ExprKind::kObject, range_of(node));
  for (TSNode elem : named_children_of(node)) {
    if (node_type(elem) != "object_elem") continue;
    TSNode key = ts_node_child_by_field_name(elem, "key", 3);
    TSNode val = ts_node_child_by_field_name(elem, "val", 3);
    if (ts_node_is_null(key) || ts_node_is_null(val)) continue;
    ObjectItem item;
    item.key = build_expr(key);
    // `{ name = 1 }`: a bare identifier key is the string "name", not a reference.
    item.key_is_identifier = item.key->kind == ExprKind::kVariable;
    item.value = build_expr(val);
    object->object_items.push_back(std::move(item));
  }
  return object;
}

ExprPtr TreeBuilder::build_function_call(TSNode node) {
  auto call = new_expr(ExprKind::kFunctionCall, range_of(node));
  call->name = std::string(text_of(first_named_child_of_type(node, "identifier")));
  TSNode args = first_named_child_of_type(node, "function_arguments");
  if (ts_node_is_null(args)) return call;
  for (TSNode arg : named_children_of(args)) {
    if (node_type(arg) == "expression") call->items.push_back(build_expr(arg));
    if (node_type(arg) == "ellipsis") call->expand_final_argument = true;
  }
  return call;
}

static BinaryOp binary_op_of(std::string_view token) {
  static const std::pair<std::string_view, BinaryOp> kOps[] = {
      {"+", BinaryOp::kAdd},     {"-", BinaryOp::kSub},     {"*", BinaryOp::kMul},        {"/", BinaryOp::kDiv},
      {"%", BinaryOp::kMod},     {"==", BinaryOp::kEq},     {"!=", BinaryOp::kNotEq},     {"<", BinaryOp::kLess},
      {"<=", BinaryOp::kLessEq}, {">", BinaryOp::kGreater}, {">=", BinaryOp::kGreaterEq}, {"&&", BinaryOp::kAnd},
      {"||", BinaryOp::kOr},
  };
  for (const auto& [text, op] : kOps)
    if (text == token) return op;
  return BinaryOp::kAdd;
}

// Operands arrive flattened: `a.b + c[0]` is (variable_expr get_attr '+'
// variable_expr index), so split the children at the operator token.
ExprPtr TreeBuilder::build_operation(TSNode node) {
  std::vector<TSNode> lhs, rhs;
  TSNode op{};
  for (TSNode child : children_of(node)) {
    std::string_view type = node_type(child);
    if (type == "comment") continue;
    if (ts_node_is_null(op) && !ts_node_is_named(child) && type != "(" && type != ")") {
      op = child;
    } else {
      (ts_node_is_null(op) ? lhs : rhs).push_back(child);
    }
  }
  if (ts_node_is_null(op) || rhs.empty()) return invalid(node);
  if (node_type(node) == "unary_operation" && lhs.empty()) {
    auto expr = new_expr(ExprKind::kUnary, range_of(node));
    expr->unary_op = node_type(op) == "!" ? UnaryOp::kNot : UnaryOp::kNegate;
    expr->operand = build_chain(rhs);
    return expr;
  }
  if (node_type(node) == "binary_operation" && !lhs.empty()) {
    auto expr = new_expr(ExprKind::kBinary, range_of(node));
    expr->lhs = build_chain(lhs);
    expr->binary_op = binary_op_of(node_type(op));
    expr->rhs = build_chain(rhs);
    return expr;
  }
  return invalid(node);
}

ExprPtr TreeBuilder::build_conditional(TSNode node) {
  auto expr = new_expr(ExprKind::kConditional, range_of(node));
  std::vector<TSNode> parts;
  for (TSNode child : named_children_of(node))
    if (node_type(child) == "expression") parts.push_back(child);
  if (parts.size() != 3) return invalid(node);
  expr->condition = build_expr(parts[0]);
  expr->lhs = build_expr(parts[1]);
  expr->rhs = build_expr(parts[2]);
  return expr;
}

ExprPtr TreeBuilder::build_for(TSNode node) {
  std::vector<TSNode> kids = named_children_of(node);
  if (kids.empty()) return invalid(node);
  TSNode form = kids[0];
  bool is_object = node_type(form) == "for_object_expr";
  auto expr = new_expr(is_object ? ExprKind::kForObject : ExprKind::kForTuple, range_of(node));
  std::vector<TSNode> results;
  for (TSNode child : named_children_of(form)) {
    std::string_view type = node_type(child);
    if (type == "for_intro") {
      std::vector<std::string> names;
      for (TSNode part : named_children_of(child)) {
        if (node_type(part) == "identifier") names.emplace_back(text_of(part));
        if (node_type(part) == "expression") expr->collection = build_expr(part);
      }
      if (names.size() == 2) expr->key_var = names[0];
      if (!names.empty()) expr->value_var = names.back();
    } else if (type == "expression") {
      results.push_back(child);
    } else if (type == "ellipsis") {
      expr->group = true;
    } else if (type == "for_cond") {
      TSNode cond = first_named_child_of_type(child, "expression");
      if (!ts_node_is_null(cond)) expr->condition = build_expr(cond);
    }
  }
  if (is_object && results.size() == 2) {
    expr->for_key = build_expr(results[0]);
    expr->for_value = build_expr(results[1]);
  } else if (!is_object && results.size() == 1) {
    expr->for_value = build_expr(results[0]);
  } else {
    return invalid(node);
  }
  if (!expr->collection) return invalid(node);
  return expr;
}

}  // namespace detail

SyntaxFile parse_hcl(const std::string& path, std::string text, Diagnostics& diagnostics, SourceText shown) {
  SyntaxFile out;
  out.file = std::make_shared<SourceFile>(path, std::move(text), shown);
  const std::string& source = out.file->text();
  if (source.size() > UINT32_MAX / 2) {
    diagnostics.error(out.file, SourceRange{}, "file is too large to parse");
    return out;
  }
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_hcl());
  TSTree* tree = ts_parser_parse_string(parser, nullptr, source.data(), static_cast<uint32_t>(source.size()));
  TSNode root = ts_tree_root_node(tree);
  detail::TreeBuilder builder(out.file, diagnostics);
  // The mistakes hcl v2 would name, where the structural reader is sure of
  // them; else lexical mistakes, named where they are (tree-sitter's
  // recovery from them would only add misleading errors further down);
  // else tree-sitter's ERROR and MISSING nodes.
  const bool reported = ts_node_has_error(root) && builder.report_syntax_mistakes();
  if (!reported && !check_lexical(out.file, diagnostics)) builder.report_syntax_errors(root);
  TSNode body = detail::first_named_child_of_type(root, "body");
  if (!ts_node_is_null(body)) {
    // After a syntax error the tree is a guess: build it for what it is worth,
    // but keep its structural complaints (cascades) out of the report.
    Diagnostics cascade;
    detail::TreeBuilder quiet(out.file, cascade);
    out.body = (diagnostics.has_errors() ? quiet : builder).build_body(body);
  } else if (!ts_node_is_null(detail::first_named_child_of_type(root, "object"))) {
    builder.error(builder.range_of(root), "expected HCL arguments and blocks, found a JSON-style object");
  }
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  return out;
}

std::string source_text(const SourceFile& file, const Expr& expr) { return std::string(file.slice(expr.range)); }

}  // namespace skiff::parser
