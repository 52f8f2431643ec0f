#include "parser/diagnostic.hpp"

#include <algorithm>

#include "base/text.hpp"

namespace skiff::parser {

std::string headline(const Diagnostic& d) {
  std::string out;
  if (d.file) {
    out += base::terminal_safe(d.file->path()) + ":" + std::to_string(d.range.begin.line) + ":" +
        std::to_string(d.range.begin.column) + ": ";
  }
  out += d.severity == Severity::kError ? "error: " : "warning: ";
  // A message quotes job-file text: escape what could move the cursor.
  out += base::terminal_safe(d.message);
  return out;
}

std::string render(const Diagnostic& d) {
  std::string out = headline(d);
  if (!d.file || !d.file->text_shown()) return out;
  std::string_view line = d.file->line_text(d.range.begin.line);
  if (line.empty()) return out;
  out += "\n  ";
  out += base::terminal_safe(line);
  out += "\n  ";
  // Keep tabs so the caret lines up under a tab-indented source line.
  for (uint32_t i = 1; i < d.range.begin.column && i - 1 < line.size(); ++i) out += line[i - 1] == '\t' ? '\t' : ' ';
  out += '^';
  return out;
}

void Diagnostics::error(const SourceFilePtr& file, const SourceRange& range, std::string message) {
  items_.push_back(Diagnostic{Severity::kError, file, range, std::move(message)});
}

void Diagnostics::warning(const SourceFilePtr& file, const SourceRange& range, std::string message) {
  items_.push_back(Diagnostic{Severity::kWarning, file, range, std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) { items_.insert(items_.end(), other.items_.begin(), other.items_.end()); }

bool Diagnostics::has_errors() const { return error_count() > 0; }

size_t Diagnostics::error_count() const {
  return std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::string Diagnostics::render_all() const {
  std::vector<const Diagnostic*> sorted;
  for (const auto& d : items_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    std::string pa = a->file ? a->file->path() : "", pb = b->file ? b->file->path() : "";
    if (pa != pb) return pa < pb;
    return a->range.begin.byte < b->range.begin.byte;
  });
  std::string out;
  for (const Diagnostic* d : sorted) {
    out += render(*d);
    out += "\n";
  }
  return out;
}

}  // namespace skiff::parser
