// Suggestions for misspelt names ("did you mean "count"?"), shared by the
// evaluator (variables, functions) and the validators (attributes, blocks).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace skiff::parser {

// The candidate closest to `name` by edit distance, when it is close enough
// to be a plausible typo (at most a third of the name's length, at least 1).
std::optional<std::string> did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

// "; did you mean \"x\"?" or "" — for appending to a message.
std::string did_you_mean_suffix(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace skiff::parser
