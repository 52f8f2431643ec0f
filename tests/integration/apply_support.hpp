// Shared by the apply tests: job files in a folder of the fleet's
// directory, the state as JSON, and a clean-up that prunes a folder's jobs.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
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

// A project in a folder of the fleet's directory: the fleet's inventory and
// known_hosts, its own state, and `fleet {}` as given.
inline std::string make_project(const TestFleet& f, const std::string& folder, const std::string& fleet_block) {
  write_fleet_file(f, folder + "/skiff.hcl",
                   "inventory = \"../inventory.hcl\"\n\nssh {\n  known_hosts = \"" + f.known_hosts() +
                       "\"\n  strict_host_key_checking = \"yes\"\n  connect_timeout = \"5s\"\n}\n\n" + fleet_block);
  return f.dir() + "/" + folder;
}

// Runs skiff in `dir`; stderr joins stdout unless with_stderr is false.
inline ShellResult skiff_in(const std::string& dir, const std::string& args, bool with_stderr = true) {
  return sh("(cd " + drivers::shell_quote(dir) + " && " + SKIFF_BINARY + " " + args + (with_stderr ? "" : " 2>/dev/null") + ")");
}

inline nlohmann::json state_in(const std::string& dir) {
  return nlohmann::json::parse(skiff_in(dir, "state show -json", false).output);
}

// A service of `count` raw_exec copies on distinct hosts, env V = version.
inline std::string spread_service(const std::string& name, int count, const std::string& version, const std::string& update) {
  return "job \"" + name + "\" {\n  group \"g\" {\n    count = " + std::to_string(count) +
      "\n    constraint {\n      distinct_hosts = true\n    }\n    update {\n" + update +
      "    }\n    task \"t\" {\n      driver = \"raw_exec\"\n      env {\n        V = \"" + version +
      "\"\n      }\n      config {\n        command = \"/bin/sh\"\n"
      "        args    = [\"-c\", \"while :; do sleep 1; done\"]\n      }\n    }\n  }\n}\n";
}

inline const std::string kQuickUpdate = "      min_healthy_time = \"1s\"\n      healthy_deadline = \"30s\"\n";

// Running allocations of `job` in the state: id -> host.
inline std::map<std::string, std::string> running_in_state(const nlohmann::json& state, const std::string& job) {
  std::map<std::string, std::string> out;
  for (const auto& a : state["allocations"])
    if (a["job"] == job && a["status"] == "running") out[a["id"]] = a["host"];
  return out;
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
