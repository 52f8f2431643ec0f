// UTF-8 encoding shared by the template decoder (\u escapes) and the
// function table.
#pragma once

#include <string>

namespace skiff::parser {

// Appends `code_point` to `out` as UTF-8.
void append_utf8(std::string& out, char32_t code_point);

}  // namespace skiff::parser
