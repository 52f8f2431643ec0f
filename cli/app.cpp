#include "cli/app.hpp"

#include <iostream>

namespace skiff::cli {

int run(int argc, char** argv) {
  std::cerr << "skiff: not yet wired\n";
  return 1;
}

}  // namespace skiff::cli
