#include "base/text.hpp"

namespace skiff::base {

std::string without_trailing_space(std::string text) {
  const size_t end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  return text;
}

}  // namespace skiff::base
