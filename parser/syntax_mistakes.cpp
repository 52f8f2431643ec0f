// See syntax_mistakes.hpp. Tokens first (strings, heredocs and comments as
// whole tokens), then a reader of bodies and expressions that follows HCL2's
// native syntax and stops at the first token that cannot continue it.
#include "parser/syntax_mistakes.hpp"

#include <algorithm>
#include <cctype>

namespace skiff::parser {

namespace {

enum class Kind { kEnd, kNewline, kIdent, kNumber, kString, kHeredoc, kPunct, kInvalid, kUnsure };

struct Token {
  Kind kind = Kind::kEnd;
  uint32_t begin = 0, end = 0;
  std::string_view text;
};

bool is_ident_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool is_ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c >= 0x80; }

// Splits the text into tokens; a string, heredoc or comment that does not
// end ends the list with kUnsure (tree-sitter's report of it is precise).
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> tokens() {
    std::vector<Token> out;
    for (;;) {
      Token token = next();
      out.push_back(token);
      if (token.kind == Kind::kEnd || token.kind == Kind::kUnsure) return out;
    }
  }

 private:
  char at(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  Token make(Kind kind, size_t begin, size_t end) const {
    return Token{kind, static_cast<uint32_t>(begin), static_cast<uint32_t>(end), text_.substr(begin, end - begin)};
  }

  Token next() {
    for (;;) {
      while (at(p_) == ' ' || at(p_) == '\t' || at(p_) == '\r') ++p_;
      if (at(p_) == '#' || (at(p_) == '/' && at(p_ + 1) == '/')) {
        while (p_ < text_.size() && text_[p_] != '\n') ++p_;
        continue;
      }
      if (at(p_) == '/' && at(p_ + 1) == '*') {
        size_t close = text_.find("*/", p_ + 2);
        if (close == std::string_view::npos) return make(Kind::kUnsure, p_, p_);
        p_ = close + 2;
        continue;
      }
      break;
    }
    const size_t begin = p_;
    if (p_ >= text_.size()) return make(Kind::kEnd, begin, begin);
    const unsigned char c = static_cast<unsigned char>(text_[p_]);
    if (c == '\n') return make(Kind::kNewline, begin, ++p_);
    if (c == '"') return quoted() ? make(Kind::kString, begin, p_) : make(Kind::kUnsure, begin, begin);
    if (c == '<' && at(p_ + 1) == '<') return heredoc(begin);
    if (is_ident_start(c)) {
      while (p_ < text_.size() && is_ident_char(static_cast<unsigned char>(text_[p_]))) ++p_;
      return make(Kind::kIdent, begin, p_);
    }
    if (std::isdigit(c)) {
      while (std::isdigit(static_cast<unsigned char>(at(p_)))) ++p_;
      if (at(p_) == '.' && std::isdigit(static_cast<unsigned char>(at(p_ + 1)))) {
        ++p_;
        while (std::isdigit(static_cast<unsigned char>(at(p_)))) ++p_;
      }
      if ((at(p_) == 'e' || at(p_) == 'E')) {
        size_t q = p_ + 1;
        if (at(q) == '+' || at(q) == '-') ++q;
        if (std::isdigit(static_cast<unsigned char>(at(q)))) {
          p_ = q;
          while (std::isdigit(static_cast<unsigned char>(at(p_)))) ++p_;
        }
      }
      return make(Kind::kNumber, begin, p_);
    }
    for (std::string_view op : {"...", "=>", "==", "!=", "<=", ">=", "&&", "||"}) {
      if (text_.substr(p_, op.size()) == op) {
        p_ += op.size();
        return make(Kind::kPunct, begin, p_);
      }
    }
    if (std::string_view("{}[]()=<>+-*/%!?:,.").find(static_cast<char>(c)) != std::string_view::npos)
      return make(Kind::kPunct, begin, ++p_);
    // One whole UTF-8 character, so that the message quotes it whole.
    ++p_;
    while (p_ < text_.size() && (static_cast<unsigned char>(text_[p_]) & 0xC0) == 0x80) ++p_;
    return make(Kind::kInvalid, begin, p_);
  }

  // A quoted string from its opening quote; false when it does not close
  // on its line. Interpolations may hold strings of their own.
  bool quoted() {
    ++p_;
    while (p_ < text_.size()) {
      const char c = text_[p_];
      if (c == '\n') return false;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c == '\\') {
        p_ += 2;
        continue;
      }
      if ((c == '$' || c == '%') && at(p_ + 1) == c && at(p_ + 2) == '{') {
        p_ += 3;
        continue;
      }
      if ((c == '$' || c == '%') && at(p_ + 1) == '{') {
        p_ += 2;
        if (!interpolation()) return false;
        continue;
      }
      ++p_;
    }
    return false;
  }

