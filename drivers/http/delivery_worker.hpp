// DeliveryWorker: one receiver's requests, sent on a thread of its own so
// that the reconcile loop never waits on the network. It keeps a bounded
// queue (when full, the oldest request is dropped and counted: the newest
// says most about where things stand), tries each request up to
// RetryPolicy::tries times with a doubling backoff between tries, and
// shuts down within a deadline whatever the receiver does.
//
// The sending itself is a Sender, so the queueing, retries and deadlines
// are tested with a fake one; CurlNotifier gives it libcurl's.
//
// Ownership and threads: enqueue(), shutdown() and stats() may be called
// from any thread. The thread's state is shared with it, so a thread still
// stuck in a send when the deadline passes is let go (detached) and ends
// on its own once the send notices `stop`; it touches nothing the caller
// owns after shutdown() returns, and calls `on_problem` no more.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "drivers/http/outbound_request.hpp"
#include "drivers/notifier.hpp"

namespace skiff::drivers {

struct RetryPolicy {
  int tries = 3;
  // The wait after the first failed try; it doubles after each one (1 s,
  // then 2 s).
  std::chrono::milliseconds first_backoff{1000};
  // How long one try may take, connecting included.
  std::chrono::milliseconds timeout{10000};
};

// The wait after `failed_tries` (1 or more) failed tries in a row.
std::chrono::milliseconds retry_backoff(const RetryPolicy& policy, int failed_tries);

enum class SendVerdict {
  kDelivered,
  kRetry,   // worth another try: no connection, a timeout, HTTP 5xx, 408, 429
  kGiveUp,  // another try would fare no better: HTTP 4xx, a URL curl refuses
};

struct SendResult {
  SendVerdict verdict = SendVerdict::kDelivered;
  std::string problem;  // "HTTP 500", "Connection refused"; secret-free
};

// Sends `request` once, within `timeout`, and returns early (any verdict)
// once `stop` is set. Called on the worker's thread.
using Sender =
    std::function<SendResult(const OutboundRequest& request, std::chrono::milliseconds timeout, const std::atomic<bool>& stop)>;

// Told of each request given up on and of drops, in one line without
// secrets ("webhook https://hooks.slack.com/…: gave up after 3 tries: HTTP
// 500"). Called on the worker's thread, one call at a time, never after
// shutdown() returned.
using ProblemSink = std::function<void(const std::string& line)>;

class DeliveryWorker {
 public:
  // Starts the thread. REQUIRES: capacity >= 1, retry.tries >= 1.
  DeliveryWorker(Sender sender, RetryPolicy retry, size_t capacity, ProblemSink on_problem);
  // Shuts down with no time left, if shutdown() was not called.
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Queues `request`; takes a mutex for a moment, never waits on a send.
  // After shutdown(), does nothing.
  void enqueue(OutboundRequest request);

  // Takes no more requests, lets the thread send what is queued until
  // `deadline`, then stops it: what is left is counted abandoned. A second
  // call returns the counts.
  NotifierStats shutdown(std::chrono::steady_clock::time_point deadline);

  NotifierStats stats() const;

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace skiff::drivers
