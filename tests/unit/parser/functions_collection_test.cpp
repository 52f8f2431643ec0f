// Collection, sequence and set functions (cty's stdlib collection.go,
// sequence.go, set.go, general.go).
#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

TEST_CASE("length counts lists, tuples, sets and maps", "[functions]") {
  CHECK(call_ok("length", {T({S("a"), S("b")})}) == N(2));
  CHECK(call_ok("length", {List({})}) == N(0));
  CHECK(call_ok("length", {Set({N(1), N(2), N(3)})}) == N(3));
  CHECK(call_ok("length", {Map({{"a", N(1)}})}) == N(1));
  // cty's length refuses strings and object values.
  CHECK(call_error("length", {S("hello")}) == "Call to function \"length\" failed: collection must be a list, a map or a tuple.");
  CHECK(call_error("length", {Obj({{"a", N(1)}})}) ==
        "Call to function \"length\" failed: collection must be a list, a map or a tuple.");
}

TEST_CASE("element wraps its index", "[functions]") {
  Value list = T({S("a"), S("b"), S("c")});
  CHECK(call_ok("element", {list, N(1)}) == S("b"));
  CHECK(call_ok("element", {list, N(3)}) == S("a"));
  CHECK(call_ok("element", {list, N(7)}) == S("b"));
  CHECK(call_ok("element", {list, N(-1)}) == S("c"));
  CHECK(call_ok("element", {list, S("2")}) == S("c"));
  CHECK(call_error("element", {T({}), N(0)}) ==
        "Call to function \"element\" failed: cannot use element function with an empty list.");
  CHECK(call_error("element", {Set({S("a")}), N(0)}) == "Call to function \"element\" failed: cannot read elements from set.");
  CHECK(call_error("element", {list, N(1.5)}).find("invalid index") != std::string::npos);
}

TEST_CASE("index reads collection[key]", "[functions]") {
  CHECK(call_ok("index", {T({S("a"), S("b")}), N(1)}) == S("b"));
  CHECK(call_ok("index", {List({S("a"), S("b")}), N(0)}) == S("a"));
  CHECK(call_ok("index", {Map({{"k", S("v")}}), S("k")}) == S("v"));
  CHECK(call_error("index", {T({S("a")}), N(1)}) == "Call to function \"index\" failed: key must be between 0 and 1 inclusive.");
  CHECK(call_error("index", {List({S("a")}), N(5)}) == "Call to function \"index\" failed: invalid index.");
  CHECK(call_error("index", {T({S("a")}), S("0")}) == "Call to function \"index\" failed: key for tuple must be number.");
  CHECK(call_error("index", {Map({{"k", S("v")}}), S("x")}) == "Call to function \"index\" failed: invalid index.");
  CHECK(call_error("index", {Obj({{"k", S("v")}}), S("k")}) ==
        "Call to function \"index\" failed: collection must be a list, a map or a tuple.");
}

TEST_CASE("lookup takes a default for missing keys", "[functions]") {
  Value object = Obj({{"a", S("ay")}, {"b", S("bee")}});
  CHECK(call_ok("lookup", {object, S("a"), S("what?")}) == S("ay"));
  CHECK(call_ok("lookup", {object, S("c"), S("what?")}) == S("what?"));
  CHECK(call_ok("lookup", {Map({{"a", S("x")}}), S("b"), N(5)}) == S("5"));
  CHECK(find_function("lookup")->min_args == 3);
  CHECK(call_error("lookup", {S("nope"), S("a"), S("d")}) ==
        "Invalid value for \"inputMap\" parameter: lookup() requires a map as the first argument.");
}

TEST_CASE("keys and values follow key order", "[functions]") {
  Value object = Obj({{"b", N(2)}, {"a", N(1)}, {"c", N(3)}});
  Value keys = call_ok("keys", {object});
  CHECK(keys == T({S("a"), S("b"), S("c")}));
  CHECK(keys.list_flavour() == ListFlavour::kTuple);
  CHECK(call_ok("keys", {Map({{"z", N(1)}})}).list_flavour() == ListFlavour::kList);
  CHECK(call_ok("values", {object}) == T({N(1), N(2), N(3)}));
  CHECK(call_error("keys", {T({})}) == "Invalid value for \"inputMap\" parameter: must have map or object type.");
  CHECK(call_error("values", {S("x")}) == "Call to function \"values\" failed: values() requires a map as the first argument.");
}

