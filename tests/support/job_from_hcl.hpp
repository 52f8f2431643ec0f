// A job from HCL text in a test: the calling test fails on any error.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "parser/environment.hpp"
#include "parser/load.hpp"

namespace skiff::testing {

inline spec::Job job_from(const std::string& hcl) {
  parser::OsEnvironment env;
  parser::EvalOptions options;
  options.env = &env;
  options.use_environment_variables = false;
  parser::Diagnostics diagnostics;
  auto loaded = parser::load_job("test.nomad.hcl", hcl, options, diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE_FALSE(diagnostics.has_errors());
  REQUIRE(loaded.job);
  return *loaded.job;
}

}  // namespace skiff::testing
