// Diagnostics: every problem found in a file, collected rather than stopping
// at the first. Rendered as
//   path:line:col: error: message
//     <the source line>
//     <spaces>^
// Tests pin this exact text.
#pragma once

#include <string>
#include <vector>

#include "parser/source.hpp"

namespace skiff::parser {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceFilePtr file;  // may be null for problems with no file (a -var flag)
  SourceRange range;
  std::string message;
};

// The first line only: "path:line:col: error: message".
std::string headline(const Diagnostic& diagnostic);
// The headline, the source line and a caret under the column; the headline
// alone for a file whose text is not shown (SourceText::kHidden).
std::string render(const Diagnostic& diagnostic);

class Diagnostics {
 public:
  void error(const SourceFilePtr& file, const SourceRange& range, std::string message);
  void warning(const SourceFilePtr& file, const SourceRange& range, std::string message);
  void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
  void append(const Diagnostics& other);

  bool has_errors() const;
  size_t error_count() const;
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // Rewrites the message of every item from the `first`-th on (to take
  // sensitive values out of them).
  template <typename Rewrite>
  void rewrite_messages(size_t first, Rewrite rewrite) {
    for (size_t i = first; i < items_.size(); ++i) items_[i].message = rewrite(std::move(items_[i].message));
  }

  // Sorted by file, then position; each rendered with its caret, one blank line apart.
  std::string render_all() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace skiff::parser
