#include "parser/source.hpp"

#include <algorithm>

namespace skiff::parser {

SourceFile::SourceFile(std::string path, std::string text, SourceText shown)
    : path_(std::move(path)), text_(std::move(text)), shown_(shown) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::string_view SourceFile::slice(const SourceRange& range) const {
  uint32_t begin = std::min<uint32_t>(range.begin.byte, text_.size());
  uint32_t end = std::clamp<uint32_t>(range.end.byte, begin, text_.size());
  return std::string_view(text_).substr(begin, end - begin);
}

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t begin = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

SourcePos SourceFile::position_of(uint32_t byte) const {
  byte = std::min<uint32_t>(byte, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  return SourcePos{byte, line, byte - line_starts_[line - 1] + 1};
}

}  // namespace skiff::parser
