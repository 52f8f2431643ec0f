// The first mistakes in an HCL file that tree-sitter could not parse, found
// as hashicorp/hcl v2's parser finds them: at the token where the file stops
// making sense, in the words of the shape that was meant. tree-sitter's
// recovery often wraps a whole block in its ERROR node (so the mistake would
// be reported at the block's first word); this small structural reader of
// bodies and expressions does not build anything, only locates.
//
// It reports only what it is sure of: a quoted argument name (HCL1), a comma
// after an argument, characters after an argument's value, a "." without a
// name, an item that is neither an argument nor a block, an extra "}". Where
// it is unsure (an unterminated string, unbalanced brackets, a mistake inside
// an interpolation) it says nothing and the tree's ERROR nodes are reported.
// After a mistake it skips to the end of that line and goes on, so later
// mistakes are reported too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::parser {

struct SyntaxMistake {
  uint32_t begin = 0;  // byte offsets into the text
  uint32_t end = 0;
  std::string message;
};

std::vector<SyntaxMistake> find_syntax_mistakes(std::string_view text);

}  // namespace skiff::parser
