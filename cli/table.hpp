// Plain-text tables as the nomad CLI prints them: a header row, columns
// left-aligned and separated by two spaces, no trailing spaces.
#pragma once

#include <string>
#include <vector>

namespace skiff::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  // REQUIRES: as many cells as the header.
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Display width in columns: UTF-8 code points, not bytes.
size_t display_width(const std::string& text);

}  // namespace skiff::cli
