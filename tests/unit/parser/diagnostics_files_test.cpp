// Bad input, one file per mistake, in tests/data/diagnostics/. Each file
// states what skiff must say about it in trailing comment lines:
//   # expect: LINE:COL: error: MESSAGE      (every diagnostic, in order)
//   # var: NAME=VALUE                       (optional -var flags)
// The test loads the file as `skiff validate` does (its warnings too) and
// compares the exact headlines: every problem reported, nothing more, at the
// right place.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "parser/load.hpp"
#include "unit/parser/fake_environment.hpp"

namespace fs = std::filesystem;
using namespace skiff::parser;

namespace {

struct Case {
  fs::path path;
  std::string text;
  std::vector<std::string> expected;
  std::vector<std::pair<std::string, std::string>> vars;
};

Case read_case(const fs::path& path) {
  Case c{path, "", {}, {}};
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  c.text = text.str();
  std::istringstream lines(c.text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# expect: ", 0) == 0) c.expected.push_back(line.substr(10));
    if (line.rfind("# var: ", 0) == 0) {
      std::string assignment = line.substr(7);
      size_t eq = assignment.find('=');
      c.vars.emplace_back(assignment.substr(0, eq), assignment.substr(eq + 1));
    }
  }
  return c;
}

std::vector<std::string> actual_headlines(const Case& c) {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  options.cli_vars = c.vars;
  options.root_dir = c.path.parent_path().string();
  Diagnostics diagnostics;
  LoadedJob loaded = load_job(c.path.filename().string(), c.text, options, diagnostics);
  warn_unknown_runtime_variables(loaded, diagnostics);
  std::vector<Diagnostic> items = diagnostics.items();
  std::stable_sort(items.begin(), items.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.range.begin.byte < b.range.begin.byte; });
  std::vector<std::string> out;
  std::string prefix = c.path.filename().string() + ":";
  for (const Diagnostic& d : items) {
    std::string line = headline(d);
    out.push_back(line.rfind(prefix, 0) == 0 ? line.substr(prefix.size()) : line);
  }
  return out;
}

}  // namespace

TEST_CASE("each malformed or invalid file gets exactly its expected diagnostics", "[diagnostics]") {
  fs::path dir = fs::path(SKIFF_SOURCE_DIR) / "tests" / "data" / "diagnostics";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".hcl") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  CHECK(files.size() >= 40);
  for (const fs::path& path : files) {
    Case c = read_case(path);
    INFO(path.filename().string());
    REQUIRE_FALSE(c.expected.empty());
    CHECK(actual_headlines(c) == c.expected);
  }
}
