// Source files and positions. Every syntax node and diagnostic points into a
// SourceFile by byte offset; line and column are 1-based, the column counted
// in bytes as gcc and Nomad's HCL do.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::parser {

struct SourcePos {
  uint32_t byte = 0;
  uint32_t line = 1;
  uint32_t column = 1;
};

struct SourceRange {
  SourcePos begin;
  SourcePos end;
};

// Whether diagnostics may quote a file's text. A -var-file may hold
// sensitive values, and which ones is known only once it has been read: its
// problems name the place, never the text there.
enum class SourceText { kShown, kHidden };

// An immutable file's text with a line index. Shared by the syntax tree,
// the evaluated body and diagnostics, which all keep it alive.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text, SourceText shown = SourceText::kShown);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // Whether diagnostics may quote the text (its lines, a token).
  bool text_shown() const { return shown_ == SourceText::kShown; }

  // The text of a range (clamped to the file).
  std::string_view slice(const SourceRange& range) const;
  // The text of 1-based line `line` without its newline.
  std::string_view line_text(uint32_t line) const;
  // The position of a byte offset.
  SourcePos position_of(uint32_t byte) const;

 private:
  std::string path_;
  std::string text_;
  SourceText shown_;
  std::vector<uint32_t> line_starts_;
};

using SourceFilePtr = std::shared_ptr<const SourceFile>;

}  // namespace skiff::parser
