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

TEST_CASE("is_file_path_below accepts a file below the folder and nothing that leaves it", "[base]") {
  CHECK(skiff::base::is_file_path_below("input.json"));
  CHECK(skiff::base::is_file_path_below("in/config.json"));
  CHECK(skiff::base::is_file_path_below("in/./config..json"));
  for (const char* outside : {"", "/etc/passwd", "../alloc.json", "in/../../x", "in/..", "in/", "in/.", ".", "a//"})
    CHECK_FALSE(skiff::base::is_file_path_below(outside));
}

TEST_CASE("is_env_name takes Nomad's variable names and nothing env could read otherwise", "[base]") {
  for (const char* name : {"PATH", "_x", "a.b-c", "DB_PASSWORD2"}) CHECK(skiff::base::is_env_name(name));
  for (const char* name : {"", "-i", "1A", "A=B", "A\nB", ".x", "a b", "A\x1b"}) CHECK_FALSE(skiff::base::is_env_name(name));
}
