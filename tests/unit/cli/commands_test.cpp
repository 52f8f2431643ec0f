// The command line as a whole: help, version, one- and two-dash flags, and
// what an unknown command or a missing one does.
#include <catch2/catch.hpp>

#include "unit/cli/run_skiff.hpp"

using skiff::testing::run_skiff;
using skiff::testing::Stderr;

TEST_CASE("one-dash and two-dash flags are the same; a bad command exits 1", "[cli]") {
  CHECK(run_skiff("inspect --var interval=3 examples/hello.nomad.hcl").exit_code == 0);
  CHECK(run_skiff("inspect -var=interval=3 examples/hello.nomad.hcl").exit_code == 0);
  CHECK(run_skiff("inspect -var nope=3 examples/hello.nomad.hcl").exit_code == 1);
  CHECK(run_skiff("frobnicate").exit_code == 1);
  CHECK(run_skiff("inspect -frobnicate examples/hello.nomad.hcl").exit_code == 1);
}

TEST_CASE("every command has -help with examples, exit 0", "[cli]") {
  for (const char* command : {"validate", "inspect", "hcl2json", "version"}) {
    INFO(command);
    skiff::testing::Run help = run_skiff(std::string(command) + " -help");
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("Examples:") && Catch::Contains(std::string("skiff ") + command));
  }
  skiff::testing::Run top = run_skiff("-help");
  CHECK(top.exit_code == 0);
  CHECK_THAT(top.out, Catch::Contains("validate") && Catch::Contains("hcl2json"));
  CHECK(run_skiff("--help").out == top.out);
}

TEST_CASE("version and -version print the version", "[cli]") {
  skiff::testing::Run version = run_skiff("version");
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("skiff 0."));
  CHECK(run_skiff("-version").out == version.out);
}

TEST_CASE("no command prints the usage and exits 1", "[cli]") {
  skiff::testing::Run run = run_skiff("", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::Contains("Subcommands:") && Catch::EndsWith("skiff: a command is required.\n"));
}
