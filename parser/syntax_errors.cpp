// Syntax errors: tree-sitter recovers from bad input by wrapping what it
// could not place in ERROR nodes and inventing MISSING tokens. Each becomes
// one diagnostic that says what was expected, in the words an HCL user knows.
#include <cctype>
#include <string>

#include "parser/syntax_builder_internal.hpp"
#include "parser/syntax_mistakes.hpp"

namespace skiff::parser::detail {

namespace {

// The token quoted, or "a token" in a file whose text is not shown.
std::string quoted_token(std::string_view text, bool shown) {
  if (!shown) return "a token";
  std::string token(text.substr(0, text.find('\n')));
  if (token.size() > 24) token = token.substr(0, 24) + "...";
  return "\"" + token + "\"";
}

// What stands at `at`: a token, or "end of line" / "end of file", never "".
std::string found_at(const std::string& text, uint32_t at, bool shown) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r')) ++at;
  if (at >= text.size()) return "end of file";
  if (text[at] == '\n') return "end of line";
  return quoted_token(std::string_view(text).substr(at, 1), shown);
}

// The first leaf token inside a node, skipping zero-width ones.
TSNode first_leaf(TSNode node) {
  while (ts_node_child_count(node) > 0) {
    TSNode next = ts_node_child(node, 0);
    for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
      TSNode child = ts_node_child(node, i);
      if (ts_node_end_byte(child) > ts_node_start_byte(child)) {
        next = child;
        break;
      }
    }
    node = next;
  }
  return node;
}

// The name of the enclosing attribute or block, for context.
std::string context_of(TSNode node, const TreeBuilder& builder) {
  for (TSNode p = ts_node_parent(node); !ts_node_is_null(p); p = ts_node_parent(p)) {
    std::string_view type = node_type(p);
    if (type == "attribute" || type == "block") {
      TSNode name = first_named_child_of_type(p, "identifier");
      if (ts_node_is_null(name)) continue;
      return std::string(" in ") + (type == "attribute" ? "attribute \"" : "block \"") + std::string(builder.text_of(name)) +
          "\"";
    }
  }
  return "";
}

}  // namespace

void TreeBuilder::report_missing_node(TSNode node) {
  std::string_view type = node_type(node);
  TSNode parent = ts_node_parent(node);
  while (!ts_node_is_null(parent) &&
         (node_type(parent) == "block_end" || node_type(parent) == "tuple_end" || node_type(parent) == "object_end")) {
    parent = ts_node_parent(parent);
  }
  std::string_view parent_type = ts_node_is_null(parent) ? "" : node_type(parent);
  if (parent_type == "block") {
    TSNode name = first_named_child_of_type(parent, "identifier");
    error(range_of(parent), "unclosed block \"" + std::string(text_of(name)) + "\": missing \"}\"");
  } else if (type == "quoted_template_end") {
    error(range_of(parent), "unterminated string: missing closing quote");
  } else if (type == "heredoc_identifier") {
    TSNode open = first_named_child_of_type(parent, "heredoc_identifier");
    error(range_of(parent),
          "unterminated heredoc: no line holds only its closing marker \"" +
              std::string(ts_node_is_null(open) ? "" : text_of(open)) + "\"");
  } else if (parent_type == "tuple") {
    error(range_of(parent), "unclosed list: missing \"]\"");
  } else if (parent_type == "object") {
    error(range_of(parent), "unclosed object: missing \"}\"");
  } else if (type == "template_interpolation_end") {
    error(range_of(parent), "unclosed interpolation: missing \"}\" after \"${\"");
  } else {
    // A token the grammar invented: name what really stands there instead.
    const std::string& text = file_->text();
    uint32_t at = ts_node_start_byte(node);
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    error(range_of_bytes(at, at),
          "syntax error: unexpected " + found_at(text, at, file_->text_shown()) + context_of(node, *this));
  }
}