  // The inside of ${ ... } up to its closing brace.
  bool interpolation() {
    int depth = 1;
    while (p_ < text_.size()) {
      const char c = text_[p_];
      if (c == '"') {
        if (!quoted()) return false;
        continue;
      }
      if (c == '{') ++depth;
      if (c == '}' && --depth == 0) {
        ++p_;
        return true;
      }
      ++p_;
    }
    return false;
  }

  // <<ID or <<-ID, its lines, and a line holding only ID.
  Token heredoc(size_t begin) {
    size_t q = p_ + 2;
    if (at(q) == '-') ++q;
    const size_t id_begin = q;
    while (q < text_.size() && is_ident_char(static_cast<unsigned char>(text_[q]))) ++q;
    std::string_view id = text_.substr(id_begin, q - id_begin);
    while (at(q) == ' ' || at(q) == '\t' || at(q) == '\r') ++q;
    if (id.empty() || at(q) != '\n') return make(Kind::kUnsure, begin, begin);
    size_t line = q + 1;
    while (line < text_.size()) {
      size_t line_end = text_.find('\n', line);
      if (line_end == std::string_view::npos) line_end = text_.size();
      std::string_view content = text_.substr(line, line_end - line);
      while (!content.empty() && (content.front() == ' ' || content.front() == '\t')) content.remove_prefix(1);
      while (!content.empty() && (content.back() == ' ' || content.back() == '\t' || content.back() == '\r'))
        content.remove_suffix(1);
      if (content == id) {
        p_ = line_end;
        return make(Kind::kHeredoc, begin, p_);
      }
      line = line_end + 1;
    }
    return make(Kind::kUnsure, begin, begin);
  }

  std::string_view text_;
  size_t p_ = 0;
};

struct Mistake {
  Token at;
  std::string message;
};
struct Unsure {};

std::string describe(const Token& token) {
  switch (token.kind) {
    case Kind::kEnd: return "end of file";
    case Kind::kNewline: return "end of line";
    case Kind::kString:
      if (token.text.size() <= 26) return std::string(token.text);  // quoted already
      return std::string(token.text.substr(0, 24)) + "...\"";
    default: {
      std::string text(token.text.substr(0, 24));
      return "\"" + text + (token.text.size() > 24 ? "...\"" : "\"");
    }
  }
}

