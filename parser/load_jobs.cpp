// Loading many job files at once: each file is independent (its own tree-
// sitter parser, evaluator and diagnostics), so they spread over the cores.
#include <algorithm>
#include <atomic>
#include <thread>

#include "parser/load.hpp"

namespace skiff::parser {

std::vector<LoadedJobFile> load_jobs(std::vector<JobSource> sources, unsigned threads) {
  std::vector<LoadedJobFile> results(sources.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < sources.size(); i = next++) {
      JobSource& source = sources[i];
      results[i].loaded = load_job(source.path, std::move(source.text), source.options, results[i].diagnostics);
    }
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, sources.size()));
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  return results;
}

}  // namespace skiff::parser
