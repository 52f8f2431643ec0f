#include "reconciler/reconcile_metrics.hpp"

#include <charconv>
#include <cmath>
#include <initializer_list>

namespace skiff::reconciler {

namespace {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// The length of the valid UTF-8 character at text[i], or 0 for a bad byte
// (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF): the
// rules Prometheus checks a label value with before it takes a scrape.
size_t utf8_length_at(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return length;
}

// `text` with each byte that does not start a valid character replaced by
// U+FFFD: one label that is not UTF-8 would fail the whole scrape.
std::string valid_utf8(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t length = utf8_length_at(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

// `text` (valid UTF-8) cut to at most `max_bytes`, never inside a character.
std::string cut_at_character(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

std::string escaped_label_value(std::string_view value) {
  std::string out;
  for (char c : valid_utf8(value)) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

// Go's shortest round-trip form, as Prometheus's own clients print floats.
std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, Labels labels, std::string_view value) {
  out.append(name);
  if (labels.size() > 0) {
    out += '{';
    for (const auto& [label, label_value] : labels) {
      if (out.back() != '{') out += ',';
      out.append(label).append("=\"").append(escaped_label_value(label_value)).append("\"");
    }
    out += '}';
  }
  out.append(" ").append(value).append("\n");
}

void render_allocations(std::string& out, const ReconcileMetrics& metrics) {
  if (metrics.allocations.empty()) return;
  family(out, "skiff_allocations", "gauge", "Allocations at the last observation, by job and status.");
  for (const auto& [key, count] : metrics.allocations)
    sample(out, "skiff_allocations", {{"job", key.first}, {"status", key.second}}, std::to_string(count));
}

void render_hosts(std::string& out, const ReconcileMetrics& metrics) {
  if (metrics.hosts.empty()) return;
  family(out, "skiff_hosts", "gauge", "Hosts at the last observation, by status.");
  for (const auto& [status, count] : metrics.hosts) sample(out, "skiff_hosts", {{"status", status}}, std::to_string(count));
}

void render_revisions(std::string& out, const ReconcileMetrics& metrics) {
  if (!metrics.applied_revision.empty()) {
    family(out, "skiff_applied_revision_info", "gauge", "The commit reconcile last applied.");
    sample(out, "skiff_applied_revision_info", {{"revision", metrics.applied_revision}}, "1");
  }
  if (!metrics.attempted_revision.empty()) {
    family(out, "skiff_attempted_revision_info", "gauge",
           "The commit reconcile last tried, and why that failed (empty: it did not).");
    const std::string error = cut_at_character(valid_utf8(metrics.attempted_error), kMaxErrorLabelBytes);
    sample(out, "skiff_attempted_revision_info", {{"revision", metrics.attempted_revision}, {"error", error}}, "1");
  }
}

void render_drift(std::string& out, const ReconcileMetrics& metrics) {
  if (metrics.drift_corrections.empty()) return;
  family(out, "skiff_drift_corrections_total", "counter", "Drift reconcile corrected on hosts, by reason.");
  for (const auto& [reason, count] : metrics.drift_corrections)
    sample(out, "skiff_drift_corrections_total", {{"reason", reason}}, std::to_string(count));
}

// Every result, 0 when none was counted, so that a rate over one that has
// not happened yet is 0 rather than no series.
void render_cycles(std::string& out, const ReconcileMetrics& metrics) {
  std::map<std::string_view, uint64_t> by_name;
  for (CycleResult result : {CycleResult::kApplied, CycleResult::kNoChanges, CycleResult::kFailed, CycleResult::kSuspended,
                             CycleResult::kSkipped, CycleResult::kInterrupted}) {
    auto it = metrics.cycles.find(result);
    by_name[cycle_result_name(result)] = it == metrics.cycles.end() ? 0 : it->second;
  }
  family(out, "skiff_reconcile_cycles_total", "counter", "Reconcile cycles, by what they did.");
  for (const auto& [name, count] : by_name)
    sample(out, "skiff_reconcile_cycles_total", {{"result", name}}, std::to_string(count));
}

void render_duration(std::string& out, const DurationHistogram& histogram) {
  family(out, "skiff_reconcile_duration_seconds", "histogram", "How long reconcile cycles took.");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
    cumulative += histogram.buckets[i];
    sample(out, "skiff_reconcile_duration_seconds_bucket", {{"le", number(kDurationBuckets[i])}}, std::to_string(cumulative));
  }
  sample(out, "skiff_reconcile_duration_seconds_bucket", {{"le", "+Inf"}}, std::to_string(histogram.count));
  sample(out, "skiff_reconcile_duration_seconds_sum", {}, number(histogram.sum));
  sample(out, "skiff_reconcile_duration_seconds_count", {}, std::to_string(histogram.count));
}

}  // namespace

std::string_view cycle_result_name(CycleResult result) {
  switch (result) {
    case CycleResult::kApplied: return "applied";
    case CycleResult::kNoChanges: return "no_changes";
    case CycleResult::kFailed: return "failed";
    case CycleResult::kSuspended: return "suspended";
    case CycleResult::kSkipped: return "skipped";
    case CycleResult::kInterrupted: return "interrupted";
  }
  return "";
}

void ReconcileMetrics::observe_duration(double seconds) {
  if (std::isnan(seconds)) return;
  if (seconds < 0) seconds = 0;
  for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
    if (seconds <= kDurationBuckets[i]) {
      ++duration.buckets[i];
      break;
    }
  }
  ++duration.count;
  duration.sum += seconds;
}

std::string render_prometheus_text(const ReconcileMetrics& metrics) {
  std::string out;
  render_allocations(out, metrics);
  render_revisions(out, metrics);
  render_drift(out, metrics);
  render_hosts(out, metrics);
  render_cycles(out, metrics);
  render_duration(out, metrics.duration);
  family(out, "skiff_reconcile_last_success_timestamp_seconds", "gauge",
         "When a reconcile cycle last applied or found nothing to change, in Unix seconds (0: never).");
  sample(out, "skiff_reconcile_last_success_timestamp_seconds", {}, std::to_string(metrics.last_success_unix));
  return out;
}

}  // namespace skiff::reconciler