bool is_binary_operator(const Token& token) {
  if (token.kind != Kind::kPunct) return false;
  for (std::string_view op : {"==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "&&", "||"})
    if (token.text == op) return true;
  return false;
}

bool is(const Token& token, std::string_view punct) { return token.kind == Kind::kPunct && token.text == punct; }

// What encloses a body: the block's type and whether it has labels (none
// at the top of the file).
struct Enclosing {
  std::string type;
  bool labelled = false;
};

class Reader {
 public:
  Reader(std::string_view text, std::vector<Token> tokens) : text_(text), tokens_(std::move(tokens)) {}

  std::vector<SyntaxMistake> read() {
    try {
      body(Enclosing{}, /*top=*/true);
    } catch (const Unsure&) {}
    return mistakes_;
  }

 private:
  static constexpr size_t kMaxMistakes = 10;

  const Token& peek(size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& take() {
    const Token& token = peek();
    if (token.kind == Kind::kUnsure) throw Unsure{};
    if (is(token, "{") || is(token, "[") || is(token, "(")) ++depth_;
    if (is(token, "}") || is(token, "]") || is(token, ")")) --depth_;
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }
  void skip_newlines() {
    while (peek().kind == Kind::kNewline) take();
  }
  // The next token, over newlines if they do not count here. The end of
  // the file inside brackets is an unclosed bracket: the lexical pass
  // names it where it opens.
  const Token& peek_in(bool newlines) {
    if (newlines) skip_newlines();
    if (peek().kind == Kind::kUnsure || (peek().kind == Kind::kEnd && depth_ > 0)) throw Unsure{};
    return peek();
  }

  [[noreturn]] void fail(const Token& at, std::string message) { throw Mistake{at, std::move(message)}; }
  void note(const Token& at, std::string message) {
    mistakes_.push_back(SyntaxMistake{at.begin, std::max(at.end, at.begin + 1), std::move(message)});
    if (mistakes_.size() >= kMaxMistakes) throw Unsure{};
  }

  // The items of a body up to its closing "}" (left for the caller) or the
  // end of the file (top only).
  void body(const Enclosing& enclosing, bool top) {
    for (;;) {
      skip_newlines();
      const Token& first = peek();
      if (first.kind == Kind::kUnsure) throw Unsure{};
      if (first.kind == Kind::kEnd) {
        if (!top) throw Unsure{};  // an unclosed block: tree-sitter says which
        return;
      }
      if (is(first, "}") && !top) return;
      if (is(first, "}")) {  // a stray closer at the top: said, then passed over
        note(first, "unexpected \"}\": no block is open here");
        ++pos_;
        continue;
      }
      const int item_depth = depth_;
      try {
        item(enclosing);
      } catch (Mistake& mistake) {
        note(mistake.at, std::move(mistake.message));
        skip_rest_of_item(item_depth);
      }
    }
  }

  // After a mistake: on to the next line of the same body, out of the
  // brackets the item opened and over those that open on its last line.
  void skip_rest_of_item(int item_depth) {
    for (;;) {
      const Token& token = peek();
      if (token.kind == Kind::kUnsure || token.kind == Kind::kEnd) return;
      if (depth_ <= item_depth && token.kind == Kind::kNewline) return;
      if (depth_ <= item_depth && is(token, "}")) return;
      if (depth_ <= item_depth && (is(token, "]") || is(token, ")"))) {
        ++pos_;  // a stray closer: passed over, it closes nothing
        continue;
      }
      take();
    }
  }

  void item(const Enclosing& enclosing) {
    const Token& first = peek();
    if (first.kind == Kind::kString && (is(peek(1), "=") || is(peek(1), ":") || is(peek(1), "{"))) hcl1_quoted_key(enclosing);
    if (first.kind != Kind::kIdent) {
      fail(first, "unexpected " + describe(first) + ": expected an argument (name = value) or a block (type \"label\" {)");
    }
    const Token name = take();
    const Token& next = peek();
    if (is(next, "=")) {
      const Token equals = take();
      if (peek().kind == Kind::kNewline || peek().kind == Kind::kEnd)
        fail(equals, "attribute \"" + std::string(name.text) + "\" has no value");
      expression(false);
      end_of_argument(name);
      return;
    }
    block(name, enclosing);
  }

  // Quoted keys in a block body are HCL1 (env { "A.B" = "x" }): HCL2 wants
  // the map as an argument, env = { "A.B" = "x" }.
  [[noreturn]] void hcl1_quoted_key(const Enclosing& enclosing) {
    const Token& key = peek();
    std::string message = "this looks like HCL1 syntax (a quoted key in a block body): Nomad 1.x and skiff read HCL2";
    if (!enclosing.type.empty() && !enclosing.labelled) {
      size_t line_end = text_.find('\n', key.begin);
      std::string line(
          text_.substr(key.begin, line_end == std::string_view::npos ? std::string_view::npos : line_end - key.begin));
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
      if (line.size() > 40 || is(peek(1), "{")) line = std::string(key.text) + " = ...";
      message += ", where a map is an argument: write " + enclosing.type + " = { " + line + " }";
    } else {
      message += ", where argument names are not quoted";
    }
    fail(key, message);
  }

  void end_of_argument(const Token& name) {
    const Token& after = peek();
    if (after.kind == Kind::kNewline || after.kind == Kind::kEnd || is(after, "}")) return;
    if (after.kind == Kind::kUnsure) throw Unsure{};
    if (is(after, ",")) {
      fail(after,
           "unexpected \",\" after the value of \"" + std::string(name.text) +
               "\": arguments are separated by newlines, not commas");
    }
    if (after.kind == Kind::kIdent) fail(after, "missing newline after argument: each argument and block must end its line");
    fail(after,
         "unexpected " + describe(after) + " after the value of \"" + std::string(name.text) +
             "\": an argument ends at the end of its line");
  }

  // type "label"... { ... }
  void block(const Token& type, const Enclosing&) {
    Enclosing inner{std::string(type.text), false};
    while (peek().kind == Kind::kString || peek().kind == Kind::kIdent) {
      take();
      inner.labelled = true;
    }
    const Token& open = peek();
    if (open.kind == Kind::kUnsure) throw Unsure{};
    if (!is(open, "{")) {
      if (open.kind == Kind::kNewline && inner.labelled) {
        // The brace on the next line: said once, then read as meant.
        note(open, "block \"" + inner.type + "\" needs its opening \"{\" on the same line as its type and labels");
        skip_newlines();
        if (!is(peek(), "{")) throw Unsure{};
      } else if (open.kind == Kind::kNewline || open.kind == Kind::kEnd) {
        fail(open,
             "\"" + inner.type + "\" is neither an argument nor a block: write " + inner.type + " = value, or " + inner.type +
                 " { ... }");
      } else {
        fail(open,
             "unexpected " + describe(open) + " after \"" + inner.type +
                 "\": expected \"=\" for an argument, or labels and \"{\" for a block");
      }
    }
    take();
    body(inner, /*top=*/false);
    const Token& close = peek();
    if (!is(close, "}")) throw Unsure{};
    take();
    const Token& after = peek();
    if (after.kind == Kind::kNewline || after.kind == Kind::kEnd || is(after, "}")) return;
    if (after.kind == Kind::kUnsure) throw Unsure{};
    fail(after,
         "unexpected " + describe(after) + " after the closing \"}\" of block \"" + inner.type +
             "\": a block ends at the end of its line");
  }

  // An expression; `newlines` when inside ( ) or [ ], where they do not end it.
  void expression(bool newlines) {
    operand(newlines);
    for (;;) {
      const Token& next = peek_in(newlines);
      if (is_binary_operator(next)) {
        const Token op = take();
        operand_after(op, newlines);
        continue;
      }
      if (is(next, "?")) {
        take();
        expression(newlines);
        if (!is(peek_in(newlines), ":")) throw Unsure{};
        take();
        expression(newlines);
      }
      return;
    }
  }

  void operand_after(const Token& op, bool newlines) {
    const Token& next = peek_in(newlines);
    if (!starts_operand(next))
      fail(next, "expected an expression after \"" + std::string(op.text) + "\", found " + describe(next));
    operand(newlines);
  }

  static bool starts_operand(const Token& token) {
    switch (token.kind) {
      case Kind::kIdent:
      case Kind::kNumber:
      case Kind::kString:
      case Kind::kHeredoc: return true;
      case Kind::kPunct: return is(token, "(") || is(token, "[") || is(token, "{") || is(token, "-") || is(token, "!");
      default: return false;
    }
  }

  void operand(bool newlines) {
    const Token& first = peek_in(newlines);
    if (!starts_operand(first)) {
      if (first.kind == Kind::kUnsure) throw Unsure{};
      fail(first, "expected an expression, found " + describe(first));
    }
    const Token token = take();
    if (is(token, "-") || is(token, "!")) return operand(newlines);
    if (is(token, "(")) {
      expression(true);
      closing(")");
    } else if (is(token, "[")) {
      tuple(token);
    } else if (is(token, "{")) {
      object(token);
    } else if (token.kind == Kind::kIdent && is(peek(), "(")) {
      sequence(take(), ")", /*call=*/true);
    }
    postfix();
  }

  void closing(std::string_view close) {
    const Token& token = peek_in(true);
    if (!is(token, close)) throw Unsure{};
    take();
  }

  // .name, .0, .*, [index], [*] after an operand.
  void postfix() {
    for (;;) {
      const Token& next = peek_in(false);
      if (is(next, ".")) {
        take();
        const Token& name = peek();
        if (name.kind == Kind::kIdent || name.kind == Kind::kNumber || is(name, "*")) {
          take();
          continue;
        }
        fail(name, "invalid attribute name: a name is required after \".\", found " + describe(name));
      }
      if (is(next, "[")) {
        take();
        if (is(peek_in(true), "*")) take();
        else expression(true);
        closing("]");
        continue;
      }
      return;
    }
  }

  // A for expression: checked no further than its brackets balancing.
  void skip_to_closing(std::string_view close) {
    int depth = 0;
    for (;;) {
      const Token& token = peek();
      if (token.kind == Kind::kUnsure || token.kind == Kind::kEnd) throw Unsure{};
      if (is(token, "{") || is(token, "[") || is(token, "(")) ++depth;
      if (is(token, "}") || is(token, "]") || is(token, ")")) {
        if (depth == 0) {
          if (!is(token, close)) throw Unsure{};
          take();
          return;
        }
        --depth;
      }
      take();
    }
  }

  // A separator missing before a token that starts a line: the bracket
  // was never closed, which is what to say, where it opens.
  bool at_line_start() const { return pos_ > 0 && tokens_[pos_ - 1].kind == Kind::kNewline; }

  void tuple(const Token& open) {
    if (peek_in(true).kind == Kind::kIdent && peek().text == "for") return skip_to_closing("]");
    sequence(open, "]", /*call=*/false);
  }

  // The elements of a list or the arguments of a call, up to `close`.
  void sequence(const Token& open, std::string_view close, bool call) {
    for (;;) {
      if (is(peek_in(true), close)) break;
      expression(true);
      if (call && is(peek_in(true), "...")) take();
      const Token& separator = peek_in(true);
      if (is(separator, ",")) {
        take();
        continue;
      }
      if (is(separator, close)) break;
      if (separator.kind == Kind::kEnd) throw Unsure{};
      if (at_line_start()) fail(open, call ? "unclosed \"(\": missing \")\"" : "unclosed list: missing \"]\"");
      fail(separator,
           "expected \",\" or \"" + std::string(close) + "\" after " +
               (call ? "an argument of the call" : "an element of the list") + ", found " + describe(separator));
    }
    take();
  }

  // { key = value, key: value \n ... }
  void object(const Token& open) {
    if (peek_in(true).kind == Kind::kIdent && peek().text == "for") return skip_to_closing("}");
    for (;;) {
      const Token& next = peek_in(true);
      if (is(next, "}")) break;
      operand(false);
      const Token& assign = peek_in(false);
      if (!is(assign, "=") && !is(assign, ":")) {
        if (assign.kind == Kind::kEnd || assign.kind == Kind::kUnsure) throw Unsure{};
        fail(assign, "expected \"=\" after a key of the object, found " + describe(assign));
      }
      take();
      expression(false);
      const Token& separator = peek_in(false);
      if (is(separator, ",") || separator.kind == Kind::kNewline) {
        take();
        continue;
      }
      if (is(separator, "}")) break;
      if (separator.kind == Kind::kEnd || separator.kind == Kind::kUnsure) throw Unsure{};
      if (at_line_start()) fail(open, "unclosed object: missing \"}\"");
      fail(separator, "expected a newline or \",\" after an element of the object, found " + describe(separator));
    }
    take();
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;  // brackets open at pos_
  std::vector<SyntaxMistake> mistakes_;
};

}  // namespace

std::vector<SyntaxMistake> find_syntax_mistakes(std::string_view text) { return Reader(text, Lexer(text).tokens()).read(); }

}  // namespace skiff::parser
