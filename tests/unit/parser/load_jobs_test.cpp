// load_jobs on several threads gives what load_job gives file by file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "parser/environment.hpp"
#include "parser/load.hpp"

using namespace skiff::parser;
namespace fs = std::filesystem;

TEST_CASE("load_jobs on two threads matches loading one file after another", "[parser]") {
  OsEnvironment env;
  std::vector<JobSource> sources;
  for (const char* folder : {"examples", "tests/data/diagnostics"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(SKIFF_SOURCE_DIR) / folder)) {
      if (entry.path().extension() != ".hcl") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      EvalOptions options;
      options.env = &env;
      options.use_environment_variables = false;
      options.root_dir = entry.path().parent_path().string();
      sources.push_back({entry.path().string(), text.str(), options});
    }
  }
  std::sort(sources.begin(), sources.end(), [](const JobSource& a, const JobSource& b) { return a.path < b.path; });
  REQUIRE(sources.size() > 50);

  std::vector<LoadedJobFile> together = load_jobs(sources, 2);
  REQUIRE(together.size() == sources.size());
  size_t with_errors = 0;
  for (size_t i = 0; i < sources.size(); ++i) {
    Diagnostics alone;
    LoadedJob loaded = load_job(sources[i].path, sources[i].text, sources[i].options, alone);
    INFO(sources[i].path);
    CHECK(together[i].diagnostics.render_all() == alone.render_all());
    CHECK(together[i].loaded.job.has_value() == loaded.job.has_value());
    if (loaded.job) CHECK(together[i].loaded.job->id == loaded.job->id);
    with_errors += alone.has_errors();
  }
  CHECK(with_errors > 40);  // the diagnostics files: a mix, not all alike
  CHECK(load_jobs({}, 2).empty());
}
