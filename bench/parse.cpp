// bench/parse: how fast job files go from text to validated jobs.
// Generates 1,000 job files from examples/*.nomad.hcl (each copy gets its own
// job name), then times, over several rounds, the whole front door
// (parse + evaluate + decode + validate) as `skiff validate` runs it, on every
// core, then on one core, and the syntax-tree step alone. Prints files/s and
// MB/s; the target is 1,000 files in under 300 ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "parser/load.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> generate_files(const fs::path& examples, size_t count) {
  std::vector<std::string> templates;
  for (const auto& entry : fs::directory_iterator(examples)) {
    std::string name = entry.path().filename().string();
    if (name.size() < 10 || name.substr(name.size() - 10) != ".nomad.hcl") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    templates.push_back(text.str());
  }
  std::sort(templates.begin(), templates.end());
  std::vector<std::string> files;
  for (size_t i = 0; i < count && !templates.empty(); ++i) {
    std::string text = templates[i % templates.size()];
    size_t job = text.find("job \"");
    if (job != std::string::npos) text.insert(text.find('"', job + 5), "-" + std::to_string(i));
    files.push_back(std::move(text));
  }
  return files;
}

template <typename F>
double median_ms(int rounds, F&& run) {
  std::vector<double> times;
  for (int r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    run();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = argc > 1 ? std::stoul(argv[1]) : 1000;
  std::vector<std::string> files = generate_files(fs::path(SKIFF_SOURCE_DIR) / "examples", count);
  if (files.empty()) {
    std::fprintf(stderr, "bench/parse: no examples/*.nomad.hcl found\n");
    return 1;
  }
  size_t bytes = 0;
  for (const auto& f : files) bytes += f.size();
  skiff::parser::OsEnvironment env;
  skiff::parser::EvalOptions options;
  options.env = &env;
  options.use_environment_variables = false;
  options.root_dir = SKIFF_SOURCE_DIR;

  size_t errors = 0;
  auto sources = [&] {
    std::vector<skiff::parser::JobSource> out;
    for (size_t i = 0; i < files.size(); ++i)
      out.push_back({std::string(SKIFF_SOURCE_DIR) + "/examples/gen-" + std::to_string(i) + ".nomad.hcl", files[i], options});
    return out;
  };
  // As `skiff validate` loads them: every core at once.
  double full = median_ms(7, [&] {
    errors = 0;
    for (const auto& file : skiff::parser::load_jobs(sources())) errors += file.diagnostics.error_count();
  });
  double one_core = median_ms(7, [&] {
    for (const auto& file : skiff::parser::load_jobs(sources(), 1)) (void)file;
  });
  double syntax = median_ms(7, [&] {
    for (const auto& text : files) {
      skiff::parser::Diagnostics diagnostics;
      (void)skiff::parser::parse_hcl("gen.nomad.hcl", text, diagnostics);
    }
  });
  double mb = bytes / 1e6;
  std::printf("bench/parse: %zu job files, %.2f MB (median of 7 rounds)\n", files.size(), mb);
  std::printf("%-40s %10s %12s %10s\n", "stage", "ms", "files/s", "MB/s");
  const std::string all_cores =
      "parse+evaluate+decode+validate, " + std::to_string(std::thread::hardware_concurrency()) + " cores";
  std::printf("%-40s %10.1f %12.0f %10.2f\n", all_cores.c_str(), full, files.size() / (full / 1e3), mb / (full / 1e3));
  std::printf("%-40s %10.1f %12.0f %10.2f\n", "the same on one core", one_core, files.size() / (one_core / 1e3),
              mb / (one_core / 1e3));
  std::printf("%-40s %10.1f %12.0f %10.2f\n", "syntax tree only, one core", syntax, files.size() / (syntax / 1e3),
              mb / (syntax / 1e3));
  std::printf("target: %zu files in under 300 ms: %s\n", files.size(), full < 300 ? "met" : "NOT met");
  if (errors) std::printf("warning: %zu diagnostics while loading (examples should be valid)\n", errors);
  return 0;
}
