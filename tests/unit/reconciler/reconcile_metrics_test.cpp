// What reconcile --watch serves on /metrics: Prometheus's text format,
// pinned whole for a small case, its label escaping, and a histogram whose
// buckets add up.
#include "reconciler/reconcile_metrics.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace skiff;
using reconciler::CycleResult;
using reconciler::ReconcileMetrics;
using reconciler::render_prometheus_text;

namespace {

// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) found.push_back(line);
  return found;
}

const char* const kEmptyText = R"(# HELP skiff_reconcile_cycles_total Reconcile cycles, by what they did.
# TYPE skiff_reconcile_cycles_total counter
skiff_reconcile_cycles_total{result="applied"} 0
skiff_reconcile_cycles_total{result="failed"} 0
skiff_reconcile_cycles_total{result="interrupted"} 0
skiff_reconcile_cycles_total{result="no_changes"} 0
skiff_reconcile_cycles_total{result="skipped"} 0
skiff_reconcile_cycles_total{result="suspended"} 0
# HELP skiff_reconcile_duration_seconds How long reconcile cycles took.
# TYPE skiff_reconcile_duration_seconds histogram
skiff_reconcile_duration_seconds_bucket{le="0.1"} 0
skiff_reconcile_duration_seconds_bucket{le="0.25"} 0
skiff_reconcile_duration_seconds_bucket{le="0.5"} 0
skiff_reconcile_duration_seconds_bucket{le="1"} 0
skiff_reconcile_duration_seconds_bucket{le="2.5"} 0
skiff_reconcile_duration_seconds_bucket{le="5"} 0
skiff_reconcile_duration_seconds_bucket{le="10"} 0
skiff_reconcile_duration_seconds_bucket{le="30"} 0
skiff_reconcile_duration_seconds_bucket{le="60"} 0
skiff_reconcile_duration_seconds_bucket{le="120"} 0
skiff_reconcile_duration_seconds_bucket{le="300"} 0
skiff_reconcile_duration_seconds_bucket{le="+Inf"} 0
skiff_reconcile_duration_seconds_sum 0
skiff_reconcile_duration_seconds_count 0
# HELP skiff_reconcile_last_success_timestamp_seconds When a reconcile cycle last applied or found nothing to change, in Unix seconds (0: never).
# TYPE skiff_reconcile_last_success_timestamp_seconds gauge
skiff_reconcile_last_success_timestamp_seconds 0
)";

}  // namespace

TEST_CASE("before any cycle: every result at 0, an empty histogram, no revision", "[reconcile_metrics]") {
  CHECK(render_prometheus_text(ReconcileMetrics{}) == kEmptyText);
}

