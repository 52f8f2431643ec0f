// Shared by the apply tests: job files in a folder of the fleet's
// directory, the state as JSON, and a clean-up that prunes a folder's jobs.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "drivers/shell_quote.hpp"
#include "integration/fleet_fixture.hpp"
#include "support/test_files.hpp"

namespace skiff::testing {

// Runs `script` with sh inside `host` (fleet exec); stderr joins stdout.
inline ShellResult on_host(const TestFleet& f, const std::string& host, const std::string& script) {
  return sh(std::string(SKIFF_SOURCE_DIR) + "/tests/fleet/fleet exec " + host + " --dir " + drivers::shell_quote(f.dir()) +
            " -- sh -c " + drivers::shell_quote(script) + " 2>&1");
}

inline void write_fleet_file(const TestFleet& f, const std::string& relative, const std::string& text) {
  skiff::testing::write_test_file(f.dir() + "/" + relative, text);
}

inline nlohmann::json state_json(const TestFleet& f) {
  return nlohmann::json::parse(run_skiff(f, "state show -json", false).output);
}

inline int running_allocations(const nlohmann::json& state, const std::string& job) {
  int n = 0;
  for (const auto& a : state["allocations"])
    if (a["job"] == job && a["status"] == "running") ++n;
  return n;
}

struct PlacedAllocation {
  std::string id;  // empty: none found
  std::string host;
};

// The job's allocation in the state: the last one listed, of those in
// `status` when one is given.
inline PlacedAllocation allocation_of(const TestFleet& f, const std::string& job, const std::string& status = "") {
  const nlohmann::json state = state_json(f);
  PlacedAllocation found;
  for (const auto& a : state["allocations"])
    if (a["job"] == job && (status.empty() || a["status"] == status))
      found = {a["id"].get<std::string>(), a["host"].get<std::string>()};
  return found;
}

// A job that runs nothing: applied alone with -prune, it stops every
// allocation of the jobs that were in its folder.
inline const char* const kPlaceholderJob =
    "job \"placeholder\" {\n  type = \"batch\"\n  parameterized {}\n  group \"g\" {\n    task \"t\" {\n"
    "      driver = \"raw_exec\"\n      config {\n        command = \"true\"\n      }\n    }\n  }\n}\n";

// Replaces the folder's job files with the placeholder and prunes.
inline ShellResult prune_folder(const TestFleet& f, const std::string& folder) {
  for (const auto& entry : std::filesystem::directory_iterator(f.dir() + "/" + folder))
    if (entry.path().extension() == ".hcl") std::filesystem::remove(entry.path());
  write_fleet_file(f, folder + "/placeholder.nomad.hcl", kPlaceholderJob);
  return run_skiff(f, "apply -auto-approve -no-color -prune " + folder);
}

}  // namespace skiff::testing
