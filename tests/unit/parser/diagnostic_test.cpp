// A diagnostic quotes job-file text: whoever wrote the file must not be able
// to move the terminal's cursor or hide lines with it.
#include <catch2/catch.hpp>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"

using namespace skiff::parser;

TEST_CASE("a diagnostic escapes control characters from the job file in its message and source line", "[diagnostic]") {
  auto file = std::make_shared<SourceFile>("job.nomad.hcl", "task \"a\x1b[2Kb\" {\r}\n");
  Diagnostic d{Severity::kError, file, SourceRange{{5, 1, 6}, {13, 1, 14}}, "task name \"a\x1b[2Kb\" is bad\rhidden"};
  const std::string text = render(d);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find("job.nomad.hcl:1:6: error: task name \"a\\x1b[2Kb\" is bad\\x0dhidden") != std::string::npos);
  CHECK(text.find("\n  task \"a\\x1b[2Kb\" {\\x0d}\n") != std::string::npos);
}

TEST_CASE("a diagnostic keeps a tab-indented source line's tabs so the caret lines up", "[diagnostic]") {
  auto file = std::make_shared<SourceFile>("j.hcl", "\tx = 1\n");
  Diagnostic d{Severity::kWarning, file, SourceRange{{1, 1, 2}, {2, 1, 3}}, "m"};
  CHECK(render(d) == "j.hcl:1:2: warning: m\n  \tx = 1\n  \t^");
}
