// A lexical pre-pass over HCL text. tree-sitter recovers from a missing quote
// or brace by re-reading much of the file as ERROR, and the resulting
// diagnostics point far from the mistake. This scan finds the mistakes people
// really make (an unclosed string, heredoc, interpolation or bracket, a bad
// escape) and names them where they are; when it finds one, parse_hcl reports
// only these.
#include <cctype>
#include <vector>

#include "parser/syntax_lexical.hpp"

namespace skiff::parser {

namespace {

struct Open {
  char kind;  // '{' '[' '(' or 'I' for an interpolation/directive inside a quoted string
  uint32_t at;
  uint32_t quote = 0;  // 'I': where its string opened
};

class LexicalScanner {
 public:
  LexicalScanner(const SourceFilePtr& file, Diagnostics& diagnostics)
      : file_(file), text_(file->text()), diagnostics_(diagnostics) {}

  bool run();

 private:
  void error(uint32_t begin, uint32_t end, std::string message) {
    diagnostics_.error(file_, SourceRange{file_->position_of(begin), file_->position_of(end)}, std::move(message));
    found_ = true;
  }
  // The first structural mistake derails everything after it, so only the
  // first one is reported; escapes are independent and all reported.
  void structural_error(uint32_t begin, uint32_t end, std::string message) {
    if (!structural_found_) error(begin, end, std::move(message));
    structural_found_ = true;
  }
  void scan_code();
  void scan_string(uint32_t open_quote);
  void scan_heredoc();
  void skip_comment();
  void check_utf8();
  bool at(const char* token) const { return text_.compare(pos_, std::char_traits<char>::length(token), token) == 0; }
  std::string block_name_before(uint32_t brace) const;
  bool opens_block(uint32_t brace) const;
  void report_unclosed(const Open& open);

  SourceFilePtr file_;
  const std::string& text_;
  Diagnostics& diagnostics_;
  uint32_t pos_ = 0;
  std::vector<Open> stack_;
  bool found_ = false;
  bool structural_found_ = false;
};

std::string LexicalScanner::block_name_before(uint32_t brace) const {
  uint32_t line_start = brace;
  while (line_start > 0 && text_[line_start - 1] != '\n') --line_start;
  uint32_t p = line_start;
  while (p < brace && (text_[p] == ' ' || text_[p] == '\t')) ++p;
  uint32_t name_start = p;
  while (p < brace && (std::isalnum(static_cast<unsigned char>(text_[p])) || text_[p] == '_' || text_[p] == '-')) ++p;
  return text_.substr(name_start, p - name_start);
}

// A `{` opens a block when a name or label stands before it on its line
// (`group "cache" {`); after `=`, `(`, `[`, `,` or `:` it opens an object.
bool LexicalScanner::opens_block(uint32_t brace) const {
  uint32_t p = brace;
  while (p > 0 && (text_[p - 1] == ' ' || text_[p - 1] == '\t')) --p;
  if (p == 0 || text_[p - 1] == '\n') return false;
  char before = text_[p - 1];
  return before == '"' || std::isalnum(static_cast<unsigned char>(before)) || before == '_' || before == '-';
}

void LexicalScanner::report_unclosed(const Open& open) {
  if (open.kind == 'I') {
    structural_error(open.at, open.at + 2, "unclosed interpolation: missing \"}\" after \"" + text_.substr(open.at, 2) + "\"");
    return;
  }
  if (open.kind == '{' && opens_block(open.at)) {
    uint32_t name_at = open.at;
    while (name_at > 0 && text_[name_at - 1] != '\n') --name_at;
    while (text_[name_at] == ' ' || text_[name_at] == '\t') ++name_at;
    structural_error(name_at, open.at + 1, "unclosed block \"" + block_name_before(open.at) + "\": missing \"}\"");
    return;
  }
  const char* what = open.kind == '(' ? "\"(\"" : open.kind == '[' ? "list" : "object";
  const char closer = open.kind == '(' ? ')' : open.kind == '[' ? ']' : '}';
  structural_error(open.at, open.at + 1, std::string("unclosed ") + what + ": missing \"" + closer + "\"");
}

void LexicalScanner::skip_comment() {
  if (at("/*")) {
    size_t end = text_.find("*/", pos_ + 2);
    if (end == std::string::npos) {
      structural_error(pos_, pos_ + 2, "unterminated comment: missing \"*/\"");
      pos_ = text_.size();
    } else {
      pos_ = end + 2;
    }
    return;
  }
  while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
}

// A quoted string from just after its opening quote. Returns to scan_code at
// `${` / `%{` (the matching `}` brings it back) or after the closing quote.
void LexicalScanner::scan_string(uint32_t open_quote) {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      return;
    }
    if (c == '\n') {
      // `"${x"`: the quote meant to close the string opened one inside the
      // interpolation; the real mistake is the missing `}`.
      if (!stack_.empty() && stack_.back().kind == 'I' &&
          file_->position_of(stack_.back().at).line == file_->position_of(open_quote).line) {
        report_unclosed(stack_.back());
      } else {
        structural_error(open_quote, open_quote + 1, "unterminated string: missing closing quote");
      }
      return;
    }
    if ((c == '$' || c == '%') && pos_ + 2 < text_.size() && text_[pos_ + 1] == c && text_[pos_ + 2] == '{') {
      pos_ += 3;
      continue;
    }
    if ((c == '$' || c == '%') && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
      stack_.push_back(Open{'I', pos_, open_quote});
      pos_ += 2;
      return;
    }
    if (c == '\\') {
      char e = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
      if (e == 'u' || e == 'U') {
        uint32_t digits = e == 'u' ? 4 : 8, n = 0;
        while (n < digits && pos_ + 2 + n < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_ + 2 + n]))) ++n;
        if (n < digits) {
          error(pos_, pos_ + 2,
                std::string("invalid escape sequence: \\") + e + " must be followed by " + std::to_string(digits) +
                    " hexadecimal digits");
        }
        pos_ += 2 + n;
        continue;
      }
      if (std::string_view("nrt\"\\").find(e) == std::string_view::npos || e == '\0') {
        std::string shown = e == '\n' || e == '\0' ? "" : std::string(1, e);
        error(pos_, pos_ + 2,
              "invalid escape sequence \"\\" + shown + "\": only \\n \\r \\t \\\" \\\\ \\uNNNN and \\UNNNNNNNN are allowed");
        if (e == '\n' || e == '\0') {
          ++pos_;
          continue;
        }
      }
      pos_ += 2;
      continue;
    }
    ++pos_;
  }
  structural_error(open_quote, open_quote + 1, "unterminated string: missing closing quote");
}

