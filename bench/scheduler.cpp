// bench/scheduler: how fast the Placer puts allocations onto nodes, and how
// fast compute_plan makes the whole plan (the diff, the placements and one
// Action per allocation) for the same jobs.
// Synthetic fleets (nodes over 50 racks and 4 datacenters) and service jobs
// (one group of count 1000, `${attr.kernel.name} = linux` plus a rack `!=` or
// regexp constraint), placed one allocation at a time on one core.
//
// Cases: C1M (1,000 jobs x 1,000 onto 5,000 nodes), C2M (2,000,000 onto
// 6,100 nodes), 10k onto 1k nodes, and a plain 100k case against the same
// with a spread over 50 racks and an affinity. Each case runs in a child
// process so its peak RSS is its own. Prints a table and the targets.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "reconciler/diff.hpp"
#include "reconciler/scheduler/placer.hpp"

using namespace skiff;
using namespace skiff::reconciler;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRacks = 50;

std::string rack(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "rack-%02d", i % kRacks);
  return buf;
}

std::vector<Node> make_fleet(int count) {
  std::vector<Node> nodes;
  nodes.reserve(count);
  for (int i = 0; i < count; ++i) {
    Node n;
    char name[16];
    std::snprintf(name, sizeof name, "node-%05d", i);
    n.name = name;
    n.datacenter = "dc" + std::to_string(1 + i % 4);
    n.attributes = {{"kernel.name", "linux"}, {"cpu.arch", "amd64"}, {"os.name", "debian"}};
    n.meta = {{"rack", rack(i / 7)}};
    n.drivers = {"exec", "docker"};
    n.capacity = {64000, 131072, 1000000, 16};
    nodes.push_back(std::move(n));
  }
  return nodes;
}

struct Shape {
  int jobs;
  int per_job;
  bool spread_heavy = false;
  bool whole_plan = false;  // compute_plan (diff, placement, actions), not the Placer alone
};

spec::Job make_job(int index, const Shape& shape) {
  spec::Job job;
  job.id = job.name = "job-" + std::to_string(index);
  job.constraints.push_back({"${attr.kernel.name}", "=", "linux"});
  spec::Group group;
  group.name = "app";
  group.count = shape.per_job;
  if (index % 2 == 0) group.constraints.push_back({"${meta.rack}", "!=", rack(index)});
  else group.constraints.push_back({"${meta.rack}", "regexp", "^rack-[0-3][0-9]$"});
  spec::Task task;
  task.name = "server";
  task.driver = "exec";
  task.resources.cpu = 100;
  task.resources.memory_mb = 128;
  group.tasks.push_back(task);
  group.ephemeral_disk.size_mb = 300;
  if (shape.spread_heavy) {
    group.spreads.push_back(spec::Spread{"${meta.rack}", 50, {}});
    job.affinities.push_back(spec::Affinity{"${node.datacenter}", "=", "dc" + std::to_string(1 + index % 4), 50});
  }
  job.groups.push_back(group);
  return job;
}

struct Run {
  double ms = 0;
  long failed = 0;
  long peak_rss_kb = 0;
  double rack_imbalance = 0;  // spread-heavy: mean over jobs of (most - fewest) per used rack
};

// The spread's quality: per job, the gap between its fullest and emptiest
// rack among the racks it used (the ideal is 0 or 1).
double imbalance(const std::vector<int>& per_rack) {
  int most = 0, fewest = 1 << 30;
  for (int n : per_rack) {
    if (n == 0) continue;
    most = std::max(most, n);
    fewest = std::min(fewest, n);
  }
  return most - fewest;
}

// The whole plan for new jobs on an empty fleet: what `skiff plan` computes
// once the hosts are observed.
Run run_whole_plan(int nodes, std::vector<spec::Job> jobs) {
  PlanInputs inputs;
  inputs.jobs = std::move(jobs);
  inputs.cluster.nodes = make_fleet(nodes);
  PlanOptions options;
  options.seed = 42;
  Run run;
  auto start = Clock::now();
  Plan plan = compute_plan(inputs, options);
  run.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  run.failed = plan.summary.unplaced;
  return run;
}

