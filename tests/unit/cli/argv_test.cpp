#include <catch2/catch.hpp>

#include "cli/argv.hpp"

using skiff::cli::normalize_argv;
using Args = std::vector<std::string>;

TEST_CASE("one-dash long flags become two-dash flags for CLI11", "[cli]") {
  CHECK(normalize_argv({"plan", "-var", "a=1", "-var-file=prod.hcl", "-json"}) ==
        Args{"plan", "--var", "a=1", "--var-file=prod.hcl", "--json"});
  CHECK(normalize_argv({"apply", "-auto-approve", "-detailed-exitcode"}) ==
        Args{"apply", "--auto-approve", "--detailed-exitcode"});
  CHECK(normalize_argv({"validate", "--var", "x=1", "-help"}) == Args{"validate", "--var", "x=1", "--help"});
}

TEST_CASE("single letters, numbers, lone dashes and everything after -- stay", "[cli]") {
  CHECK(normalize_argv({"alloc", "logs", "-n", "20", "-f"}) == Args{"alloc", "logs", "-n", "20", "-f"});
  CHECK(normalize_argv({"x", "-1", "-.5", "-"}) == Args{"x", "-1", "-.5", "-"});
  CHECK(normalize_argv({"debug", "--", "-json", "-var"}) == Args{"debug", "--", "-json", "-var"});
}
