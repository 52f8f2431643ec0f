// Lexical checks run before tree-sitter: unclosed strings, heredocs,
// interpolations, comments and brackets, and invalid escapes, each reported
// where it is. Returns true when it reported anything.
#pragma once

#include "parser/diagnostic.hpp"

namespace skiff::parser {

bool check_lexical(const SourceFilePtr& file, Diagnostics& diagnostics);

}  // namespace skiff::parser