TEST_CASE("a small case renders exactly, families by name and samples by labels", "[reconcile_metrics]") {
  ReconcileMetrics m;
  m.count_cycle(CycleResult::kNoChanges);
  m.count_cycle(CycleResult::kApplied);
  m.count_cycle(CycleResult::kNoChanges);
  m.count_cycle(CycleResult::kFailed);
  m.observe_duration(0.2);
  m.observe_duration(3);
  m.observe_duration(400);
  m.last_success_unix = 1700000000;
  m.applied_revision = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
  m.attempted_revision = "98248f0e892ce4e4e37411730ac98b53f2aa1261";
  m.attempted_error = "jobs/web.hcl:3:5: attribute \"count\" has no value";
  m.count_drift_correction("stopped");
  m.count_drift_correction("stopped");
  m.count_drift_correction("missing");
  m.allocations[{"web", "running"}] = 3;
  m.allocations[{"api", "running"}] = 2;
  m.allocations[{"web", "failed"}] = 1;
  m.hosts["ready"] = 2;
  m.hosts["down"] = 1;

  CHECK(render_prometheus_text(m) == R"(# HELP skiff_allocations Allocations at the last observation, by job and status.
# TYPE skiff_allocations gauge
skiff_allocations{job="api",status="running"} 2
skiff_allocations{job="web",status="failed"} 1
skiff_allocations{job="web",status="running"} 3
# HELP skiff_applied_revision_info The commit reconcile last applied.
# TYPE skiff_applied_revision_info gauge
skiff_applied_revision_info{revision="0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"} 1
# HELP skiff_attempted_revision_info The commit reconcile last tried, and why that failed (empty: it did not).
# TYPE skiff_attempted_revision_info gauge
skiff_attempted_revision_info{revision="98248f0e892ce4e4e37411730ac98b53f2aa1261",error="jobs/web.hcl:3:5: attribute \"count\" has no value"} 1
# HELP skiff_drift_corrections_total Drift reconcile corrected on hosts, by reason.
# TYPE skiff_drift_corrections_total counter
skiff_drift_corrections_total{reason="missing"} 1
skiff_drift_corrections_total{reason="stopped"} 2
# HELP skiff_hosts Hosts at the last observation, by status.
# TYPE skiff_hosts gauge
skiff_hosts{status="down"} 1
skiff_hosts{status="ready"} 2
# HELP skiff_reconcile_cycles_total Reconcile cycles, by what they did.
# TYPE skiff_reconcile_cycles_total counter
skiff_reconcile_cycles_total{result="applied"} 1
skiff_reconcile_cycles_total{result="failed"} 1
skiff_reconcile_cycles_total{result="interrupted"} 0
skiff_reconcile_cycles_total{result="no_changes"} 2
skiff_reconcile_cycles_total{result="skipped"} 0
skiff_reconcile_cycles_total{result="suspended"} 0
# HELP skiff_reconcile_duration_seconds How long reconcile cycles took.
# TYPE skiff_reconcile_duration_seconds histogram
skiff_reconcile_duration_seconds_bucket{le="0.1"} 0
skiff_reconcile_duration_seconds_bucket{le="0.25"} 1
skiff_reconcile_duration_seconds_bucket{le="0.5"} 1
skiff_reconcile_duration_seconds_bucket{le="1"} 1
skiff_reconcile_duration_seconds_bucket{le="2.5"} 1
skiff_reconcile_duration_seconds_bucket{le="5"} 2
skiff_reconcile_duration_seconds_bucket{le="10"} 2
skiff_reconcile_duration_seconds_bucket{le="30"} 2
skiff_reconcile_duration_seconds_bucket{le="60"} 2
skiff_reconcile_duration_seconds_bucket{le="120"} 2
skiff_reconcile_duration_seconds_bucket{le="300"} 2
skiff_reconcile_duration_seconds_bucket{le="+Inf"} 3
skiff_reconcile_duration_seconds_sum 403.2
skiff_reconcile_duration_seconds_count 3
# HELP skiff_reconcile_last_success_timestamp_seconds When a reconcile cycle last applied or found nothing to change, in Unix seconds (0: never).
# TYPE skiff_reconcile_last_success_timestamp_seconds gauge
skiff_reconcile_last_success_timestamp_seconds 1700000000
)");
}

TEST_CASE("the same values render the same text, whatever order they came in", "[reconcile_metrics]") {
  ReconcileMetrics a;
  a.hosts["ready"] = 1;
  a.hosts["down"] = 2;
  a.count_drift_correction("b");
  a.count_drift_correction("a");
  a.count_cycle(CycleResult::kSkipped);
  a.count_cycle(CycleResult::kApplied);
  ReconcileMetrics b;
  b.count_cycle(CycleResult::kApplied);
  b.count_cycle(CycleResult::kSkipped);
  b.count_drift_correction("a");
  b.count_drift_correction("b");
  b.hosts["down"] = 2;
  b.hosts["ready"] = 1;
  CHECK(render_prometheus_text(a) == render_prometheus_text(b));
}

TEST_CASE("label values escape backslash, double quote and newline", "[reconcile_metrics]") {
  ReconcileMetrics m;
  m.allocations[{"we\"b", "run\\ning"}] = 1;
  m.count_drift_correction("line one\nline two");
  m.attempted_revision = "abc";
  m.attempted_error = "C:\\jobs\\web.hcl: \"count\"\nsecond line";
  const std::string text = render_prometheus_text(m);
  CHECK(lines_starting(text, "skiff_allocations{") ==
        std::vector<std::string>{R"(skiff_allocations{job="we\"b",status="run\\ning"} 1)"});
  CHECK(lines_starting(text, "skiff_drift_corrections_total{") ==
        std::vector<std::string>{R"(skiff_drift_corrections_total{reason="line one\nline two"} 1)"});
  CHECK(lines_starting(text, "skiff_attempted_revision_info{") ==
        std::vector<std::string>{
            R"(skiff_attempted_revision_info{revision="abc",error="C:\\jobs\\web.hcl: \"count\"\nsecond line"} 1)"});
  // No applied revision: no such family at all.
  CHECK(text.find("skiff_applied_revision_info") == std::string::npos);
}

