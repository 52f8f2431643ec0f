// skiff validate through the built binary: which files it finds, how it
// tells jobs, inventories and project files apart, and its exit codes.
#include <catch2/catch.hpp>

#include "unit/cli/run_skiff.hpp"

using skiff::testing::Run;
using skiff::testing::run_skiff;
using skiff::testing::run_skiff_in;
using skiff::testing::ScratchDir;
using skiff::testing::Stderr;

namespace {

const char* kJob =
    "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      driver = \"raw_exec\"\n"
    "      config {\n        command = \"true\"\n      }\n    }\n  }\n}\n";

}  // namespace

TEST_CASE("validate accepts every example, the inventory and skiff.hcl, and exits 0", "[cli]") {
  Run run = run_skiff("validate examples/");
  CHECK(run.exit_code == 0);
  CHECK(run.out == "Success! 7 job files, 1 inventory and 1 project file are valid.\n");
  CHECK(run_skiff("validate examples/hello.nomad.hcl").out == "Success! 1 job file is valid.\n");
  CHECK(run_skiff("validate examples/hosts.hcl examples/skiff.hcl").out ==
        "Success! 1 inventory and 1 project file are valid.\n");
  // Named twice, checked once.
  CHECK(run_skiff("validate examples/ examples/hosts.hcl -inventory examples/hosts.hcl").out ==
        "Success! 7 job files, 1 inventory and 1 project file are valid.\n");
}

TEST_CASE("validate takes one value per -var and the paths after it", "[cli]") {
  CHECK(run_skiff(
            "validate -var interval=10 examples/hello.nomad.hcl -var-file tests/data/vars/interval.vars.hcl examples/hosts.hcl",
            Stderr::kMerge)
            .out == "Success! 1 job file and 1 inventory are valid.\n");
  Run run = run_skiff("validate -var interval=10 -var interval=x examples/hello.nomad.hcl", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::Contains("interval"));
}

TEST_CASE("validate reports every problem with file, line and caret, and exits 1", "[cli]") {
  Run run = run_skiff("validate tests/data/diagnostics/48-several-problems.hcl", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out,
             Catch::Contains("tests/data/diagnostics/48-several-problems.hcl:2:3: error: unknown attribute \"priorty\" in job "
                             "\"web\"; did you mean \"priority\"?\n    priorty = 50\n    ^"));
  CHECK_THAT(run.out, Catch::Contains("48-several-problems.hcl:4:13: error: attribute \"count\""));
  CHECK_THAT(run.out, Catch::EndsWith("\nValidation failed: 4 error(s) in 1 of 1 file(s).\n"));
}

TEST_CASE("validate checks a directory's hosts.hcl as an inventory and skips var files", "[cli]") {
  ScratchDir dir;
  dir.write("jobs/a.nomad.hcl", kJob);
  dir.write("jobs/nested/b.nomad", std::string(kJob).replace(5, 1, "k"));
  dir.write("jobs/prod.vars.hcl", "not = [valid job\n");
  dir.write("jobs/.git/c.hcl", "not HCL at all {\n");
  dir.write("jobs/readme.txt", "ignored");
  dir.write("hosts.hcl", "host \"a\" {\n  prot = 22\n}\n");
  Run run = run_skiff_in(dir.path(), "validate .", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK(run.out ==
        "./hosts.hcl:2:3: error: unknown attribute \"prot\" in host \"a\"; did you mean \"port\"?\n"
        "    prot = 22\n"
        "    ^\n"
        "\n"
        "Validation failed: 1 error(s) in 1 of 3 file(s).\n");
  CHECK(run_skiff_in(dir.path(), "validate jobs").out == "Success! 2 job files are valid.\n");
  Run vars = run_skiff_in(dir.path(), "validate jobs/prod.vars.hcl", Stderr::kMerge);
  CHECK(vars.exit_code == 1);
  CHECK_THAT(vars.out, Catch::StartsWith("error: jobs/prod.vars.hcl: a variables file; pass it with -var-file\n"));
}

TEST_CASE("validate with no path follows ./skiff.hcl and checks it too", "[cli]") {
  ScratchDir dir;
  dir.write("deploy/web.nomad.hcl", kJob);
  dir.write("other/broken.nomad.hcl", "job {\n");
  dir.write("fleet.hcl", "host \"a\" {}\n");
  dir.write("skiff.hcl", "jobs = [\"deploy\"]\ninventory = \"fleet.hcl\"\n");
  CHECK(run_skiff_in(dir.path(), "validate").out == "Success! 1 job file, 1 inventory and 1 project file are valid.\n");
  dir.write("skiff.hcl", "jobs = [\"deploy\"]\ninventory = \"fleet.hcl\"\nstate {\n  backend = \"nfs\"\n}\n");
  Run run = run_skiff_in(dir.path(), "validate", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::StartsWith("skiff.hcl:4:13: error: state backend must be \"local\" or \"ssh\", not \"nfs\"\n"));
}

TEST_CASE("validate with no path and no skiff.hcl checks the current directory", "[cli]") {
  ScratchDir dir;
  dir.write("a.nomad.hcl", kJob);
  dir.write("hosts.hcl", "host \"a\" {}\n");
  CHECK(run_skiff_in(dir.path(), "validate").out == "Success! 1 job file and 1 inventory are valid.\n");
  ScratchDir empty;
  Run run = run_skiff_in(empty.path(), "validate", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::StartsWith("error: no job files found\n"));
}

TEST_CASE("validate prints warnings but exits 0", "[cli]") {
  ScratchDir dir;
  dir.write("a.nomad.hcl", std::string(kJob).replace(std::string(kJob).find("\"true\""), 6, "\"${atr.kernel.name}\""));
  Run run = run_skiff_in(dir.path(), "validate a.nomad.hcl", Stderr::kMerge);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out,
             Catch::Contains("a.nomad.hcl:6:") && Catch::Contains("warning: unknown runtime variable \"atr\"") &&
                 Catch::Contains("did you mean \"attr\"?") && Catch::EndsWith("Success! 1 job file is valid.\n"));
}

TEST_CASE("validate of a path that does not exist exits 1", "[cli]") {
  Run run = run_skiff("validate examples/nope/", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK(run.out ==
        "error: examples/nope/: no such file or directory\n"
        "\nValidation failed: 1 error(s); no file was validated.\n");
}

TEST_CASE("validate's summary counts errors in files apart from errors outside them", "[cli]") {
  ScratchDir dir;
  dir.write("good.nomad.hcl", kJob);
  dir.write("bad.nomad.hcl", std::string(kJob).replace(std::string(kJob).find("command"), 7, "comand"));
  Run missing = run_skiff_in(dir.path(), "validate good.nomad.hcl nope.nomad.hcl", Stderr::kMerge);
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.out, Catch::EndsWith("\nValidation failed: 1 error(s), none in the 1 file(s) validated.\n"));
  // A bad -var is found once per job file and reported once.
  Run both = run_skiff_in(dir.path(), "validate -var x good.nomad.hcl bad.nomad.hcl nope/", Stderr::kMerge);
  CHECK(both.exit_code == 1);
  CHECK_THAT(both.out, Catch::Contains("bad.nomad.hcl:6:9: error: unknown attribute \"comand\""));
  CHECK_THAT(both.out, Catch::EndsWith("\nValidation failed: 1 error(s) in 1 of 2 file(s), and 2 outside them.\n"));
}
