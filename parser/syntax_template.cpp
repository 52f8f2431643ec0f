// Strings, templates and heredocs: tree-sitter's template nodes do not cover
// the whitespace between them, so literal text is always taken from the
// source bytes between interpolations and directives, then decoded here
// (escapes, `$${` / `%%{`, heredoc indentation, `~` strip markers).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>

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

// Go's unicode.IsSpace, which hcl v2's strip markers and heredoc flushing
// use: the byte length of the white space character at `i`, or 0.
size_t space_length_at(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  const unsigned c = byte(i);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c == 0xC2 && (byte(i + 1) == 0x85 || byte(i + 1) == 0xA0)) return 2;  // U+0085, U+00A0
  if (c == 0xE1 && byte(i + 1) == 0x9A && byte(i + 2) == 0x80) return 3;    // U+1680
  if (c == 0xE2 && byte(i + 1) == 0x80) {
    const unsigned t = byte(i + 2);
    if ((t >= 0x80 && t <= 0x8A) || t == 0xA8 || t == 0xA9 || t == 0xAF) return 3;  // U+2000..200A, 2028, 2029, 202F
  }
  if (c == 0xE2 && byte(i + 1) == 0x81 && byte(i + 2) == 0x9F) return 3;  // U+205F
  if (c == 0xE3 && byte(i + 1) == 0x80 && byte(i + 2) == 0x80) return 3;  // U+3000
  return 0;
}

// The byte length of the white space character that ends at `end`, or 0.
size_t space_length_before(std::string_view text, size_t end) {
  for (size_t length = 1; length <= 3 && length <= end; ++length)
    if (space_length_at(text, end - length) == length) return length;
  return 0;
}

size_t leading_space_bytes(std::string_view text) {
  size_t n = 0;
  while (size_t length = space_length_at(text, n)) n += length;
  return n;
}

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

// A strip marker trims the white space of the one literal token beside it.
// In a heredoc each line is a token of its own (as the reference scanner
// makes it), so there `~}` trims to the end of its line, the newline
// included, and `${~` / `%{~` back to the start of its line; in a quoted
// string, all of it.
void trim_left(std::string& text) { text.erase(0, leading_space_bytes(text)); }

void trim_right(std::vector<TemplatePart>& parts) {
  if (parts.empty() || parts.back().kind != TemplatePart::Kind::kLiteral) return;
  std::string& text = parts.back().literal;
  while (size_t length = space_length_before(text, text.size())) text.resize(text.size() - length);
}

// `<<-`: the smallest indentation of the lines is taken off each line, as
// hcl v2 does it, on the tokens left after the strip markers (so its quirks
// are kept): a line is one that follows a literal ending in a newline; one
// that starts with an interpolation or directive counts as not indented; a
// blank line neither counts nor loses its spaces; and the line after a `~}`
// that ate a newline is not a line start, so it keeps all its indentation.
class HeredocFlush {
 public:
  void visit(std::vector<TemplatePart>& parts) {
    for (TemplatePart& part : parts) {
      if (part.kind == TemplatePart::Kind::kLiteral) {
        literal(part.literal);
        continue;
      }
      other_token();  // ${...}, or %{ if } / %{ for }
      visit(part.then_parts);
      if (part.kind == TemplatePart::Kind::kIf && !part.else_parts.empty()) {
        other_token();  // %{ else }
        visit(part.else_parts);
      }
      if (part.kind != TemplatePart::Kind::kInterpolation) other_token();  // %{ endif } / %{ endfor }
    }
  }

  void apply() {
    if (min_spaces_ == SIZE_MAX) return;
    for (std::string* text : adjust_) {
      size_t bytes = 0;
      for (size_t n = 0; n < min_spaces_; ++n) bytes += space_cluster_bytes(*text, bytes);
      text->erase(0, bytes);
    }
  }

 private:
  void other_token() {
    if (line_start_) min_spaces_ = 0;
    line_start_ = false;
  }

  void literal(std::string& text) {
    if (line_start_) {
      const size_t space = leading_space_bytes(text);
      const bool blank = space == text.size() && !text.empty() && text.back() == '\n';
      if (!blank) {
        size_t clusters = 0;
        for (size_t at = 0; at < space; ++clusters) at += space_cluster_bytes(text, at);
        min_spaces_ = std::min(min_spaces_, clusters);
        adjust_.push_back(&text);
      }
    }
    line_start_ = !text.empty() && text.back() == '\n';
  }

  // One grapheme cluster of white space: "\r\n" is one, as Go's textseg counts.
  static size_t space_cluster_bytes(std::string_view text, size_t at) {
    if (text.compare(at, 2, "\r\n") == 0) return 2;
    return std::max<size_t>(1, space_length_at(text, at));
  }

  bool line_start_ = true;
  size_t min_spaces_ = SIZE_MAX;
  std::vector<std::string*> adjust_;
};

}  // namespace

std::string TreeBuilder::decode_literal(uint32_t begin, uint32_t end, bool heredoc) {
  const std::string& text = file_->text();
  std::string out;
  uint32_t p = begin;
  while (p < end) {
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
                                                   bool heredoc) {
  std::vector<TemplatePart> parts;
  bool strip_next = false;
  uint32_t cursor = begin;
  const std::string& text = file_->text();
  // A heredoc's literal text is one token a line, as in the reference.
  auto add_literal = [&](uint32_t from, uint32_t to) {
    while (from < to) {
      uint32_t piece_end = to;
      if (heredoc) {
        size_t newline = text.find('\n', from);
        if (newline != std::string::npos && newline + 1 < to) piece_end = static_cast<uint32_t>(newline + 1);
      }
      TemplatePart literal;
      literal.range = range_of_bytes(from, piece_end);
      literal.literal = decode_literal(from, piece_end, heredoc);
      if (strip_next) {
        trim_left(literal.literal);
        strip_next = false;
      }
      parts.push_back(std::move(literal));
      from = piece_end;
    }
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
    if (open.before) trim_right(parts);
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
      parts.push_back(build_directive(child, heredoc));
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
TemplatePart TreeBuilder::build_directive(TSNode node, bool heredoc) {
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
    std::vector<TemplatePart> parts = build_parts(begin, end, kids, heredoc);
    if (strip_markers_of(from).after && !parts.empty() && parts.front().kind == TemplatePart::Kind::kLiteral)
      trim_left(parts.front().literal);
    if (strip_markers_of(to).before) trim_right(parts);
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
  return decode_literal(begin, std::max(begin, end), false);
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
    expr->parts = build_parts(begin, std::max(begin, end), part_children(tmpl), false);
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
  expr->parts = build_parts(begin, end, part_children(tmpl), true);
  if (indented) {
    HeredocFlush flush;
    flush.visit(expr->parts);
    flush.apply();
  }
  return expr;
}

}  // namespace skiff::parser::detail
