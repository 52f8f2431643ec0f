// Encoding functions: base64, urlencode, csvdecode, json, yaml.
#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

TEST_CASE("base64encode and base64decode", "[functions]") {
  CHECK(call_ok("base64encode", {S("Hello World")}) == S("SGVsbG8gV29ybGQ="));
  CHECK(call_ok("base64encode", {S("Hello, 世界")}) == S("SGVsbG8sIOS4lueVjA=="));
  CHECK(call_ok("base64encode", {S("")}) == S(""));
  CHECK(call_ok("base64decode", {S("SGVsbG8gV29ybGQ=")}) == S("Hello World"));
  CHECK(call_ok("base64decode", {S("SGVsbG8s\nIOS4lueVjA==")}) == S("Hello, 世界"));
  CHECK(call_error("base64decode", {S("SGVsbG8")}) ==
        "Call to function \"base64decode\" failed: failed to decode base64 data 'SGVsbG8'.");
  CHECK(call_error("base64decode", {S("S=Vs")}) ==
        "Call to function \"base64decode\" failed: failed to decode base64 data 'S=Vs'.");
  CHECK(call_error("base64decode", {S("/w==")}) ==
        "Call to function \"base64decode\" failed: the result of decoding the the provided string is not valid UTF-8.");
}

TEST_CASE("urlencode escapes as Go's url.QueryEscape", "[functions]") {
  CHECK(call_ok("urlencode", {S("Hello World & <you>?/~-_.")}) == S("Hello+World+%26+%3Cyou%3E%3F%2F~-_."));
  CHECK(call_ok("urlencode", {S("☃")}) == S("%E2%98%83"));
}

TEST_CASE("csvdecode reads a header and rows of strings", "[functions]") {
  Value rows = call_ok("csvdecode", {S("a,b,c\n1,2,3\n4,5,6\n")});
  CHECK(rows == T({Obj({{"a", S("1")}, {"b", S("2")}, {"c", S("3")}}), Obj({{"a", S("4")}, {"b", S("5")}, {"c", S("6")}})}));
  CHECK(rows.list_flavour() == ListFlavour::kList);
  CHECK(call_ok("csvdecode", {S("name,note\r\n\"x, y\",\"say \"\"hi\"\"\nthere\"\r\n\n")}) ==
        T({Obj({{"name", S("x, y")}, {"note", S("say \"hi\"\nthere")}})}));
  CHECK(call_ok("csvdecode", {S("a,b\n")}) == T({}));
  CHECK(call_error("csvdecode", {S("")}) == "Call to function \"csvdecode\" failed: missing header line.");
  CHECK(call_error("csvdecode", {S("a,a\n1,2")}) == "Call to function \"csvdecode\" failed: duplicate column name \"a\".");
  CHECK(call_error("csvdecode", {S("a,b\n1,2,3\n")}) ==
        "Call to function \"csvdecode\" failed: CSV parse error on line 2: wrong number of fields.");
  CHECK(call_error("csvdecode", {S("a,b\n1,x\"y\n")}) ==
        "Call to function \"csvdecode\" failed: CSV parse error on line 2: bare \" in non-quoted-field.");
  CHECK(call_error("csvdecode", {S("a\n\"x\n")}) ==
        "Call to function \"csvdecode\" failed: CSV parse error on line 3: extraneous or missing \" in quoted-field.");
}

TEST_CASE("jsonencode writes cty's JSON", "[functions]") {
  CHECK(call_ok("jsonencode", {Obj({{"hello", S("world")}})}) == S("{\"hello\":\"world\"}"));
  CHECK(call_ok("jsonencode", {Obj({{"b", T({N(1), N(2.5), B(false)})}, {"a", Null()}})}) ==
        S("{\"a\":null,\"b\":[1,2.5,false]}"));
  CHECK(call_ok("jsonencode", {S("<a href=\"x\">&</a>")}) == S("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\""));
  CHECK(call_ok("jsonencode", {S("tab\there\nnl \x01 \u2028")}) == S("\"tab\\there\\nnl \\u0001 \\u2028\""));
  CHECK(call_ok("jsonencode", {N(1e21)}) == S("1000000000000000000000"));
  CHECK(call_ok("jsonencode", {N(0.1)}) == S("0.1"));
  CHECK(call_ok("jsonencode", {Null()}) == S("null"));
}

