#include "base/text.hpp"

#include <catch2/catch.hpp>

using skiff::base::without_trailing_space;

TEST_CASE("without_trailing_space drops the spaces and line ends a command's stderr ends with, and nothing else", "[base]") {
  CHECK(without_trailing_space("skiff: cannot write /x\n") == "skiff: cannot write /x");
  CHECK(without_trailing_space("two lines\r\nend \t\n\n") == "two lines\r\nend");
  CHECK(without_trailing_space("  leading kept") == "  leading kept");
  CHECK(without_trailing_space(" \n\t\r") == "");
  CHECK(without_trailing_space("") == "");
}
