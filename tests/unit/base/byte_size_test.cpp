#include "base/byte_size.hpp"

#include <catch2/catch.hpp>

namespace skiff::base {
namespace {

TEST_CASE("byte sizes are read with a binary unit", "[byte_size]") {
  CHECK(parse_byte_size("64MiB") == uint64_t{64} << 20);
  CHECK(parse_byte_size("64 MiB") == uint64_t{64} << 20);
  CHECK(parse_byte_size("512KiB") == uint64_t{512} << 10);
  CHECK(parse_byte_size("2GiB") == uint64_t{2} << 30);
  CHECK(parse_byte_size("100B") == 100u);
}

TEST_CASE("a byte size without a known unit, negative or too large is refused", "[byte_size]") {
  for (const char* bad :
       {"", "64", "MiB", "64MB", "64mib", "-1MiB", "1.5MiB", "64  MiB", "64MiB ", "99999999999GiB", "99999999999999999999999B"}) {
    INFO(bad);
    CHECK_FALSE(parse_byte_size(bad));
  }
}

TEST_CASE("byte sizes print in the largest unit that divides them", "[byte_size]") {
  CHECK(byte_size_text(uint64_t{64} << 20) == "64 MiB");
  CHECK(byte_size_text(uint64_t{1536} << 10) == "1536 KiB");
  CHECK(byte_size_text(uint64_t{1} << 30) == "1 GiB");
  CHECK(byte_size_text(1000) == "1000 bytes");
  CHECK(byte_size_text(1) == "1 byte");
}

}  // namespace
}  // namespace skiff::base
