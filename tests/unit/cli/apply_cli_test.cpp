// skiff apply, run as a user runs it, on what it can check before it
// reaches a host: here, a saved plan file that does not read.
#include <catch2/catch.hpp>

#include "unit/cli/run_skiff.hpp"

namespace {

using skiff::testing::run_skiff_in;
using skiff::testing::ScratchDir;
using skiff::testing::Stderr;

TEST_CASE("apply with a saved plan that does not read names the field and exits 1", "[cli]") {
  ScratchDir dir;
  dir.write("hosts.hcl", "host \"web-1\" {\n  address = \"10.0.0.11\"\n}\n");
  dir.write("bad.plan", "{\"skiff_plan_file\": 1, \"plan\": {}, \"job_files\": {\"web.nomad.hcl\": \"\"}}");
  skiff::testing::Run run = run_skiff_in(dir.path(), "apply -inventory hosts.hcl bad.plan", Stderr::kMerge);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.out, Catch::Contains("plan file bad.plan: job_files: expected an array, got object"));
}

}  // namespace
