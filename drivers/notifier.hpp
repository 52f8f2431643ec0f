// Notifier: how the reconcile loop tells the world what it did with a
// commit (a chat room through a webhook, the git host through a commit
// status). The loop builds a ReconcileEvent, a plain value, and hands it to
// notify(), which must return at once: a slow or dead receiver never holds
// up a reconcile cycle. One real implementation, over libcurl with worker
// threads (drivers/http/curl_notifier.hpp); tests may record the events.
//
// Thread safety: notify(), shutdown() and stats() may be called from any
// thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace skiff::drivers {

enum class ReconcileEventKind {
  // A cycle began to apply a commit. Only a commit status shows it (as
  // pending); webhooks are not told, as a chat room wants outcomes.
  kStarted,
  kApplied,
  kFailed,
  // The commit had been applied before, and the hosts had moved away from
  // it: the cycle put them back.
  kDriftCorrected,
  // Reconcile is suspended: the commit was seen and not applied.
  kSuspended,
};

// "started", "applied", "failed", "drift_corrected", "suspended": the
// "event" field of the JSON a webhook receives.
inline const char* event_name(ReconcileEventKind kind) {
  switch (kind) {
    case ReconcileEventKind::kStarted: return "started";
    case ReconcileEventKind::kApplied: return "applied";
    case ReconcileEventKind::kFailed: return "failed";
    case ReconcileEventKind::kDriftCorrected: return "drift_corrected";
    case ReconcileEventKind::kSuspended: return "suspended";
  }
  return "unknown";
}

struct ReconcileEvent {
  ReconcileEventKind kind = ReconcileEventKind::kApplied;
  // The commit's 40 (or 64) hex digits; empty when none is known (a fetch
  // that failed).
  std::string commit;
  // What the loop follows, as a person reads it ("https://git.example.com/
  // ops/deploy ref main path prod"). Receivers see it as it is: the caller
  // leaves out any credentials a repository URL carries.
  std::string source;
  // One line for a person ("3 jobs updated", the error of a failed
  // cycle); line breaks are folded into spaces on the way out.
  std::string message;
  // When it happened, Unix seconds: the loop reads the clock, not the
  // notifier, so that what is sent can be pinned by tests.
  int64_t time_unix = 0;
  // Anything more a receiver may use ({"jobs": ["web"], "steps": 3}): a JSON
  // object, sent as it is in the JSON format and as fields in Slack's.
  nlohmann::json details = nlohmann::json::object();
};

// What a notifier did with the events it was handed, counted per request
// (an event sent to two webhooks and a commit status counts three times).
struct NotifierStats {
  uint64_t delivered = 0;
  // Given up on: out of tries, or refused for good (HTTP 4xx).
  uint64_t failed = 0;
  // Pushed out of a full queue, the oldest first, to make room.
  uint64_t dropped = 0;
  // Still queued or in flight when shutdown's deadline passed.
  uint64_t abandoned = 0;
};

class Notifier {
 public:
  virtual ~Notifier() = default;

  // Queues `event` for every target that takes it and returns without
  // waiting on the network. After shutdown(), does nothing.
  virtual void notify(const ReconcileEvent& event) = 0;

  // Takes no more events, sends what is queued until `deadline` has passed
  // (counted from now), then gives up on the rest: it returns within about
  // `deadline` whatever the receivers do. A second call returns the counts
  // at once.
  virtual NotifierStats shutdown(std::chrono::milliseconds deadline) = 0;

  // The counts so far.
  virtual NotifierStats stats() const = 0;
};

}  // namespace skiff::drivers