TEST_CASE("jsondecode builds objects and tuples", "[functions]") {
  CHECK(call_ok("jsondecode", {S("{\"hello\": \"world\"}")}) == Obj({{"hello", S("world")}}));
  Value value = call_ok("jsondecode", {S("[1, 2.5, true, null, \"x\", {\"a\": []}]")});
  CHECK(value == T({N(1), N(2.5), B(true), Null(), S("x"), Obj({{"a", T({})}})}));
  CHECK(value.list_flavour() == ListFlavour::kTuple);
  CHECK(call_ok("jsondecode", {S("true")}) == B(true));
  CHECK(call_error("jsondecode", {S("{\"a\":1,\"a\":2}")}) ==
        "Call to function \"jsondecode\" failed: duplicate \"a\" property in JSON object.");
  CHECK(call_error("jsondecode", {S("{")}).rfind("Call to function \"jsondecode\" failed: parse error", 0) == 0);
  CHECK(call_fail("jsondecode", {S("[1] 2")}).argument == -1);
}

TEST_CASE("yamldecode resolves scalars as go-cty-yaml does", "[functions]") {
  Value doc = call_ok("yamldecode",
                      {S("hello: world\ncount: 3\nratio: 0.5\non: yes\nnothing: ~\nquoted: \"123\"\n"
                         "list:\n  - a\n  - 2\n")});
  CHECK(doc ==
        Obj({{"hello", S("world")},
             {"count", N(3)},
             {"ratio", N(0.5)},
             {"true", B(true)},  // YAML 1.1: the key "on" is the bool true
             {"nothing", Null()},
             {"quoted", S("123")},
             {"list", T({S("a"), N(2)})}}));
  CHECK(call_ok("yamldecode", {S("- 0x1F\n- 0o17\n- 1e3\n- .inf\n- 2001-12-14\n- 'yes'\n- |\n  block\n")}) ==
        T({N(31), N(15), N(1000), N(HUGE_VAL), S("2001-12-14T00:00:00Z"), S("yes"), S("block\n")}));
  CHECK(call_ok("yamldecode", {S("base: &b {x: 1}\ncopy: *b\n")}) ==
        Obj({{"base", Obj({{"x", N(1)}})}, {"copy", Obj({{"x", N(1)}})}}));
  CHECK(call_ok("yamldecode", {S("")}) == Null());
  CHECK(call_ok("yamldecode", {S("!!str 12")}) == S("12"));
  CHECK(call_error("yamldecode", {S("a: 1\n---\nb: 2\n")}) ==
        "Call to function \"yamldecode\" failed: unexpected extra content after value.");
  CHECK(call_error("yamldecode", {S("a: [1")}).rfind("Call to function \"yamldecode\" failed: on line", 0) == 0);
  CHECK(call_error("yamldecode", {S(".nan")}) == "Call to function \"yamldecode\" failed: floating point NaN is not supported.");
}

TEST_CASE("yamlencode writes block style with quoted strings", "[functions]") {
  CHECK(call_ok("yamlencode", {Obj({{"a", S("b")}, {"c", S("d")}})}) == S("\"a\": \"b\"\n\"c\": \"d\"\n"));
  CHECK(call_ok("yamlencode", {Obj({{"foo", T({N(1), N(2), N(3)})}, {"bar", S("baz")}})}) ==
        S("\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"));
  CHECK(call_ok("yamlencode", {Obj({{"foo", T({N(1), Obj({{"a", S("b")}, {"c", S("d")}}), N(3)})}, {"bar", S("baz")}})}) ==
        S("\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n"));
  CHECK(call_ok("yamlencode", {B(true)}) == S("true\n...\n"));
  CHECK(call_ok("yamlencode", {N(0)}) == S("0\n...\n"));
  CHECK(call_ok("yamlencode", {S("hello")}) == S("\"hello\"\n"));
  CHECK(call_ok("yamlencode", {Obj({})}) == S("{}\n"));
  CHECK(call_ok("yamlencode", {T({})}) == S("[]\n"));
  CHECK(call_ok("yamlencode", {Null()}) == S("null\n...\n"));
  CHECK(call_ok("yamlencode", {S("line1\nline2")}) == S("\"line1\\nline2\"\n"));
}
