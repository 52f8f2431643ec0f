// Strings, templates and heredocs: tree-sitter's template nodes do not cover
// the whitespace between them, so literal text is always taken from the
// source bytes between interpolations and directives, then decoded here
// (escapes, `$${` / `%%{`, heredoc indentation, `~` strip markers).
#include <algorithm>
#include <cctype>

#include "parser/syntax_builder_internal.hpp"
#include "parser/utf8.hpp"

namespace skiff::parser::detail {

namespace {

bool is_part_node(TSNode node) {
  std::string_view type = node_type(node);
  return type == "template_interpolation" || type == "template_directive";
}

std::vector<TSNode> part_children(TSNode node) {
  std::vector<TSNode> out;
  for (TSNode child : named_children_of(node))
    if (is_part_node(child)) out.push_back(child);
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Where a strip marker `~` sits on a part: right after its opening
// delimiter (strips the literal before) and/or right before its closing one.
struct StripMarkers {
  bool before = false;
  bool after = false;
};

StripMarkers strip_markers_of(TSNode delimited) {
  StripMarkers out;
  std::vector<TSNode> kids = children_of(delimited);
  for (size_t i = 0; i < kids.size(); ++i) {
    if (node_type(kids[i]) != "strip_marker") continue;
    if (i == 1) out.before = true;
    else out.after = true;
  }
  return out;
}

// A strip marker trims the white space of the literal token beside it, and
// the reference scanner makes each line of a heredoc a token of its own: in
// a heredoc, `~}` trims up to the end of its line (the newline included)
// and `${~` / `%{~` back to the start of the line it is on (or, at a line's
// start, the previous line's end); in a quoted string, all of it.
void trim_left(std::string& text, bool heredoc) {
  size_t n = 0;
  while (n < text.size() && is_space(text[n])) {
    ++n;
    if (heredoc && text[n - 1] == '\n') break;
  }
  text.erase(0, n);
}

void trim_right(std::vector<TemplatePart>& parts, bool heredoc) {
  if (parts.empty() || parts.back().kind != TemplatePart::Kind::kLiteral) return;
  std::string& text = parts.back().literal;
  size_t floor = 0;
  if (heredoc && !text.empty()) {
    const size_t last = text.back() == '\n' ? text.size() - 1 : text.size();
    const size_t newline = last == 0 ? std::string::npos : text.rfind('\n', last - 1);
    floor = newline == std::string::npos ? 0 : newline + 1;
  }
  while (text.size() > floor && is_space(text.back())) text.pop_back();
}

}  // namespace

uint32_t TreeBuilder::heredoc_indent(uint32_t begin, uint32_t end) const {
  const std::string& text = file_->text();
  uint32_t best = UINT32_MAX;
  uint32_t line_start = begin;
  while (line_start < end) {
    uint32_t p = line_start;
    while (p < end && (text[p] == ' ' || text[p] == '\t')) ++p;
    bool blank = p >= end || text[p] == '\n' || text[p] == '\r';
    if (!blank) best = std::min(best, p - line_start);
    while (p < end && text[p] != '\n') ++p;
    line_start = p + 1;
  }
  return best == UINT32_MAX ? 0 : best;
}

std::string TreeBuilder::decode_literal(uint32_t begin, uint32_t end, bool heredoc, uint32_t indent) {
  const std::string& text = file_->text();
  std::string out;
  uint32_t p = begin;
  while (p < end) {
    bool line_start = p == 0 || text[p - 1] == '\n';
    if (indent > 0 && line_start) {
      uint32_t skip = 0;
      while (skip < indent && p < end && (text[p] == ' ' || text[p] == '\t')) ++p, ++skip;
      if (p >= end) break;
    }
    char c = text[p];
    if ((c == '$' || c == '%') && p + 2 < end + 1 && p + 2 <= text.size() &&
        text.compare(p + 1, 2, std::string(1, c) + "{") == 0) {
      out += c;  // `$${` is a literal `${`, `%%{` a literal `%{`
      out += '{';
      p += 3;
      continue;
    }
    if (c != '\\' || heredoc) {
      out += c;
      ++p;
      continue;
    }
    char e = p + 1 < end ? text[p + 1] : '\0';
    switch (e) {
      case 'n':
        out += '\n';
        p += 2;
        break;
      case 'r':
        out += '\r';
        p += 2;
        break;
      case 't':
        out += '\t';
        p += 2;
        break;
      case '"':
        out += '"';
        p += 2;
        break;
      case '\\':
        out += '\\';
        p += 2;
        break;
      case 'u':
      case 'U': {
        uint32_t digits = e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        bool ok = p + 2 + digits <= end;
        for (uint32_t i = 0; ok && i < digits; ++i) {
          char h = text[p + 2 + i];
          if (!std::isxdigit(static_cast<unsigned char>(h))) ok = false;
          else cp = cp * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10));
        }
        if (!ok || cp > 0x10FFFF) {  // reported by the lexical pass
          out += text[p];
          ++p;
        } else {
          append_utf8(out, cp);
          p += 2 + digits;
        }
        break;
      }
      default:  // reported by the lexical pass; keep the text as written
        out += text[p];
        ++p;
    }
  }
  return out;
}

