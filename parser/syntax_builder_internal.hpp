// Internal to parser/: the tree-sitter walk shared by syntax_builder.cpp
// (bodies, expressions, syntax errors) and syntax_template.cpp (strings,
// templates, heredocs). Nothing outside parser/ includes this.
#pragma once

#include <tree_sitter/api.h>

#include <string>
#include <string_view>
#include <vector>

#include "parser/syntax.hpp"

namespace skiff::parser::detail {

class TreeBuilder {
 public:
  TreeBuilder(SourceFilePtr file, Diagnostics& diagnostics) : file_(std::move(file)), diagnostics_(diagnostics) {}

  Body build_body(TSNode node);
  ExprPtr build_expr(TSNode node);
  // hcl v2's mistakes where syntax_mistakes is sure of them; false if none.
  bool report_syntax_mistakes();
  void report_syntax_errors(TSNode root);

  // Templates and strings (syntax_template.cpp).
  ExprPtr build_template_expr(TSNode node);
  ExprPtr build_string_lit(TSNode node);
  std::string decode_string_lit(TSNode node);

  SourceRange range_of(TSNode node) const;
  SourceRange range_of_bytes(uint32_t begin, uint32_t end) const;
  std::string_view text_of(TSNode node) const;
  void error(SourceRange range, std::string message) { diagnostics_.error(file_, range, std::move(message)); }

 private:
  Block build_block(TSNode node);
  Attribute build_attribute(TSNode node);
  ExprPtr build_traversal(TSNode expression);
  ExprPtr build_chain(const std::vector<TSNode>& kids);
  ExprPtr build_primary(TSNode node);
  ExprPtr build_literal(TSNode node);
  ExprPtr build_collection(TSNode node);
  ExprPtr build_object(TSNode node);
  ExprPtr build_function_call(TSNode node);
  ExprPtr build_operation(TSNode node);
  ExprPtr build_conditional(TSNode node);
  ExprPtr build_for(TSNode node);
  ExprPtr build_splat(ExprPtr source, TSNode splat);
  TraversalStep build_step(TSNode node);
  ExprPtr invalid(TSNode node);
  void check_newlines_between(const std::vector<SourceRange>& items, const std::vector<bool>& is_block);
  void check_single_line_block(const Block& block, TSNode open, TSNode close);
  void report_error_node(TSNode node);
  void report_missing_node(TSNode node);
  bool inside_string_with_bad_escape(TSNode node) const;

  // Templates (syntax_template.cpp).
  std::vector<TemplatePart> build_parts(uint32_t begin, uint32_t end, const std::vector<TSNode>& children, bool heredoc);
  TemplatePart build_directive(TSNode node, bool heredoc);
  std::string decode_literal(uint32_t begin, uint32_t end, bool heredoc);
  uint32_t unterminated_string_end(uint32_t begin, uint32_t end) const;

  SourceFilePtr file_;
  Diagnostics& diagnostics_;
};

// Small helpers over the tree-sitter C API.
std::string_view node_type(TSNode node);
std::vector<TSNode> children_of(TSNode node);
std::vector<TSNode> named_children_of(TSNode node);
TSNode first_named_child_of_type(TSNode node, std::string_view type);

}  // namespace skiff::parser::detail
