#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "parser/load.hpp"
#include "unit/parser/fake_environment.hpp"

using namespace skiff::parser;
using nlohmann::json;

namespace {

json hcl2json(const std::string& text, std::vector<std::pair<std::string, std::string>> vars = {}) {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  options.cli_vars = std::move(vars);
  Diagnostics diagnostics;
  EvaluatedFile file = parse_and_evaluate("t.hcl", text, options, diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE_FALSE(diagnostics.has_errors());
  return body_to_hcl2json(file.body);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("hcl2json: attributes by name, blocks in arrays keyed by type then labels", "[hcl2json]") {
  json body = hcl2json(
      "region = \"eu\"\n"
      "job \"web\" {\n  group \"a\" {\n    count = 2\n  }\n  group \"b\" {}\n  update {\n    max_parallel = 1\n  }\n}\n"
      "job \"web\" {}\n"
      "meta \"x\" \"y\" {\n  k = \"v\"\n}\n");
  CHECK(body["region"] == "eu");
  REQUIRE(body["job"]["web"].is_array());
  CHECK(body["job"]["web"].size() == 2);
  CHECK(body["job"]["web"][0]["group"]["a"][0]["count"] == 2);
  CHECK(body["job"]["web"][0]["group"]["b"][0] == json::object());
  CHECK(body["job"]["web"][0]["update"][0]["max_parallel"] == 1);
  CHECK(body["job"]["web"][1] == json::object());
  CHECK(body["meta"]["x"]["y"][0]["k"] == "v");
}

TEST_CASE("hcl2json: values are evaluated; whole numbers are JSON integers", "[hcl2json]") {
  json body = hcl2json(
      "variable \"n\" {\n  type = number\n}\n"
      "locals {\n  half = var.n / 8\n}\n"
      "a = var.n * 2\nb = local.half\nc = 2.5e3\nd = [1, 2.25, true, null]\ne = { x = upper(\"q\") }\n",
      {{"n", "4"}});
  CHECK(body["a"].is_number_integer());
  CHECK(body["a"].get<int64_t>() == 8);
  CHECK(body["b"].is_number_float());
  CHECK(body["b"].get<double>() == 0.5);
  CHECK(body["c"].is_number_integer());
  CHECK(body["c"].dump() == "2500");
  CHECK(body["d"].dump() == "[1,2.25,true,null]");
  CHECK(body["e"]["x"] == "Q");
  CHECK(body["variable"]["n"][0]["type"] == "number");
}

TEST_CASE("hcl2json: runtime interpolations stay as their ${...} text", "[hcl2json]") {
  json body = hcl2json("a = \"${NOMAD_ALLOC_ID}\"\nb = \"id-${node.unique.name}-x\"\nc = [attr.kernel.name]\n");
  CHECK(body["a"] == "${NOMAD_ALLOC_ID}");
  CHECK(body["b"] == "id-${node.unique.name}-x");
  CHECK(body["c"][0] == "${attr.kernel.name}");
}

// tests/data/hcl2json/NAME.hcl converts to NAME.json beside it, which holds
// the reference's result (hashicorp/hcl v2, as Nomad reads job files).
TEST_CASE("hcl2json: each file in tests/data/hcl2json gives the reference's JSON", "[hcl2json]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(SKIFF_SOURCE_DIR) / "tests" / "data" / "hcl2json";
  size_t files = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".hcl") continue;
    ++files;
    fs::path expected_path = entry.path();
    expected_path.replace_extension(".json");
    INFO(entry.path().filename().string());
    json expected = json::parse(read_text(expected_path));
    json actual = hcl2json(read_text(entry.path()));
    for (const auto& [name, value] : expected.items()) {
      INFO(name);
      CHECK(actual[name] == value);
    }
    CHECK(actual.size() == expected.size());
  }
  CHECK(files >= 2);
}
