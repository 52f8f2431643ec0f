// What `skiff reconcile --watch` counts, and the text Prometheus scrapes
// from it (text exposition format 0.0.4). Pure: the loop fills a
// ReconcileMetrics as cycles end; render_prometheus_text() turns one into
// text. Neither reads a clock: durations and timestamps are arguments.
//
// Thread safety: none of its own. The loop keeps its ReconcileMetrics under
// the lock it shares with the server, which renders a copy.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace skiff::reconciler {

// The Content-Type of render_prometheus_text()'s output.
constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// What a cycle did: applied a plan, found nothing to change, failed,
// fetched but applied nothing because reconcile is suspended, did not run
// (the commit waits out its retry backoff), or was stopped by SIGTERM
// after the step in flight.
enum class CycleResult { kApplied, kNoChanges, kFailed, kSuspended, kSkipped, kInterrupted };

// The `result` label: "applied", "no_changes", "failed", "suspended",
// "skipped", "interrupted".
std::string_view cycle_result_name(CycleResult result);

// The upper bounds, in seconds, of the cycle duration histogram's buckets;
// a last +Inf bucket is implied. From a no-op cycle (a fetch, one
// observation) to a rolling deploy across a fleet.
constexpr std::array<double, 11> kDurationBuckets = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

struct DurationHistogram {
  // Observations in (previous bound, bound], one per kDurationBuckets entry:
  // not cumulative; the rendering sums them. Past the last bound: only in
  // `count`.
  std::array<uint64_t, kDurationBuckets.size()> buckets{};
  uint64_t count = 0;
  double sum = 0;  // seconds
};

// A counter or gauge per label set; the maps keep them sorted, so the text
// is the same for the same values.
struct ReconcileMetrics {
  std::map<CycleResult, uint64_t> cycles;  // every result is rendered, 0 when absent
  DurationHistogram duration;
  int64_t last_success_unix = 0;                      // the end of the last applied or no_changes cycle; 0: never
  std::string applied_revision;                       // empty: none yet (no sample)
  std::string attempted_revision;                     // empty: none yet (no sample)
  std::string attempted_error;                        // empty: the attempt succeeded
  std::map<std::string, uint64_t> drift_corrections;  // reason → corrections
  // From the last observation, filled anew by the caller each time:
  std::map<std::pair<std::string, std::string>, int64_t> allocations;  // {job, status} → allocations
  std::map<std::string, int64_t> hosts;                                // status → hosts

  void count_cycle(CycleResult result) { ++cycles[result]; }
  void count_drift_correction(const std::string& reason) { ++drift_corrections[reason]; }
  // Adds one cycle's duration. A negative one (a clock that went back)
  // counts as 0; NaN is dropped, as it would make the sum NaN forever.
  void observe_duration(double seconds);
};

// The attempted error goes into a label cut to this many bytes (at a UTF-8
// character's start): a label is for telling errors apart, the log holds
// the whole text, and a label value is stored with every sample.
constexpr size_t kMaxErrorLabelBytes = 200;

// The metrics in Prometheus's text format: families sorted by name, each
// with # HELP and # TYPE, samples sorted by label values, label values
// escaped (backslash, double quote, newline) and made valid UTF-8 (a bad
// byte becomes U+FFFD). A family with no sample (no applied revision, no
// drift corrected, maps left empty) is left out.
//
//   skiff_allocations{job,status}                     gauge
//   skiff_applied_revision_info{revision}             gauge, 1
//   skiff_attempted_revision_info{revision,error}     gauge, 1
//   skiff_drift_corrections_total{reason}             counter
//   skiff_hosts{status}                               gauge
//   skiff_reconcile_cycles_total{result}              counter
//   skiff_reconcile_duration_seconds                  histogram
//   skiff_reconcile_last_success_timestamp_seconds    gauge
std::string render_prometheus_text(const ReconcileMetrics& metrics);

}  // namespace skiff::reconciler