TEST_CASE("merge: later arguments win, nulls are skipped", "[functions]") {
  Value merged = call_ok("merge", {Obj({{"a", S("b")}, {"c", S("d")}}), Null(), Obj({{"c", S("z")}, {"e", S("f")}})});
  CHECK(merged == Obj({{"a", S("b")}, {"c", S("z")}, {"e", S("f")}}));
  CHECK(merged.object_flavour() == ObjectFlavour::kObject);
  CHECK(call_ok("merge", {Map({{"a", N(1)}}), Map({{"b", N(2)}})}).object_flavour() == ObjectFlavour::kMap);
  CHECK(call_ok("merge", {}) == Obj({}));
  CHECK(call_error("merge", {Obj({}), S("x")}) ==
        "Call to function \"merge\" failed: arguments must be maps or objects, got \"string\".");
}

TEST_CASE("contains compares values with their types", "[functions]") {
  CHECK(call_ok("contains", {T({S("a"), S("b")}), S("b")}) == B(true));
  CHECK(call_ok("contains", {T({S("a"), S("b")}), S("c")}) == B(false));
  CHECK(call_ok("contains", {T({S("1")}), N(1)}) == B(false));
  CHECK(call_ok("contains", {Set({N(1), N(2)}), N(2)}) == B(true));
  CHECK(call_error("contains", {S("ab"), S("a")}) ==
        "Call to function \"contains\" failed: argument must be list, tuple, or set.");
}

TEST_CASE("coalesce skips only nulls", "[functions]") {
  CHECK(call_ok("coalesce", {Null(), S("a"), S("b")}) == S("a"));
  CHECK(call_ok("coalesce", {S(""), S("b")}) == S(""));
  CHECK(call_ok("coalesce", {N(1), N(2)}) == N(1));
  // Mixed primitives unify to string, as cty does.
  CHECK(call_ok("coalesce", {Null(), N(1), S("x")}) == S("1"));
  CHECK(call_error("coalesce", {Null(), Null()}) == "Call to function \"coalesce\" failed: no non-null arguments.");
  CHECK(call_error("coalesce", {N(1), B(true)}) ==
        "Call to function \"coalesce\" failed: all arguments must have the same type.");
  CHECK(call_error("coalesce", {}) == "Call to function \"coalesce\" failed: at least one argument is required.");
}

TEST_CASE("coalescelist returns the first non-empty list", "[functions]") {
  CHECK(call_ok("coalescelist", {T({}), T({S("a")}), T({S("b")})}) == T({S("a")}));
  CHECK(call_ok("coalescelist", {Null(), List({N(1)})}) == T({N(1)}));
  CHECK(call_error("coalescelist", {T({}), T({})}) == "Call to function \"coalescelist\" failed: no non-null arguments.");
  CHECK(call_error("coalescelist", {S("a")}) ==
        "Call to function \"coalescelist\" failed: coalescelist arguments must be lists or tuples.");
}

TEST_CASE("zipmap pairs keys with values", "[functions]") {
  Value map = call_ok("zipmap", {T({S("a"), S("b")}), List({N(1), N(2)})});
  CHECK(map == Map({{"a", N(1)}, {"b", N(2)}}));
  CHECK(map.object_flavour() == ObjectFlavour::kMap);
  CHECK(call_ok("zipmap", {T({S("a")}), T({T({})})}).object_flavour() == ObjectFlavour::kObject);
  CHECK(call_error("zipmap", {T({S("a")}), T({})}) ==
        "Call to function \"zipmap\" failed: number of keys (1) does not match number of values (0).");
}

TEST_CASE("concat joins sequences", "[functions]") {
  Value joined = call_ok("concat", {T({S("a"), S("")}), T({S("b"), N(1)})});
  CHECK(joined == T({S("a"), S(""), S("b"), N(1)}));
  CHECK(joined.list_flavour() == ListFlavour::kTuple);
  CHECK(call_ok("concat", {List({S("a")}), List({S("b")})}).list_flavour() == ListFlavour::kList);
  CHECK(call_error("concat", {T({}), S("x")}) ==
        "Invalid value for \"seqs\" parameter: all arguments must be lists or tuples; got string.");
}

TEST_CASE("flatten is recursive", "[functions]") {
  CHECK(call_ok("flatten", {T({T({S("a"), S("b")}), T({}), T({S("c")})})}) == T({S("a"), S("b"), S("c")}));
  CHECK(call_ok("flatten", {T({T({S("a"), T({S("b")})}), S("c"), Set({S("d")})})}) == T({S("a"), S("b"), S("c"), S("d")}));
  CHECK(call_error("flatten", {S("a")}) == "Call to function \"flatten\" failed: can only flatten lists, sets and tuples.");
}