TEST_CASE("the attempted error is cut to 200 bytes at a character's start and made valid UTF-8", "[reconcile_metrics]") {
  ReconcileMetrics m;
  m.attempted_revision = "abc";
  // 199 bytes and a 2-byte "é": 201 bytes, cut before the "é".
  m.attempted_error = std::string(199, 'a') + "\xC3\xA9" + "tail";
  CHECK(lines_starting(render_prometheus_text(m), "skiff_attempted_revision_info{") ==
        std::vector<std::string>{"skiff_attempted_revision_info{revision=\"abc\",error=\"" + std::string(199, 'a') + "\"} 1"});
  // 198 bytes and "é": exactly 200, kept whole.
  m.attempted_error = std::string(198, 'a') + "\xC3\xA9" + "tail";
  CHECK(lines_starting(render_prometheus_text(m), "skiff_attempted_revision_info{") ==
        std::vector<std::string>{"skiff_attempted_revision_info{revision=\"abc\",error=\"" + std::string(198, 'a') +
                                 "\xC3\xA9\"} 1"});
  // A 4-byte character straddling byte 200 goes whole.
  m.attempted_error = std::string(197, 'a') + "\xF0\x9F\x9A\x80";
  CHECK(lines_starting(render_prometheus_text(m), "skiff_attempted_revision_info{") ==
        std::vector<std::string>{"skiff_attempted_revision_info{revision=\"abc\",error=\"" + std::string(197, 'a') + "\"} 1"});
  // Bytes that are no UTF-8 (Latin-1, a lone continuation, an overlong
  // "/", a surrogate) each become U+FFFD.
  m.attempted_error = "caf\xE9 \x80 \xC0\xAF \xED\xA0\x80";
  CHECK(lines_starting(render_prometheus_text(m), "skiff_attempted_revision_info{") ==
        std::vector<std::string>{"skiff_attempted_revision_info{revision=\"abc\",error=\"caf\xEF\xBF\xBD \xEF\xBF\xBD "
                                 "\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"} 1"});
}

TEST_CASE("duration buckets are cumulative, a bound holds its own value, the sum and count add up", "[reconcile_metrics]") {
  ReconcileMetrics m;
  for (double seconds : {0.05, 0.1, 0.3, 1.0, 7.5, 7.5, 59.0, 300.0, 301.0, 1e6}) m.observe_duration(seconds);
  m.observe_duration(-2);                                        // a clock that went back: 0
  m.observe_duration(std::numeric_limits<double>::quiet_NaN());  // dropped
  const std::string text = render_prometheus_text(m);
  CHECK(lines_starting(text, "skiff_reconcile_duration_seconds_bucket") ==
        std::vector<std::string>{
            R"(skiff_reconcile_duration_seconds_bucket{le="0.1"} 3)",
            R"(skiff_reconcile_duration_seconds_bucket{le="0.25"} 3)",
            R"(skiff_reconcile_duration_seconds_bucket{le="0.5"} 4)",
            R"(skiff_reconcile_duration_seconds_bucket{le="1"} 5)",
            R"(skiff_reconcile_duration_seconds_bucket{le="2.5"} 5)",
            R"(skiff_reconcile_duration_seconds_bucket{le="5"} 5)",
            R"(skiff_reconcile_duration_seconds_bucket{le="10"} 7)",
            R"(skiff_reconcile_duration_seconds_bucket{le="30"} 7)",
            R"(skiff_reconcile_duration_seconds_bucket{le="60"} 8)",
            R"(skiff_reconcile_duration_seconds_bucket{le="120"} 8)",
            R"(skiff_reconcile_duration_seconds_bucket{le="300"} 9)",
            R"(skiff_reconcile_duration_seconds_bucket{le="+Inf"} 11)",
        });
  CHECK(lines_starting(text, "skiff_reconcile_duration_seconds_count") ==
        std::vector<std::string>{"skiff_reconcile_duration_seconds_count 11"});
  CHECK(m.duration.count == 11);
  CHECK(m.duration.sum == Approx(0.05 + 0.1 + 0.3 + 1.0 + 7.5 + 7.5 + 59.0 + 300.0 + 301.0 + 1e6));
  // Each bucket holds at least the one before it, the last one all.
  uint64_t previous = 0;
  for (const std::string& line : lines_starting(text, "skiff_reconcile_duration_seconds_bucket")) {
    const uint64_t value = std::stoull(line.substr(line.rfind(' ') + 1));
    CHECK(value >= previous);
    previous = value;
  }
  CHECK(previous == m.duration.count);
}

TEST_CASE("results are named as the result label shows them", "[reconcile_metrics]") {
  CHECK(reconciler::cycle_result_name(CycleResult::kApplied) == "applied");
  CHECK(reconciler::cycle_result_name(CycleResult::kNoChanges) == "no_changes");
  CHECK(reconciler::cycle_result_name(CycleResult::kFailed) == "failed");
  CHECK(reconciler::cycle_result_name(CycleResult::kSuspended) == "suspended");
  CHECK(reconciler::cycle_result_name(CycleResult::kSkipped) == "skipped");
  CHECK(reconciler::cycle_result_name(CycleResult::kInterrupted) == "interrupted");
  CHECK(reconciler::kPrometheusContentType == "text/plain; version=0.0.4; charset=utf-8");
}
