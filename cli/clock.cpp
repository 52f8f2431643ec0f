#include "cli/clock.hpp"

#include <chrono>

namespace skiff::cli {

int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace skiff::cli