// True when only whitespace or a comment follows `byte` on its line.
static bool rest_of_line_is_empty(const std::string& text, uint32_t byte) {
  while (byte < text.size() && (text[byte] == ' ' || text[byte] == '\t' || text[byte] == '\r')) ++byte;
  return byte >= text.size() || text[byte] == '\n' || text[byte] == '#' || text.compare(byte, 2, "//") == 0;
}

void TreeBuilder::report_error_node(TSNode node) {
  const std::string& text = file_->text();
  uint32_t begin = ts_node_start_byte(node);
  if (begin >= text.size() || ts_node_end_byte(node) == begin) {
    error(range_of(node), "syntax error: unexpected end of file" + context_of(node, *this));
    return;
  }
  // `name =` with nothing after it on the line: the parser swallows what
  // follows into an ERROR node. Say what the user did wrong.
  std::vector<TSNode> kids = children_of(node);
  TSNode previous = ts_node_prev_sibling(node);
  std::vector<TSNode> candidates = kids;
  if (!ts_node_is_null(previous)) candidates.insert(candidates.begin(), previous);
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (node_type(candidates[i]) != "=" || !rest_of_line_is_empty(text, ts_node_end_byte(candidates[i]))) continue;
    TSNode name = i > 0 ? candidates[i - 1] : ts_node_prev_sibling(candidates[i]);
    std::string label = ts_node_is_null(name) ? "" : "\"" + std::string(text_of(name)) + "\" ";
    error(range_of(candidates[i]), "attribute " + label + "has no value");
    return;
  }
  for (TSNode kid : kids) {
    if (node_type(kid) == "template_interpolation_start") {
      error(range_of(kid), "unclosed interpolation: missing \"}\" after \"${\"");
      return;
    }
  }
  TSNode leaf = first_leaf(node);
  const bool shown = file_->text_shown();
  std::string found = ts_node_end_byte(leaf) > ts_node_start_byte(leaf) ? quoted_token(text_of(leaf), shown)
                                                                        : found_at(text, ts_node_start_byte(leaf), shown);
  error(range_of(leaf), "syntax error: unexpected " + found + context_of(node, *this));
}

// An invalid escape (`"\q"`) derails tree-sitter's string rule; the template
// builder reports the escape itself, which says more than the ERROR would.
bool TreeBuilder::inside_string_with_bad_escape(TSNode node) const {
  for (TSNode p = node; !ts_node_is_null(p); p = ts_node_parent(p)) {
    std::string_view type = node_type(p);
    if (type != "string_lit" && type != "quoted_template" && type != "attribute") continue;
    std::string_view text = text_of(p);
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] != '\\') continue;
      if (std::string_view("nrt\"\\uU").find(text[i + 1]) == std::string_view::npos) return true;
      ++i;
    }
    return false;
  }
  return false;
}

bool TreeBuilder::report_syntax_mistakes() {
  std::vector<SyntaxMistake> mistakes = find_syntax_mistakes(file_->text());
  for (const SyntaxMistake& mistake : mistakes) error(range_of_bytes(mistake.begin, mistake.end), mistake.message);
  return !mistakes.empty();
}

void TreeBuilder::report_syntax_errors(TSNode root) {
  if (!ts_node_has_error(root)) return;
  // Only the first: after one syntax error tree-sitter's recovery makes the
  // rest of the file unreliable, and a cascade of guesses helps nobody.
  size_t before = diagnostics_.items().size();
  std::vector<TSNode> stack{root};
  while (!stack.empty() && diagnostics_.items().size() == before) {
    TSNode node = stack.back();
    stack.pop_back();
    if ((ts_node_is_missing(node) || node_type(node) == "ERROR") && inside_string_with_bad_escape(node)) continue;
    if (ts_node_is_missing(node)) {
      report_missing_node(node);
      continue;
    }
    if (node_type(node) == "ERROR") {
      report_error_node(node);
      continue;  // one diagnostic per ERROR region
    }
    if (!ts_node_has_error(node)) continue;
    uint32_t count = ts_node_child_count(node);
    for (uint32_t i = count; i > 0; --i) stack.push_back(ts_node_child(node, i - 1));
  }
}

}  // namespace skiff::parser::detail
