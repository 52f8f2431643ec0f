// Numeric functions (cty's stdlib number.go).
#include <cmath>

#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

TEST_CASE("abs, ceil, floor, signum", "[functions]") {
  CHECK(call_ok("abs", {N(-12.4)}) == N(12.4));
  CHECK(call_ok("abs", {N(23)}) == N(23));
  CHECK(call_ok("abs", {S("-3")}) == N(3));
  CHECK(call_ok("ceil", {N(5.1)}) == N(6));
  CHECK(call_ok("ceil", {N(-5.1)}) == N(-5));
  CHECK(call_ok("floor", {N(4.9)}) == N(4));
  CHECK(call_ok("floor", {N(-4.1)}) == N(-5));
  CHECK(call_ok("signum", {N(-13)}) == N(-1));
  CHECK(call_ok("signum", {N(0)}) == N(0));
  CHECK(call_ok("signum", {N(344)}) == N(1));
  CHECK(call_error("signum", {N(0.5)}) ==
        "Call to function \"signum\" failed: value must be a whole number, between -9223372036854775808 and "
        "9223372036854775807.");
  CHECK(call_error("abs", {S("twelve")}) == "Invalid value for \"num\" parameter: a number is required.");
  CHECK(call_error("abs", {B(true)}) == "Invalid value for \"num\" parameter: number required.");
  CHECK(call_error("abs", {S("inf")}) == "Invalid value for \"num\" parameter: a number is required.");
}

TEST_CASE("log and pow", "[functions]") {
  CHECK(call_ok("log", {N(50), N(10)}).as_number() == Approx(1.69897));
  CHECK(call_ok("log", {N(16), N(2)}) == N(4));
  CHECK(call_ok("log", {N(1), N(10)}) == N(0));
  CHECK(call_ok("pow", {N(3), N(2)}) == N(9));
  CHECK(call_ok("pow", {N(4), N(0)}) == N(1));
  CHECK(call_ok("pow", {N(2), N(-1)}) == N(0.5));
}

TEST_CASE("max and min are variadic", "[functions]") {
  CHECK(call_ok("max", {N(12), N(54), N(3)}) == N(54));
  CHECK(call_ok("min", {N(12), N(54), N(3)}) == N(3));
  CHECK(call_ok("max", {N(-1)}) == N(-1));
  CHECK(call_ok("min", {S("5"), N(7)}) == N(5));
  CHECK(call_error("max", {}) == "Call to function \"max\" failed: must pass at least one number.");
  CHECK(call_fail("min", {N(1), S("x")}).argument == 1);
}

TEST_CASE("parseint reads integers in bases 2 to 62", "[functions]") {
  CHECK(call_ok("parseint", {S("100"), N(10)}) == N(100));
  CHECK(call_ok("parseint", {S("FF"), N(16)}) == N(255));
  CHECK(call_ok("parseint", {S("-10"), N(16)}) == N(-16));
  CHECK(call_ok("parseint", {S("+11"), N(2)}) == N(3));
  CHECK(call_ok("parseint", {S("zz"), N(36)}) == N(1295));
  CHECK(call_ok("parseint", {S("Zz"), N(62)}) == N(3817));
  CHECK(call_error("parseint", {S("12"), N(2)}) ==
        "Invalid value for \"number\" parameter: cannot parse \"12\" as a base 2 integer.");
  CHECK(call_error("parseint", {S("1_0"), N(10)}) ==
        "Invalid value for \"number\" parameter: cannot parse \"1_0\" as a base 10 integer.");
  CHECK(call_error("parseint", {S(""), N(10)}) ==
        "Invalid value for \"number\" parameter: cannot parse \"\" as a base 10 integer.");
  CHECK(call_error("parseint", {S("1"), N(63)}) ==
        "Invalid value for \"base\" parameter: base must be a whole number between 2 and 62 inclusive.");
  CHECK(call_error("parseint", {N(10), N(10)}) ==
        "Invalid value for \"number\" parameter: first argument must be a string, not number.");
}
