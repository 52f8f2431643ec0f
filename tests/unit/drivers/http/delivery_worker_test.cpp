// DeliveryWorker with a fake Sender: tries and backoff, what is given up on
// and told (without secrets), the full queue dropping its oldest, and a
// shutdown that keeps its deadline while a send hangs.
#include "drivers/http/delivery_worker.hpp"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <vector>

using namespace skiff::drivers;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A Sender whose answers a test scripts, recording each try.
struct FakeSender {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> sent;  // bodies, one per try
  std::vector<Clock::time_point> times;
  std::vector<SendResult> script;  // answers in turn; then delivered
  bool hold = false;               // sends wait until released or stopped
  size_t returned = 0;

  Sender sender() {
    return [this](const OutboundRequest& request, std::chrono::milliseconds, const std::atomic<bool>& stop) {
      std::unique_lock<std::mutex> lock(mutex);
      sent.push_back(request.body);
      times.push_back(Clock::now());
      changed.notify_all();
      while (hold && !stop) changed.wait_for(lock, 5ms);
      SendResult next{SendVerdict::kDelivered, ""};
      if (stop) {
        next = {SendVerdict::kGiveUp, "stopped"};
      } else if (!script.empty()) {
        next = script.front();
        script.erase(script.begin());
      }
      ++returned;
      changed.notify_all();
      return next;
    };
  }
  // A worker let go by shutdown may still be in a send: the test waits it
  // out before the fake goes away.
  bool wait_for_returns(size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, 5s, [&] { return returned >= n; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    hold = false;
    changed.notify_all();
  }
  bool wait_for_sends(size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, 5s, [&] { return sent.size() >= n; });
  }
};

struct Lines {
  std::mutex mutex;
  std::vector<std::string> lines;
  ProblemSink sink() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex);
      lines.push_back(line);
    };
  }
  std::vector<std::string> get() {
    std::lock_guard<std::mutex> lock(mutex);
    return lines;
  }
};

OutboundRequest request(const std::string& body) {
  return {"https://hooks.example.com/services/SECRET",
          {},
          body,
          "webhook https://hooks.example.com/…",
          {"https://hooks.example.com/services/SECRET", "/services/SECRET"}};
}

RetryPolicy fast() { return {3, 20ms, 1000ms}; }

}  // namespace

TEST_CASE("delivery: the default policy is 3 tries, 1 s then 2 s apart, 10 s a try", "[notify]") {
  const RetryPolicy policy;
  CHECK(policy.tries == 3);
  CHECK(policy.timeout == 10s);
  CHECK(retry_backoff(policy, 1) == 1s);
  CHECK(retry_backoff(policy, 2) == 2s);
  CHECK(retry_backoff(policy, 3) == 4s);
  CHECK(retry_backoff(policy, 100) <= 2h);
}

TEST_CASE("delivery: a request that fails twice is delivered on the third try, after the backoff", "[notify]") {
  FakeSender fake;
  fake.script = {{SendVerdict::kRetry, "HTTP 500"}, {SendVerdict::kRetry, "HTTP 503"}};
  Lines lines;
  DeliveryWorker worker(fake.sender(), fast(), 10, lines.sink());
  worker.enqueue(request("one"));
  const NotifierStats stats = worker.shutdown(Clock::now() + 5s);
  CHECK(fake.sent == std::vector<std::string>{"one", "one", "one"});
  REQUIRE(fake.times.size() == 3);
  CHECK(fake.times[1] - fake.times[0] >= 20ms);
  CHECK(fake.times[2] - fake.times[1] >= 40ms);
  CHECK(stats.delivered == 1);
  CHECK(stats.failed == 0);
  CHECK(lines.get().empty());
}

TEST_CASE("delivery: out of tries, or refused for good, it is given up and told without secrets", "[notify]") {
  FakeSender fake;
  fake.script = {{SendVerdict::kRetry, "HTTP 500"},
                 {SendVerdict::kRetry, "HTTP 500"},
                 {SendVerdict::kRetry, "HTTP 502"},
                 {SendVerdict::kGiveUp, "no route to /services/SECRET"}};
  Lines lines;
  DeliveryWorker worker(fake.sender(), fast(), 10, lines.sink());
  worker.enqueue(request("one"));
  worker.enqueue(request("two"));
  const NotifierStats stats = worker.shutdown(Clock::now() + 5s);
  CHECK(fake.sent == std::vector<std::string>{"one", "one", "one", "two"});
  CHECK(stats.failed == 2);
  CHECK(lines.get() ==
        std::vector<std::string>{"webhook https://hooks.example.com/…: HTTP 502 (gave up after 3 tries)",
                                 "webhook https://hooks.example.com/…: no route to (secret) (gave up after 1 try)"});
}

TEST_CASE("delivery: a full queue drops its oldest request and says so", "[notify]") {
  FakeSender fake;
  fake.hold = true;
  Lines lines;
  DeliveryWorker worker(fake.sender(), fast(), 2, lines.sink());
  worker.enqueue(request("1"));
  REQUIRE(fake.wait_for_sends(1));  // "1" is in flight; the queue holds 2
  const Clock::time_point began = Clock::now();
  for (const char* body : {"2", "3", "4", "5"}) worker.enqueue(request(body));
  CHECK(Clock::now() - began < 100ms);  // enqueue never waits on the send
  CHECK(worker.stats().dropped == 2);
  fake.release();
  const NotifierStats stats = worker.shutdown(Clock::now() + 5s);
  CHECK(fake.sent == std::vector<std::string>{"1", "4", "5"});
  CHECK(stats.delivered == 3);
  CHECK(stats.dropped == 2);
  CHECK(lines.get() ==
        std::vector<std::string>{"webhook https://hooks.example.com/…: the queue was full: 2 older requests dropped"});
}

TEST_CASE("delivery: shutdown keeps its deadline while a send hangs", "[notify]") {
  FakeSender fake;
  fake.hold = true;
  Lines lines;
  auto worker = std::make_unique<DeliveryWorker>(fake.sender(), fast(), 10, lines.sink());
  worker->enqueue(request("1"));
  worker->enqueue(request("2"));
  REQUIRE(fake.wait_for_sends(1));
  const Clock::time_point began = Clock::now();
  const NotifierStats stats = worker->shutdown(began + 200ms);
  const auto took = Clock::now() - began;
  CHECK(took >= 190ms);
  CHECK(took < 1s);
  CHECK(stats.abandoned == 2);
  CHECK(stats.delivered == 0);
  worker->enqueue(request("3"));  // after shutdown: nothing
  CHECK(worker->shutdown(Clock::now() + 1s).abandoned == 2);
  worker.reset();
  CHECK(fake.wait_for_returns(1));
  CHECK(fake.sent == std::vector<std::string>{"1"});
  CHECK(lines.get().empty());
}

TEST_CASE("delivery: destroyed without shutdown, it stops at once", "[notify]") {
  FakeSender fake;
  fake.hold = true;
  const Clock::time_point began = Clock::now();
  {
    DeliveryWorker worker(fake.sender(), fast(), 10, nullptr);
    worker.enqueue(request("1"));
    REQUIRE(fake.wait_for_sends(1));
  }
  CHECK(Clock::now() - began < 1s);
  CHECK(fake.wait_for_returns(1));
}
