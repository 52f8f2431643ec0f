// Every real Nomad job file in the corpus (../shared/corpus/nomad, or
// SKIFF_CORPUS_DIR) must parse with no syntax error, and every error it gets
// must be a precise "not supported" diagnostic naming the block, never a
// generic failure. Hidden from the default run; ctest's `corpus` test runs it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "parser/load.hpp"

namespace fs = std::filesystem;
using namespace skiff::parser;
using skiff::Result;

namespace {

fs::path corpus_dir() {
  if (const char* dir = std::getenv("SKIFF_CORPUS_DIR")) return dir;
  return fs::path(SKIFF_SOURCE_DIR) / ".." / "shared" / "corpus" / "nomad";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool is_not_supported(const Diagnostic& d) { return d.message.find("not supported") != std::string::npos; }

// Why skiff refuses what it would not carry out, read from the message.
std::string refusal_reason(const Diagnostic& d) {
  const std::string& m = d.message;
  if (m.rfind("driver \"", 0) == 0) return "a driver skiff does not run";
  if (m.find(" config in task ") != std::string::npos) return "a driver config key skiff would ignore";
  if (m.rfind("template in ", 0) == 0) return "a template (not rendered yet)";
  if (m.rfind("artifact in ", 0) == 0) return "an artifact (not fetched yet)";
  if (m.rfind("volume_mount in ", 0) == 0) return "a volume_mount on raw_exec, exec or java";
  if (m.rfind("lifecycle hooks beside", 0) == 0) return "lifecycle hooks beside a container task";
  return "another block or attribute skiff does not support";
}

// Files that Nomad's own `nomad job validate` rejects too, and why. They are
// parser fixtures in Nomad's repository, not runnable jobs; skiff must name
// the exact problem, which the test checks by a part of the message.
const std::map<std::string, std::string> kInvalidInNomadToo = {
    {"jobspec2/test-fixtures/template-err-missing-key.hcl", "is missing the required attribute \"driver\""},
    {"jobspec2/test-fixtures/restart-render-templates.hcl", "is missing the required attribute \"driver\""},
    {"jobspec2/test-fixtures/template-wait-config.hcl", "is missing the required attribute \"driver\""},
    // file("~/.ssh/id_rsa"): skiff's file functions only read below the job's directory.
    {"demo/csi/kadalu-csi/controller.nomad", "outside the job's directory tree"},
};

// A variable with no default needs a value, as with `nomad job run -var`:
// the names of such variables, from the diagnostics of a first load.
// The placeholder fits the declared type: true for bool, 1 otherwise.
std::vector<std::pair<std::string, std::string>> placeholder_vars(const LoadedJob& loaded, const Diagnostics& diagnostics) {
  std::vector<std::pair<std::string, std::string>> vars;
  const std::string marker = "\" has no value";
  for (const Diagnostic& d : diagnostics.items()) {
    size_t end = d.message.find(marker);
    if (d.message.rfind("variable \"", 0) != 0 || end == std::string::npos) continue;
    std::string name = d.message.substr(10, end - 10);
    std::string value = "1";
    for (const EvalBlock* block : loaded.evaluated.body.blocks_of("variable")) {
      const EvalAttribute* type = block->body->attribute("type");
      if (block->labels == std::vector<std::string>{name} && type && type->value == Value::string("bool")) value = "true";
    }
    vars.emplace_back(name, value);
  }
  return vars;
}

}  // namespace

TEST_CASE("every corpus job file parses and gets only precise diagnostics", "[.][corpus]") {
  fs::path dir = corpus_dir();
  if (!fs::is_directory(dir)) {
    FAIL("corpus directory " << dir << " is missing: set SKIFF_CORPUS_DIR");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 200);

  OsEnvironment env;
  size_t fully_valid = 0, with_unsupported = 0, invalid_in_nomad = 0;
  std::map<std::string, size_t> files_by_reason;
  for (const fs::path& path : files) {
    std::string text = read_file(path);
    Diagnostics syntax;
    parse_hcl(path.string(), text, syntax);
    INFO(syntax.render_all());
    CHECK(syntax.empty());

    EvalOptions options;
    options.env = &env;
    options.use_environment_variables = false;
    options.root_dir = path.parent_path().string();
    Diagnostics first;
    LoadedJob first_load = load_job(path.string(), text, options, first);
    options.cli_vars = placeholder_vars(first_load, first);
    Diagnostics diagnostics;
    LoadedJob loaded = load_job(path.string(), text, options, diagnostics);
    std::string relative = fs::relative(path, dir).generic_string();
    auto expected = kInvalidInNomadToo.find(relative);
    bool clean = true;
    std::set<std::string> reasons;
    for (const Diagnostic& d : diagnostics.items()) {
      if (d.severity != Severity::kError) continue;
      clean = false;
      INFO(render(d));
      bool known_invalid = expected != kInvalidInNomadToo.end() && d.message.find(expected->second) != std::string::npos;
      bool cascade_of_known = expected != kInvalidInNomadToo.end() && d.message.find("template in task") != std::string::npos;
      CHECK((is_not_supported(d) || known_invalid || cascade_of_known));
      if (is_not_supported(d)) reasons.insert(refusal_reason(d));
    }
    if (expected != kInvalidInNomadToo.end()) {
      INFO(relative);
      CHECK_FALSE(clean);
      ++invalid_in_nomad;
      continue;
    }
    CHECK((loaded.job.has_value() || !clean));
    if (clean && loaded.job) {
      // What the state keeps of a job version runs again unchanged.
      const nlohmann::json spec = job_to_json(*loaded.job);
      Result<skiff::spec::Job> back = job_from_json(spec);
      INFO(relative << ": " << (back.ok() ? "" : back.error().message));
      REQUIRE(back.ok());
      CHECK(job_to_json(*back) == spec);
    }
    if (clean) ++fully_valid;
    else ++with_unsupported;
    for (const std::string& reason : reasons) ++files_by_reason[reason];
  }
  std::cout << "corpus: " << files.size() << " files, " << fully_valid << " fully valid, " << with_unsupported
            << " use blocks skiff does not support (each named precisely), " << invalid_in_nomad
            << " invalid in Nomad too (named precisely)\n";
  for (const auto& [reason, count] : files_by_reason) std::cout << "  refused for " << reason << ": " << count << " files\n";
  CHECK(fully_valid + with_unsupported + invalid_in_nomad == files.size());
}