// <<EOT / <<-EOT up to a line that holds only the marker (after indentation).
void LexicalScanner::scan_heredoc() {
  uint32_t start = pos_;
  pos_ += 2;
  if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
  uint32_t name_start = pos_;
  while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
  std::string marker = text_.substr(name_start, pos_ - name_start);
  if (marker.empty()) return;  // not a heredoc: `a << b` is not HCL, tree-sitter reports it
  while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  while (pos_ < text_.size()) {
    uint32_t line = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    uint32_t b = line, e = pos_;
    while (b < e && (text_[b] == ' ' || text_[b] == '\t')) ++b;
    while (e > b && (text_[e - 1] == ' ' || text_[e - 1] == '\t' || text_[e - 1] == '\r')) --e;
    if (text_.compare(b, e - b, marker) == 0 && e - b == marker.size()) return;
  }
  structural_error(start, name_start + marker.size(),
                   "unterminated heredoc: no line holds only its closing marker \"" + marker + "\"");
}

void LexicalScanner::scan_code() {
  while (pos_ < text_.size() && !structural_found_) {
    char c = text_[pos_];
    if (c == '#' || at("//") || at("/*")) {
      skip_comment();
    } else if (c == '"') {
      ++pos_;
      scan_string(pos_ - 1);
    } else if (at("<<") && pos_ + 2 < text_.size() &&
               (text_[pos_ + 2] == '-' || std::isalpha(static_cast<unsigned char>(text_[pos_ + 2])))) {
      scan_heredoc();
    } else if (c == '{' || c == '[' || c == '(') {
      stack_.push_back(Open{c, pos_++});
    } else if (c == '}' || c == ']' || c == ')') {
      char want = c == '}' ? '{' : c == ']' ? '[' : '(';
      if (stack_.empty()) {
        structural_error(pos_, pos_ + 1, std::string("unexpected \"") + c + "\": nothing to close here");
        ++pos_;
        continue;
      }
      Open top = stack_.back();
      if (top.kind == 'I' && c == '}') {
        stack_.pop_back();
        ++pos_;
        scan_string(top.quote);  // back inside the quoted string
        continue;
      }
      if (top.kind != want) {
        report_unclosed(top);
        return;
      }
      stack_.pop_back();
      ++pos_;
    } else {
      ++pos_;
    }
  }
}

// HCL files are UTF-8 text; anything else is refused where it starts.
void LexicalScanner::check_utf8() {
  size_t i = 0;
  while (i < text_.size()) {
    unsigned char c = static_cast<unsigned char>(text_[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = length > 0 && i + length <= text_.size() && !(length == 2 && c < 0xC2);
    for (size_t k = 1; ok && k < length; ++k) ok = (static_cast<unsigned char>(text_[i + k]) & 0xC0) == 0x80;
    if (!ok) {
      structural_error(static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1),
                       "invalid UTF-8 at this byte: HCL files must be UTF-8 text");
      return;
    }
    i += length;
  }
}

bool LexicalScanner::run() {
  check_utf8();
  scan_code();
  if (!structural_found_ && !stack_.empty()) report_unclosed(stack_.back());
  return found_;
}

}  // namespace

bool check_lexical(const SourceFilePtr& file, Diagnostics& diagnostics) { return LexicalScanner(file, diagnostics).run(); }

}  // namespace skiff::parser