TEST_CASE("chunklist and slice", "[functions]") {
  CHECK(call_ok("chunklist", {T({S("a"), S("b"), S("c"), S("d"), S("e")}), N(2)}) ==
        T({T({S("a"), S("b")}), T({S("c"), S("d")}), T({S("e")})}));
  CHECK(call_ok("chunklist", {T({S("a"), S("b")}), N(0)}) == T({T({S("a"), S("b")})}));
  CHECK(call_ok("chunklist", {T({}), N(3)}) == T({}));
  CHECK(call_error("chunklist", {T({S("a")}), N(-1)}) ==
        "Call to function \"chunklist\" failed: the size argument must be positive.");

  Value letters = T({S("a"), S("b"), S("c"), S("d")});
  CHECK(call_ok("slice", {letters, N(1), N(3)}) == T({S("b"), S("c")}));
  CHECK(call_ok("slice", {letters, N(2), N(2)}) == T({}));
  CHECK(call_error("slice", {letters, N(3), N(1)}) ==
        "Invalid value for \"start_index\" parameter: start index must not be greater than end index.");
  CHECK(call_error("slice", {letters, N(0), N(5)}) ==
        "Invalid value for \"end_index\" parameter: end index must not be greater than the length of the list.");
  CHECK(call_fail("slice", {Set({S("a")}), N(0), N(1)}).argument == 0);
}

TEST_CASE("range counts up, down and in fractions", "[functions]") {
  CHECK(call_ok("range", {N(3)}) == T({N(0), N(1), N(2)}));
  CHECK(call_ok("range", {N(1), N(4)}) == T({N(1), N(2), N(3)}));
  CHECK(call_ok("range", {N(-3)}) == T({N(0), N(-1), N(-2)}));
  CHECK(call_ok("range", {N(4), N(1)}) == T({N(4), N(3), N(2)}));
  CHECK(call_ok("range", {N(1), N(8), N(2)}) == T({N(1), N(3), N(5), N(7)}));
  CHECK(call_ok("range", {N(10), N(5), N(-2)}) == T({N(10), N(8), N(6)}));
  CHECK(call_ok("range", {N(0), N(0.5), N(0.1)}) == T({N(0), N(0.1), N(0.2), N(0.3), N(0.4)}));
  CHECK(call_ok("range", {N(0)}) == T({}));
  CHECK(call_error("range", {N(1), N(5), N(0)}) == "Invalid value for \"params\" parameter: step must not be zero.");
  CHECK(call_error("range", {N(1), N(5), N(-1)}) ==
        "Invalid value for \"params\" parameter: end must be less than start when step is negative.");
  CHECK(call_error("range", {N(2000)}).find("more than 1024 values were generated") != std::string::npos);
  CHECK(call_error("range", {}) == "Call to function \"range\" failed: must have one, two, or three arguments.");
}

TEST_CASE("distinct and compact", "[functions]") {
  CHECK(call_ok("distinct", {T({S("a"), S("b"), S("a"), S("c"), S("d"), S("b")})}) == T({S("a"), S("b"), S("c"), S("d")}));
  CHECK(call_ok("distinct", {T({S("1"), N(1)})}) == T({S("1")}));
  CHECK(call_ok("compact", {T({S("a"), S(""), S("b"), Null(), S("c")})}) == T({S("a"), S("b"), S("c")}));
}

TEST_CASE("set functions return de-duplicated, ordered sets", "[functions]") {
  Value u = call_ok("setunion", {T({S("b"), S("a")}), T({S("c"), S("a")}), T({S("d")})});
  CHECK(u == T({S("a"), S("b"), S("c"), S("d")}));
  CHECK(u.list_flavour() == ListFlavour::kSet);
  CHECK(call_ok("setunion", {T({N(10), N(2)}), T({N(1)})}) == T({N(1), N(2), N(10)}));
  CHECK(call_ok("setunion", {T({S("a")}), T({N(1)})}) == T({S("1"), S("a")}));
  CHECK(call_ok("setintersection", {T({S("a"), S("b")}), T({S("b"), S("c")}), T({S("b"), S("d")})}) == T({S("b")}));
  CHECK(call_ok("setintersection", {T({S("a")}), T({S("b")})}) == T({}));

  Value product = call_ok("setproduct", {T({S("development"), S("staging")}), T({S("app1"), S("app2")})});
  CHECK(product ==
        T({T({S("development"), S("app1")}), T({S("development"), S("app2")}), T({S("staging"), S("app1")}),
           T({S("staging"), S("app2")})}));
  CHECK(product.list_flavour() == ListFlavour::kList);
  CHECK(call_ok("setproduct", {Set({S("b"), S("a")}), T({S("x")})}).list_flavour() == ListFlavour::kSet);
  CHECK(call_ok("setproduct", {T({}), T({S("x")})}) == T({}));
  CHECK(call_error("setproduct", {T({S("a")})}) ==
        "Call to function \"setproduct\" failed: at least two arguments are required.");
  CHECK(call_fail("setunion", {T({S("a")}), S("b")}).argument == 1);
}
