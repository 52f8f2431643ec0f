// format and formatlist (cty's stdlib format.go).
#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

namespace {
std::string fmt(ValueList args) { return call_ok("format", std::move(args)).as_string(); }
}  // namespace

TEST_CASE("format: strings, quoting and the default verb", "[functions]") {
  CHECK(fmt({S("Hello, %s!"), S("Ander")}) == "Hello, Ander!");
  CHECK(fmt({S("There are %d lights"), N(4)}) == "There are 4 lights");
  CHECK(fmt({S("%q"), S("a\"b<c>")}) == "\"a\\\"b\\u003cc\\u003e\"");
  CHECK(fmt({S("%v %v %v"), S("s"), N(1.5), B(true)}) == "s 1.5 true");
  CHECK(fmt({S("%v"), N(1000000)}) == "1e+06");
  CHECK(fmt({S("%v"), N(123456)}) == "123456");
  CHECK(fmt({S("%v"), T({S("a"), N(1)})}) == "[\"a\",1]");
  CHECK(fmt({S("%#v"), S("a")}) == "\"a\"");
  CHECK(fmt({S("%#v"), Obj({{"b", N(1)}, {"a", Null()}})}) == "{\"a\":null,\"b\":1}");
  CHECK(fmt({S("%v"), Null()}) == "null");
  CHECK(fmt({S("%t"), S("true")}) == "true");
  CHECK(fmt({S("100%% sure")}) == "100% sure");
  CHECK(fmt({S("%s"), N(12)}) == "12");
}

TEST_CASE("format: widths, precision and flags", "[functions]") {
  CHECK(fmt({S("%5s|%-5s|"), S("ab"), S("cd")}) == "   ab|cd   |");
  CHECK(fmt({S("%.2s"), S("☃☃☃")}) == "☃☃");
  CHECK(fmt({S("%3s"), S("☃")}) == "  ☃");
  CHECK(fmt({S("%05d"), N(42)}) == "00042");
  CHECK(fmt({S("%05d"), N(-42)}) == "-0042");
  CHECK(fmt({S("%+d % d"), N(5), N(5)}) == "+5  5");
  CHECK(fmt({S("%-5d|"), N(7)}) == "7    |");
  CHECK(fmt({S("%.3d"), N(7)}) == "007");
  CHECK(fmt({S("%b %o %x %X"), N(5), N(8), N(255), N(255)}) == "101 10 ff FF");
  CHECK(fmt({S("%#x %#o %#b"), N(255), N(8), N(5)}) == "0xff 010 0b101");
  CHECK(fmt({S("%f"), N(3.14159)}) == "3.141590");
  CHECK(fmt({S("%.2f"), N(3.14159)}) == "3.14");
  CHECK(fmt({S("%8.2f|"), N(3.14159)}) == "    3.14|");
  CHECK(fmt({S("%08.2f"), N(-3.14159)}) == "-0003.14");
  CHECK(fmt({S("%e"), N(123456)}) == "1.234560e+05");
  CHECK(fmt({S("%E"), N(0.000123)}) == "1.230000E-04");
  CHECK(fmt({S("%g %g"), N(0.5), N(1e21)}) == "0.5 1e+21");
  CHECK(fmt({S("%.3g"), N(1234.5678)}) == "1.23e+03");
  CHECK(fmt({S("%d"), S("12")}) == "12");
}

TEST_CASE("format: explicit argument indexes", "[functions]") {
  CHECK(fmt({S("%[2]s %[1]s"), S("world"), S("hello")}) == "hello world");
  CHECK(fmt({S("%[1]s %s %[1]s"), S("a"), S("b")}) == "a b a");
}

TEST_CASE("format: errors", "[functions]") {
  CHECK(call_error("format", {S("%s %s"), S("a")}) ==
        "Call to function \"format\" failed: not enough arguments for \"%s\" at 3: need index 2 but have 1 total.");
  FunctionFailure extra = call_fail("format", {S("%s"), S("a"), S("b")});
  CHECK(extra.argument == 2);
  CHECK(extra.message == "Invalid value for \"args\" parameter: too many arguments; only 1 used by format string.");
  CHECK(call_error("format", {S("hello"), S("a")}) ==
        "Invalid value for \"args\" parameter: too many arguments; no verbs in format string.");
  CHECK(call_error("format", {S("%z"), N(10)}) ==
        "Call to function \"format\" failed: unsupported format verb 'z' in \"%z\" at offset 0.");
  CHECK(call_error("format", {S("%[0]s"), N(10)}) ==
        "Call to function \"format\" failed: unrecognized format character '0' at offset 2.");
  CHECK(call_error("format", {S("%d bottles"), B(true)}) ==
        "Call to function \"format\" failed: unsupported value for \"%d\" at 0: number required.");
  CHECK(call_error("format", {S("%d"), N(1.5)}) ==
        "Call to function \"format\" failed: unsupported value for \"%d\" at 0: an integer is required.");
  CHECK(call_error("format", {S("%s"), Null()}) ==
        "Call to function \"format\" failed: unsupported value for \"%s\" at 0: null value cannot be formatted.");
  CHECK(call_error("format", {S("%s"), T({})}) ==
        "Call to function \"format\" failed: unsupported value for \"%s\" at 0: string required.");
  CHECK(call_error("format", {S("abc%")}) == "Call to function \"format\" failed: invalid format string starting at offset 4.");
}

TEST_CASE("formatlist iterates lists in step", "[functions]") {
  Value out = call_ok("formatlist", {S("Hello, %s!"), T({S("Valentina"), S("Ander"), S("Olivia")})});
  CHECK(out == T({S("Hello, Valentina!"), S("Hello, Ander!"), S("Hello, Olivia!")}));
  CHECK(out.list_flavour() == ListFlavour::kList);
  CHECK(call_ok("formatlist", {S("%s, %s!"), S("Salutations"), T({S("Valentina"), S("Ander")})}) ==
        T({S("Salutations, Valentina!"), S("Salutations, Ander!")}));
  CHECK(call_ok("formatlist", {S("%s=%d"), T({S("a"), S("b")}), List({N(1), N(2)})}) == T({S("a=1"), S("b=2")}));
  CHECK(call_ok("formatlist", {S("x")}) == T({S("x")}));
  CHECK(call_ok("formatlist", {S("%s"), T({})}) == T({}));
  CHECK(call_error("formatlist", {S("%s %s"), T({S("a")}), T({S("b"), S("c")})}) ==
        "Invalid value for \"args\" parameter: argument 2 has length 2, which is inconsistent with argument 1 of "
        "length 1.");
  CHECK(call_error("formatlist", {S("%d"), T({S("a")})}) ==
        "Call to function \"formatlist\" failed: error on format iteration 0: unsupported value for \"%d\" at 0: a "
        "number is required.");
}
