// apply -json's lines carry text from hosts (a start command's stderr),
// which need not be UTF-8: each line is still one JSON document.
#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/apply_output.hpp"
#include "parser/environment.hpp"

using namespace skiff;

TEST_CASE("apply -json prints a host's bytes that are not UTF-8 replaced, never stops on them", "[cli]") {
  std::ostringstream out, err;
  parser::OsEnvironment env;
  cli::Context context{out, err, env};
  cli::ApplyOutput output(context, /*json=*/true, reconciler::RenderOptions{});
  const std::string hostile = "start failed: \xff\xfe\xc3 bad bytes";
  REQUIRE_NOTHROW(output.error(hostile));
  REQUIRE_NOTHROW(output.info(hostile));
  std::istringstream lines(out.str());
  size_t documents = 0;
  for (std::string line; std::getline(lines, line); ++documents) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    REQUIRE(j.is_object());
    CHECK(j["@message"].get<std::string>().find("bad bytes") != std::string::npos);
  }
  CHECK(documents == 2);
}