std::vector<TemplatePart> TreeBuilder::build_parts(uint32_t begin, uint32_t end, const std::vector<TSNode>& children,
                                                   bool heredoc, uint32_t indent) {
  std::vector<TemplatePart> parts;
  bool strip_next = false;
  uint32_t cursor = begin;
  auto add_literal = [&](uint32_t from, uint32_t to) {
    if (from >= to) return;
    TemplatePart literal;
    literal.range = range_of_bytes(from, to);
    literal.literal = decode_literal(from, to, heredoc, indent);
    if (strip_next) {
      trim_left(literal.literal, heredoc);
      strip_next = false;
    }
    parts.push_back(std::move(literal));
  };
  for (TSNode child : children) {
    uint32_t child_begin = ts_node_start_byte(child), child_end = ts_node_end_byte(child);
    add_literal(cursor, child_begin);
    TSNode delimited = child;
    if (node_type(child) == "template_directive") {
      std::vector<TSNode> inner = named_children_of(child);
      TSNode first = inner.empty() ? child : (named_children_of(inner[0]).empty() ? inner[0] : named_children_of(inner[0])[0]);
      delimited = first;
    }
    StripMarkers open = strip_markers_of(delimited);
    if (open.before) trim_right(parts, heredoc);
    strip_next = false;
    if (node_type(child) == "template_interpolation") {
      TemplatePart part;
      part.kind = TemplatePart::Kind::kInterpolation;
      part.range = range_of(child);
      TSNode expr = first_named_child_of_type(child, "expression");
      part.expr = ts_node_is_null(expr) ? nullptr : build_expr(expr);
      parts.push_back(std::move(part));
      strip_next = open.after;
    } else {
      parts.push_back(build_directive(child, heredoc, indent));
      // The closing `endif ~}` / `endfor ~}` strips what follows.
      std::vector<TSNode> inner = named_children_of(child);
      if (!inner.empty()) {
        std::vector<TSNode> pieces = named_children_of(inner[0]);
        if (!pieces.empty()) strip_next = strip_markers_of(pieces.back()).after;
      }
    }
    cursor = child_end;
  }
  add_literal(cursor, end);
  return parts;
}

