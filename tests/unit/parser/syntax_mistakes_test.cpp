// find_syntax_mistakes: hcl v2's first mistake, at its token, and the later
// ones; nothing at all in a valid file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "parser/syntax_mistakes.hpp"

using namespace skiff::parser;
namespace fs = std::filesystem;

namespace {

// "LINE:COL: message" for each mistake.
std::vector<std::string> mistakes(std::string_view text) {
  std::vector<std::string> out;
  for (const SyntaxMistake& m : find_syntax_mistakes(text)) {
    int line = 1, column = 1;
    for (uint32_t i = 0; i < m.begin; ++i) {
      if (text[i] == '\n') line++, column = 1;
      else column++;
    }
    out.push_back(std::to_string(line) + ":" + std::to_string(column) + ": " + m.message);
  }
  return out;
}

}  // namespace

TEST_CASE("syntax mistakes: a quoted key in a block body is named as HCL1, with the HCL2 form", "[syntax]") {
  CHECK(mistakes("task \"t\" {\n  env {\n    \"A.B\" = \"x\"\n  }\n}\n") ==
        std::vector<std::string>{"3:5: this looks like HCL1 syntax (a quoted key in a block body): Nomad 1.x and skiff "
                                 "read HCL2, where a map is an argument: write env = { \"A.B\" = \"x\" }"});
  // In a labelled block the name is just not quoted.
  CHECK(mistakes("job \"x\" {\n  \"priority\" = 50\n}\n") ==
        std::vector<std::string>{"2:3: this looks like HCL1 syntax (a quoted key in a block body): Nomad 1.x and skiff "
                                 "read HCL2, where argument names are not quoted"});
}

TEST_CASE("syntax mistakes: the token where the file stops making sense, then the later ones", "[syntax]") {
  CHECK(mistakes("a = 1,\nb = 2\n") ==
        std::vector<std::string>{
            "1:6: unexpected \",\" after the value of \"a\": arguments are separated by newlines, not commas"});
  CHECK(mistakes("x {\n  a = \"s\" .\n  b = [1 2]\n}\nc = ]\n") ==
        std::vector<std::string>{"2:12: invalid attribute name: a name is required after \".\", found end of line",
                                 "3:10: expected \",\" or \"]\" after an element of the list, found \"2\"",
                                 "5:5: expected an expression, found \"]\""});
  CHECK(mistakes("a = 1 +\nb = 2\n") == std::vector<std::string>{"1:8: expected an expression after \"+\", found end of line"});
  CHECK(mistakes("}\n") == std::vector<std::string>{"1:1: unexpected \"}\": no block is open here"});
  CHECK(mistakes("a = f(1\n}\n") == std::vector<std::string>{"1:6: unclosed \"(\": missing \")\""});
  CHECK(mistakes("a =\n") == std::vector<std::string>{"1:3: attribute \"a\" has no value"});
  CHECK(mistakes("b \"l\"\n{\n  a = 1\n}\n") ==
        std::vector<std::string>{"1:6: block \"b\" needs its opening \"{\" on the same line as its type and labels"});
  CHECK(mistakes("a = @\n") == std::vector<std::string>{"1:5: expected an expression, found \"@\""});
}

TEST_CASE("syntax mistakes: silent where tree-sitter's report is the precise one", "[syntax]") {
  CHECK(mistakes("a = \"open\n").empty());            // unterminated string
  CHECK(mistakes("a = <<EOT\nx\n").empty());          // unterminated heredoc
  CHECK(mistakes("job \"x\" {\n  a = 1\n").empty());  // unclosed block
  CHECK(mistakes("a = \"${b c}\"\n").empty());        // inside an interpolation
}

TEST_CASE("syntax mistakes: none in any valid file of the project", "[syntax]") {
  size_t files = 0;
  for (const char* folder : {"examples", "tests/data/hcl2json", "tests/data/vars"}) {
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(fs::path(SKIFF_SOURCE_DIR) / folder)) {
      if (entry.path().extension() != ".hcl") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      INFO(entry.path().string());
      CHECK(mistakes(text.str()).empty());
      ++files;
    }
  }
  CHECK(files > 10);
  // Every HCL2 construct at once.
  CHECK(mistakes("locals {\n  a = [for k, v in var.m : \"${k}=${v}\" if v != \"\"]\n"
                 "  b = { for k in local.l : k => upper(k)... }\n  c = x.y[0].*.z[*].w\n"
                 "  d = !true ? -1 : (2 + 3) * 4 % 5\n  e = {\n    \"k\" = 1, k2: 2\n    (local.k) = [\n      1,\n    ]\n  }\n"
                 "  f = <<-EOT\n    ${a} %{ if b }c%{ endif }\n    EOT\n  g = join(\",\", [\"a\"]...)\n  h = 1.5e3\n}\n"
                 "single { a = 1 }\nempty {}\n/* multi\nline */ j = 1 // end\n")
            .empty());
}
