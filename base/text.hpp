// Small text helpers every room uses.
#pragma once

#include <string>

namespace skiff::base {

// `text` without its trailing spaces, tabs and line ends: what a remote
// command printed on stderr, made fit to end a one-line message.
std::string without_trailing_space(std::string text);

}  // namespace skiff::base