// %{ if c }..%{ else }..%{ endif } and %{ for k, v in coll }..%{ endfor }.
TemplatePart TreeBuilder::build_directive(TSNode node, bool heredoc, uint32_t indent) {
  TemplatePart part;
  part.range = range_of(node);
  std::vector<TSNode> inner = named_children_of(node);
  if (inner.empty()) return part;
  TSNode directive = inner[0];
  bool is_if = node_type(directive) == "template_if";
  part.kind = is_if ? TemplatePart::Kind::kIf : TemplatePart::Kind::kFor;
  std::vector<TSNode> pieces = named_children_of(directive);
  // Sections: intro, [then parts], [else intro], [else parts], end.
  TSNode intro{}, else_intro{}, end_node{};
  for (TSNode piece : pieces) {
    std::string_view type = node_type(piece);
    if (type == "template_if_intro" || type == "template_for_start") intro = piece;
    if (type == "template_else_intro") else_intro = piece;
    if (type == "template_if_end" || type == "template_for_end") end_node = piece;
  }
  if (ts_node_is_null(intro) || ts_node_is_null(end_node)) return part;
  std::vector<std::string> names;
  for (TSNode child : named_children_of(intro)) {
    if (node_type(child) == "expression") part.expr = build_expr(child);
    if (node_type(child) == "identifier") names.emplace_back(text_of(child));
  }
  if (!is_if) {
    if (names.size() == 2) part.key_var = names[0];
    if (!names.empty()) part.value_var = names.back();
  }
  auto section = [&](TSNode from, TSNode to) {
    std::vector<TSNode> kids;
    uint32_t begin = ts_node_end_byte(from), end = ts_node_start_byte(to);
    for (TSNode piece : pieces) {
      if (is_part_node(piece) && ts_node_start_byte(piece) >= begin && ts_node_end_byte(piece) <= end) kids.push_back(piece);
    }
    std::vector<TemplatePart> parts = build_parts(begin, end, kids, heredoc, indent);
    if (strip_markers_of(from).after && !parts.empty() && parts.front().kind == TemplatePart::Kind::kLiteral)
      trim_left(parts.front().literal, heredoc);
    if (strip_markers_of(to).before) trim_right(parts, heredoc);
    return parts;
  };
  if (!ts_node_is_null(else_intro)) {
    part.then_parts = section(intro, else_intro);
    part.else_parts = section(else_intro, end_node);
  } else {
    part.then_parts = section(intro, end_node);
  }
  return part;
}

// A string whose closing quote is missing ends at its line's end; the
// missing quote itself is reported as a syntax error.
uint32_t TreeBuilder::unterminated_string_end(uint32_t begin, uint32_t end) const {
  size_t newline = file_->text().find('\n', begin);
  return newline == std::string::npos ? end : std::min<uint32_t>(end, newline);
}

std::string TreeBuilder::decode_string_lit(TSNode node) {
  std::vector<TSNode> kids = children_of(node);
  if (kids.size() < 2) return std::string(text_of(node));
  uint32_t begin = ts_node_end_byte(kids.front());
  uint32_t end = ts_node_start_byte(kids.back());
  if (ts_node_is_missing(kids.back())) end = unterminated_string_end(begin, ts_node_end_byte(node));
  return decode_literal(begin, std::max(begin, end), false, 0);
}

ExprPtr TreeBuilder::build_string_lit(TSNode node) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kLiteral;
  expr->range = range_of(node);
  expr->literal = Value::string(decode_string_lit(node));
  return expr;
}

ExprPtr TreeBuilder::build_template_expr(TSNode node) {
  auto expr = std::make_shared<Expr>();
  expr->kind = ExprKind::kTemplate;
  expr->range = range_of(node);
  std::vector<TSNode> kids = named_children_of(node);
  if (kids.empty()) return expr;
  TSNode tmpl = kids[0];
  std::vector<TSNode> delimiters = children_of(tmpl);
  if (node_type(tmpl) == "quoted_template") {
    uint32_t begin = ts_node_end_byte(delimiters.front());
    uint32_t end = ts_node_is_missing(delimiters.back()) ? unterminated_string_end(begin, ts_node_end_byte(tmpl))
                                                         : ts_node_start_byte(delimiters.back());
    expr->parts = build_parts(begin, std::max(begin, end), part_children(tmpl), false, 0);
    return expr;
  }
  // Heredoc: <<[-]ID \n content... \n [spaces]ID
  expr->heredoc = true;
  bool indented = false;
  std::vector<TSNode> identifiers;
  for (TSNode child : delimiters) {
    if (node_type(child) == "heredoc_start") indented = text_of(child) == "<<-";
    if (node_type(child) == "heredoc_identifier") identifiers.push_back(child);
  }
  if (identifiers.empty()) return expr;
  const std::string& text = file_->text();
  uint32_t begin = ts_node_end_byte(identifiers.front());
  while (begin < text.size() && text[begin] != '\n') ++begin;
  begin = std::min<uint32_t>(begin + 1, text.size());
  uint32_t end = begin;
  if (identifiers.size() >= 2 && !ts_node_is_missing(identifiers.back())) {
    end = ts_node_start_byte(identifiers.back());
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  } else {
    end = std::max(begin, ts_node_end_byte(tmpl));
  }
  uint32_t indent = indented ? heredoc_indent(begin, end) : 0;
  expr->parts = build_parts(begin, end, part_children(tmpl), true, indent);
  return expr;
}

}  // namespace skiff::parser::detail
