#include "drivers/http/delivery_worker.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace skiff::drivers {

// What the thread and its owner share; it lives as long as either of them.
// `mutex` guards the queue and the counts; `stop` is read by a send in
// flight without it.
struct DeliveryWorker::Shared {
  Sender sender;
  RetryPolicy retry;
  size_t capacity = 1;
  ProblemSink on_problem;

  std::mutex mutex;
  std::condition_variable wake;  // a request came, shutdown began, or stop
  std::condition_variable done;  // the thread finished
  std::deque<OutboundRequest> queue;
  bool in_flight = false;
  bool closing = false;  // take no more; send what is queued
  bool finished = false;
  bool shut = false;  // shutdown() ran
  uint64_t dropped_unreported = 0;
  std::string dropped_what;
  NotifierStats stats;
  std::atomic<bool> stop{false};

  // Serialises on_problem's calls, and lets shutdown() wait out one in
  // progress before it promises there are no more.
  std::mutex problem_mutex;
  bool muted = false;  // guarded by problem_mutex

  void run();
  std::optional<OutboundRequest> next();
  void deliver(const OutboundRequest& request);
  bool pause(std::chrono::milliseconds wait);
  void report(const std::string& line);
};

void DeliveryWorker::Shared::run() {
  while (std::optional<OutboundRequest> request = next()) deliver(*request);
  std::lock_guard<std::mutex> lock(mutex);
  finished = true;
  done.notify_all();
}

// The next request to send, once there is one; nullopt when the thread is
// to end (stopped, or closing with nothing left).
std::optional<OutboundRequest> DeliveryWorker::Shared::next() {
  std::optional<OutboundRequest> request;
  uint64_t dropped = 0;
  std::string what;
  {
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait(lock, [this] { return stop || closing || !queue.empty(); });
    if (stop || queue.empty()) return std::nullopt;
    request = std::move(queue.front());
    queue.pop_front();
    in_flight = true;
    dropped = std::exchange(dropped_unreported, 0);
    what = dropped_what;
  }
  // Told here rather than in enqueue(), which runs on the loop's thread.
  if (dropped > 0)
    report(what + ": the queue was full: " + std::to_string(dropped) + " older request" + (dropped == 1 ? "" : "s") + " dropped");
  return request;
}

void DeliveryWorker::Shared::deliver(const OutboundRequest& request) {
  SendResult result;
  int tries = 1;
  for (;; ++tries) {
    result = sender(request, retry.timeout, stop);
    if (result.verdict != SendVerdict::kRetry || tries >= retry.tries || stop) break;
    if (!pause(retry_backoff(retry, tries))) break;
  }
  const bool delivered = result.verdict == SendVerdict::kDelivered;
  {
    std::lock_guard<std::mutex> lock(mutex);
    // Once stopped, shutdown() has counted this request as abandoned.
    if (stop) return;
    in_flight = false;
    ++(delivered ? stats.delivered : stats.failed);
  }
  if (!delivered)
    report(request.what + ": " + redacted(result.problem, request.secrets) + " (gave up after " + std::to_string(tries) +
           (tries == 1 ? " try)" : " tries)"));
}

// Waits `wait` unless stopped first; false when stopped.
bool DeliveryWorker::Shared::pause(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mutex);
  return !wake.wait_for(lock, wait, [this] { return stop.load(); });
}

void DeliveryWorker::Shared::report(const std::string& line) {
  std::lock_guard<std::mutex> lock(problem_mutex);
  if (!muted && on_problem) on_problem(line);
}

std::chrono::milliseconds retry_backoff(const RetryPolicy& policy, int failed_tries) {
  std::chrono::milliseconds wait = policy.first_backoff;
  for (int i = 1; i < failed_tries && wait < std::chrono::hours(1); ++i) wait *= 2;
  return wait;
}

DeliveryWorker::DeliveryWorker(Sender sender, RetryPolicy retry, size_t capacity, ProblemSink on_problem)
    : shared_(std::make_shared<Shared>()) {
  shared_->sender = std::move(sender);
  shared_->retry = retry;
  shared_->capacity = capacity;
  shared_->on_problem = std::move(on_problem);
  thread_ = std::thread([shared = shared_] { shared->run(); });
}

DeliveryWorker::~DeliveryWorker() { (void)shutdown(std::chrono::steady_clock::now()); }

void DeliveryWorker::enqueue(OutboundRequest request) {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  if (shared_->closing) return;
  if (shared_->queue.size() >= shared_->capacity) {
    shared_->dropped_what = shared_->queue.front().what;
    shared_->queue.pop_front();
    ++shared_->stats.dropped;
    ++shared_->dropped_unreported;
  }
  shared_->queue.push_back(std::move(request));
  shared_->wake.notify_one();
}

NotifierStats DeliveryWorker::shutdown(std::chrono::steady_clock::time_point deadline) {
  bool finished = false;
  {
    std::unique_lock<std::mutex> lock(shared_->mutex);
    if (shared_->shut) return shared_->stats;
    shared_->shut = true;
    shared_->closing = true;
    shared_->wake.notify_all();
    finished = shared_->done.wait_until(lock, deadline, [this] { return shared_->finished; });
    if (!finished) {
      shared_->stop = true;
      shared_->stats.abandoned += shared_->queue.size() + (shared_->in_flight ? 1 : 0);
      shared_->queue.clear();
      shared_->wake.notify_all();
    }
  }
  // A thread stuck in a send (a resolver that does not return) must not
  // hold up the loop's exit: it owns its share of the state and ends alone.
  if (finished) thread_.join();
  else thread_.detach();
  {
    std::lock_guard<std::mutex> lock(shared_->problem_mutex);
    shared_->muted = true;
  }
  return stats();
}

NotifierStats DeliveryWorker::stats() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->stats;
}

}  // namespace skiff::drivers