// Builds the fleet and jobs, then times only the placements.
Run run_once(int nodes, const Shape& shape) {
  std::vector<spec::Job> jobs;
  jobs.reserve(shape.jobs);
  for (int j = 0; j < shape.jobs; ++j) jobs.push_back(make_job(j, shape));
  if (shape.whole_plan) return run_whole_plan(nodes, std::move(jobs));
  Placer placer(make_fleet(nodes), SchedulerAlgorithm::kBinpack, 42);
  Run run;
  auto start = Clock::now();
  std::vector<std::vector<int>> racks(shape.spread_heavy ? jobs.size() : 0, std::vector<int>(kRacks));
  for (size_t j = 0; j < jobs.size(); ++j) {
    for (int i = 0; i < shape.per_job; ++i) {
      PlacementOutcome outcome = placer.place(jobs[j], jobs[j].groups[0]);
      if (std::holds_alternative<PlacementFailure>(outcome)) ++run.failed;
      else if (shape.spread_heavy) ++racks[j][(std::stoi(std::get<Placement>(outcome).node.substr(5)) / 7) % kRacks];
    }
  }
  run.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  for (const auto& per_rack : racks) run.rack_imbalance += imbalance(per_rack) / racks.size();
  return run;
}

// One run in a child process, so each case's peak RSS is its own.
Run run_isolated(int nodes, const Shape& shape) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Run run = run_once(nodes, shape);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    run.peak_rss_kb = usage.ru_maxrss;
    ssize_t written = write(fds[1], &run, sizeof run);
    _exit(written == sizeof run ? 0 : 1);
  }
  close(fds[1]);
  Run run;
  ssize_t got = read(fds[0], &run, sizeof run);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (got != sizeof run) std::fprintf(stderr, "bench/scheduler: child failed\n");
  return run;
}

Run median_of(int rounds, int nodes, const Shape& shape) {
  std::vector<Run> runs;
  for (int r = 0; r < rounds; ++r) runs.push_back(run_isolated(nodes, shape));
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.ms < b.ms; });
  return runs[runs.size() / 2];
}

void print_row(const char* name, long allocations, int nodes, const Run& run, int rounds) {
  std::printf("%-22s %12ld %7d %11.1f %3d %14.0f %10.0f %8ld\n", name, allocations, nodes, run.ms, rounds,
              allocations / (run.ms / 1000.0), run.peak_rss_kb / 1024.0, run.failed);
}

const char* verdict(bool met) { return met ? "met" : "NOT MET"; }

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::string(argv[1]) == "--quick";  // skips C2M
  std::printf("%-22s %12s %7s %11s %3s %14s %10s %8s\n", "case", "allocations", "nodes", "time ms", "n", "allocs/s", "peak MB",
              "failed");
  Shape c1m{1000, 1000};
  Run c1 = median_of(3, 5000, c1m);
  print_row("C1M", 1000000, 5000, c1, 3);
  Run c1_plan = median_of(3, 5000, Shape{1000, 1000, false, true});
  print_row("C1M, whole plan", 1000000, 5000, c1_plan, 3);
  Run c2{};
  if (!quick) {
    c2 = median_of(1, 6100, Shape{2000, 1000});
    print_row("C2M", 2000000, 6100, c2, 1);
  }
  Run small = median_of(7, 1000, Shape{10, 1000});
  print_row("10k on 1k", 10000, 1000, small, 7);
  Run small_plan = median_of(7, 1000, Shape{10, 1000, false, true});
  print_row("10k on 1k, whole plan", 10000, 1000, small_plan, 7);
  Run plain = median_of(3, 5000, Shape{100, 1000});
  print_row("plain 100k", 100000, 5000, plain, 3);
  Run heavy = median_of(3, 5000, Shape{100, 1000, true});
  print_row("spread+affinity 100k", 100000, 5000, heavy, 3);
  double ratio = heavy.ms / plain.ms;
  std::printf("\nspread-heavy / plain: %.2fx; spread quality: fullest - emptiest rack per job %.2f on average\n\n", ratio,
              heavy.rack_imbalance);
  std::printf("target C1M < 2000 ms:             %8.1f ms  %s\n", c1.ms, verdict(c1.ms < 2000));
  std::printf("target C1M peak RSS < 2048 MB:    %8.0f MB  %s\n", c1.peak_rss_kb / 1024.0, verdict(c1.peak_rss_kb < 2048 * 1024));
  std::printf("target C1M whole plan < 2000 ms:  %8.1f ms  %s (peak %.0f MB)\n", c1_plan.ms, verdict(c1_plan.ms < 2000),
              c1_plan.peak_rss_kb / 1024.0);
  if (!quick) std::printf("C2M (no target):                  %8.1f ms\n", c2.ms);
  std::printf("target 10k on 1k < 20 ms:         %8.2f ms  %s\n", small.ms, verdict(small.ms < 20));
  std::printf("target 10k on 1k whole plan < 20: %8.2f ms  %s\n", small_plan.ms, verdict(small_plan.ms < 20));
  std::printf("target spread-heavy < 5x plain:   %8.2fx    %s\n", ratio, verdict(ratio < 5));
  return 0;
}
