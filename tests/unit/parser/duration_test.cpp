#include <catch2/catch.hpp>

#include "parser/spec/duration.hpp"

using skiff::spec::Duration;
using skiff::spec::format_duration;
using skiff::spec::parse_duration;

TEST_CASE("Go duration strings parse and format as Go does", "[spec]") {
  CHECK(parse_duration("10s") == Duration::seconds(10));
  CHECK(parse_duration("1m30s") == Duration::seconds(90));
  CHECK(parse_duration("250ms") == Duration{250000000});
  CHECK(parse_duration("1.5h") == Duration::minutes(90));
  CHECK(parse_duration("0") == Duration{0});
  CHECK_FALSE(parse_duration("10x"));
  CHECK_FALSE(parse_duration("s"));
  CHECK_FALSE(parse_duration(""));
  CHECK(format_duration(Duration::minutes(5)) == "5m0s");
  CHECK(format_duration(Duration::hours(24)) == "24h0m0s");
  CHECK(format_duration(Duration{1500000000}) == "1.5s");
  CHECK(format_duration(Duration{250000000}) == "250ms");
  CHECK(format_duration(Duration{0}) == "0s");
}
