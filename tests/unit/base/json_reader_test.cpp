// base's strict JSON reader: field paths in every error, the two wordings,
// unknown fields rejected or ignored, and no exception for any document.
#include <catch2/catch.hpp>

#include "base/json_reader.hpp"

using namespace skiff::base;
using nlohmann::json;
using skiff::Status;

namespace {

struct Port {
  std::string label;
  int host_port = 0;
};

// A reader's own struct, as state_json and plan_json_read declare theirs:
// in the struct's namespace, where base's templates find it.
Status decode(const json& value, const JsonPath& path, Port& out) {
  Fields f(value, path, UnknownFields::kIgnore);
  f.require("label", out.label);
  f.require("host_port", out.host_port);
  return f.finish();
}

}  // namespace

namespace {

std::string error_of(const skiff::Status& status) { return status.ok() ? "(ok)" : status.error().message; }

}  // namespace

TEST_CASE("paths name members and elements; odd keys are quoted", "[base][json]") {
  CHECK(member_path("", "jobs") == "jobs");
  CHECK(member_path("jobs", "web") == "jobs.web");
  CHECK(member_path("jobs", "my job") == "jobs[\"my job\"]");
  CHECK(index_path("allocations", 3) == "allocations[3]");
  CHECK(JsonPath("a").member("b").index(2).text() == "a.b[2]");
}

TEST_CASE("the terse wording and the one that names what it found", "[base][json]") {
  int number = 0;
  CHECK(error_of(decode(json("x"), JsonPath("index"), number)) == "index: expected an integer");
  CHECK(error_of(decode(json("x"), JsonPath("index", Wording::kNamesFound), number)) == "index: expected an integer, got string");
  uint64_t serial = 0;
  CHECK(error_of(decode(json(-1), JsonPath("serial"), serial)) == "serial: expected a non-negative integer");
  CHECK(error_of(decode(json(-1), JsonPath("serial", Wording::kNamesFound), serial)) == "serial: must not be negative");
  CHECK(error_of(decode(json(int64_t{1} << 40), JsonPath("n"), number)) == "n: out of range");
  // The top level: named by the terse wording, left to the caller's prefix by the other.
  CHECK(error_of(Fields(json::array(), JsonPath()).finish()) == "the document: expected an object");
  CHECK(error_of(Fields(json::array(), JsonPath("", Wording::kNamesFound)).finish()) == "expected an object, got array");
}

TEST_CASE("Fields: required, optional, unknown rejected or ignored, the first error sticks", "[base][json]") {
  const json doc = {{"name", "web"}, {"count", "three"}, {"extra", true}};
  std::string name;
  int count = 0;
  std::optional<int64_t> since;

  Fields strict(doc, JsonPath("jobs[0]"));
  strict.require("name", name);
  strict.get("since", since);
  strict.get("count", count);
  strict.require("missing", name);  // after an error: nothing more is read
  CHECK(name == "web");
  CHECK_FALSE(since);
  CHECK(error_of(strict.finish()) == "jobs[0].count: expected an integer");

  // Fields keeps a reference to its object: it must outlive the reader.
  const json with_extra = {{"name", "web"}, {"extra", true}};
  Fields unknown(with_extra, JsonPath("jobs[0]"));
  unknown.require("name", name);
  CHECK(error_of(unknown.finish()) == "jobs[0].extra: unknown field");

  Fields lenient(with_extra, JsonPath("jobs[0]"), UnknownFields::kIgnore);
  lenient.require("name", name);
  lenient.get("since", since);
  CHECK(lenient.finish().ok());

  const json empty = json::object();
  Fields missing(empty, JsonPath("jobs[0]"));
  missing.require("name", name);
  CHECK(error_of(missing.finish()) == "jobs[0].name: missing");
}

TEST_CASE("containers and a reader's own structs carry the path down", "[base][json]") {
  std::vector<Port> ports;
  const json doc = json::array({{{"label", "http"}, {"host_port", 80}}, {{"label", "db"}, {"host_port", 1.5}}});
  CHECK(error_of(decode(doc, JsonPath("ports", Wording::kNamesFound), ports)) ==
        "ports[1].host_port: expected an integer, got number");
  std::map<std::string, std::vector<std::string>> headers;
  CHECK(error_of(decode(json{{"Accept", {"a", 2}}}, JsonPath("headers"), headers)) == "headers.Accept[1]: expected a string");
  std::optional<std::vector<int>> maybe;
  CHECK(decode(json(nullptr), JsonPath("x"), maybe).ok());
  CHECK_FALSE(maybe);
  CHECK(decode(json{1, 2}, JsonPath("x"), maybe).ok());
  CHECK(*maybe == std::vector<int>{1, 2});
}

TEST_CASE("parse_json reports where the text went wrong, without nlohmann's jargon", "[base][json]") {
  skiff::Result<json> ok = parse_json("{\"a\": 1}");
  REQUIRE(ok.ok());
  CHECK((*ok)["a"] == 1);
  skiff::Result<json> bad = parse_json("{\"a\": ");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == skiff::ErrorCode::kParse);
  CHECK(bad.error().message.rfind("line 1, column 7: unexpected end of input", 0) == 0);
  CHECK(bad.error().message.find("json.exception") == std::string::npos);
}
