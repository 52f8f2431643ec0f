// String functions of the HCL function table (cty's stdlib string.go).
#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

TEST_CASE("upper, lower and title map case like Go's strings package", "[functions]") {
  CHECK(call_ok("upper", {S("hello wörld ß")}) == S("HELLO WÖRLD ß"));
  CHECK(call_ok("lower", {S("HELLO ÄÖÜ ΣΑΣ Привет")}) == S("hello äöü σασ привет"));
  CHECK(call_ok("upper", {S("ÿ čšž ı")}) == S("Ÿ ČŠŽ I"));
  CHECK(call_ok("title", {S("hello world")}) == S("Hello World"));
  CHECK(call_ok("title", {S("hello-world_foo o'neil élan")}) == S("Hello-World_foo O'Neil Élan"));
  // A number argument is converted to a string, as cty converts it.
  CHECK(call_ok("upper", {N(12)}) == S("12"));
  CHECK(call_ok("lower", {B(true)}) == S("true"));
}

TEST_CASE("reverse and strrev reverse a string by characters", "[functions]") {
  CHECK(call_ok("reverse", {S("hello")}) == S("olleh"));
  CHECK(call_ok("strrev", {S("hello")}) == S("olleh"));
  CHECK(call_ok("strrev", {S("a☃b")}) == S("b☃a"));
  // A combining accent stays on its letter.
  CHECK(call_ok("strrev", {S("cafe\xCC\x81s")}) ==
        S("se\xCC\x81"
          "fac"));
  CHECK(call_ok("reverse", {S("")}) == S(""));
  // Nomad's reverse is cty's string ReverseFunc, so a list is an error.
  CHECK(call_error("reverse", {T({S("a"), S("b")})}) == "Invalid value for \"str\" parameter: string required.");
}

TEST_CASE("strlen counts characters, not bytes", "[functions]") {
  CHECK(call_ok("strlen", {S("hello")}) == N(5));
  CHECK(call_ok("strlen", {S("")}) == N(0));
  CHECK(call_ok("strlen", {S("☃☃")}) == N(2));
  CHECK(call_ok("strlen", {S("e\xCC\x81")}) == N(1));
  CHECK(call_ok("strlen", {S("\r\n")}) == N(1));
  CHECK(call_ok("strlen", {N(1234)}) == N(4));
}

TEST_CASE("substr takes characters from an offset", "[functions]") {
  CHECK(call_ok("substr", {S("hello world"), N(1), N(4)}) == S("ello"));
  CHECK(call_ok("substr", {S("🤔🤷"), N(0), N(1)}) == S("🤔"));
  CHECK(call_ok("substr", {S("hello world"), N(-5), N(-1)}) == S("world"));
  CHECK(call_ok("substr", {S("hello world"), N(6), N(-1)}) == S("world"));
  CHECK(call_ok("substr", {S("hello"), N(2), N(100)}) == S("llo"));
  CHECK(call_ok("substr", {S("hello"), N(10), N(2)}) == S(""));
  CHECK(call_ok("substr", {S("hello"), N(1), N(0)}) == S(""));
  CHECK(call_ok("substr", {S("hello"), S("1"), S("2")}) == S("el"));
  CHECK(call_error("substr", {S("hello"), N(1.5), N(2)}) ==
        "Invalid value for \"offset\" parameter: value must be a whole number, between -9223372036854775808 and "
        "9223372036854775807.");
  CHECK(call_error("substr", {S("hello"), S("x"), N(2)}) == "Invalid value for \"offset\" parameter: a number is required.");
}

TEST_CASE("chomp, indent and the trim family", "[functions]") {
  CHECK(call_ok("chomp", {S("hello\n")}) == S("hello"));
  CHECK(call_ok("chomp", {S("hello\r\n\n\r\n")}) == S("hello"));
  CHECK(call_ok("chomp", {S("hello\nworld")}) == S("hello\nworld"));
  CHECK(call_ok("indent", {N(2), S("[\n  foo,\n  bar,\n]\n")}) == S("[\n    foo,\n    bar,\n  ]\n  "));
  CHECK(call_ok("trim", {S("?!hello?!"), S("!?")}) == S("hello"));
  CHECK(call_ok("trim", {S("  hello  "), S(" ")}) == S("hello"));
  CHECK(call_ok("trim", {S("☃x☃"), S("☃")}) == S("x"));
  CHECK(call_ok("trim", {S("aaa"), S("a")}) == S(""));
  CHECK(call_ok("trimprefix", {S("helloworld"), S("hello")}) == S("world"));
  CHECK(call_ok("trimprefix", {S("helloworld"), S("cat")}) == S("helloworld"));
  CHECK(call_ok("trimsuffix", {S("helloworld"), S("world")}) == S("hello"));
  CHECK(call_ok("trimsuffix", {S("helloworld"), S("cat")}) == S("helloworld"));
  CHECK(call_ok("trimspace", {S("  \t\n hello \u00a0\n")}) == S("hello"));
  CHECK(call_ok("trimspace", {S("   ")}) == S(""));
}

