// What the reconcile tests share: the job their repositories hold, and the
// state file skiff writes where it runs.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "unit/cli/run_skiff.hpp"

namespace skiff::testing {

// Job "web": one raw_exec task whose command line carries `word`, so that
// each word is a new version that replaces the allocation.
inline std::string reconcile_job(const std::string& word) {
  return R"(job "web" {
  datacenters = ["dc1"]
  group "g" {
    update {
      min_healthy_time = "1s"
      healthy_deadline = "30s"
    }
    task "app" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "sleep 300", ")" +
      word + R"("]
      }
    }
  }
}
)";
}

// ./.skiff/state.json of `dir`.
inline nlohmann::json state_in(const ScratchDir& dir) {
  std::ifstream in(dir.path() + "/.skiff/state.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

}  // namespace skiff::testing