TEST_CASE("split and join", "[functions]") {
  Value parts = call_ok("split", {S(","), S("foo,bar,baz")});
  CHECK(parts == T({S("foo"), S("bar"), S("baz")}));
  CHECK(parts.list_flavour() == ListFlavour::kList);
  CHECK(call_ok("split", {S(","), S("foo")}) == T({S("foo")}));
  CHECK(call_ok("split", {S(","), S("")}) == T({S("")}));
  CHECK(call_ok("split", {S(""), S("a☃b")}) == T({S("a"), S("☃"), S("b")}));
  CHECK(call_ok("join", {S(", "), T({S("foo"), S("bar"), S("baz")})}) == S("foo, bar, baz"));
  CHECK(call_ok("join", {S("-"), T({S("a")}), T({N(1), B(true)})}) == S("a-1-true"));
  CHECK(call_ok("join", {S(","), T({})}) == S(""));
  CHECK(call_error("join", {S(",")}) == "Call to function \"join\" failed: at least one list is required.");
  CHECK(call_error("join", {S(","), T({S("a"), Null()})}) ==
        "Invalid value for \"lists\" parameter: element 1 is null; cannot concatenate null values.");
  CHECK(call_error("join", {S(","), T({S("a")}), T({Null()})}) ==
        "Invalid value for \"lists\" parameter: element 0 of list 2 is null; cannot concatenate null values.");
  FunctionFailure nested = call_fail("join", {S(","), T({T({S("a")})})});
  CHECK(nested.argument == 1);
  CHECK(nested.message == "Invalid value for \"lists\" parameter: element 0: string required.");
  CHECK(call_error("join", {S(","), S("abc")}) == "Invalid value for \"lists\" parameter: list of string required.");
}

TEST_CASE("sort orders strings lexically", "[functions]") {
  Value sorted = call_ok("sort", {T({S("e"), S("d"), S("a"), S("x")})});
  CHECK(sorted == T({S("a"), S("d"), S("e"), S("x")}));
  CHECK(sorted.list_flavour() == ListFlavour::kList);
  // Numbers become strings, so they sort as text.
  CHECK(call_ok("sort", {T({N(10), N(9), N(1)})}) == T({S("1"), S("10"), S("9")}));
  CHECK(call_error("sort", {T({S("a"), Null()})}) ==
        "Call to function \"sort\" failed: given list element 1 is null; a null string cannot be sorted.");
}

TEST_CASE("replace is a plain substring replacement", "[functions]") {
  CHECK(call_ok("replace", {S("1 + 2 + 3"), S("+"), S("-")}) == S("1 - 2 - 3"));
  CHECK(call_ok("replace", {S("hello world"), S("/w.*d/"), S("everybody")}) == S("hello world"));
  CHECK(call_ok("replace", {S("abc"), S(""), S("-")}) == S("-a-b-c-"));
  CHECK(call_ok("replace", {S("aaaa"), S("aa"), S("b")}) == S("bb"));
}

TEST_CASE("regex_replace uses RE2 with Go's replacement syntax", "[functions]") {
  CHECK(call_ok("regex_replace", {S("hello world"), S("w.*d"), S("everybody")}) == S("hello everybody"));
  CHECK(call_ok("regex_replace", {S("abc-123"), S("([a-z]+)-([0-9]+)"), S("$2-$1")}) == S("123-abc"));
  CHECK(call_ok("regex_replace", {S("abc-123"), S("([a-z]+)-([0-9]+)"), S("${2}x$1")}) == S("123xabc"));
  // "$1x" names a group called "1x", which does not exist.
  CHECK(call_ok("regex_replace", {S("abc"), S("(b)"), S("$1x")}) == S("ac"));
  CHECK(call_ok("regex_replace", {S("abc"), S("(?P<mid>b)"), S("[${mid}]")}) == S("a[b]c"));
  CHECK(call_ok("regex_replace", {S("a.b"), S("\\."), S("$$")}) == S("a$b"));
  // Go replaces an empty match after a non-empty one only once.
  CHECK(call_ok("regex_replace", {S("abc"), S("x*"), S("-")}) == S("-a-b-c-"));
  CHECK(call_ok("regex_replace", {S("baaac"), S("a*"), S("-")}) == S("-b-c-"));
  CHECK(call_error("regex_replace", {S("abc"), S("(a"), S("x")})
            .rfind("Call to function \"regex_replace\" failed: error parsing regexp: missing ): (a", 0) == 0);
}

TEST_CASE("string functions refuse null arguments", "[functions]") {
  FunctionFailure failure = call_fail("upper", {Null()});
  CHECK(failure.argument == 0);
  CHECK(failure.message == "Invalid value for \"str\" parameter: argument must not be null.");
  CHECK(call_fail("trim", {S("x"), Null()}).argument == 1);
}
