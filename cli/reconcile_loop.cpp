#include "cli/reconcile_loop.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <random>

#include "base/random_bytes.hpp"
#include "base/text.hpp"
#include "base/unique_fd.hpp"
#include "base/utc_time.hpp"
#include "cli/clock.hpp"
#include "cli/interrupt.hpp"
#include "cli/planning.hpp"
#include "cli/reconcile_endpoints.hpp"
#include "cli/reconcile_notices.hpp"
#include "drivers/http/http_server.hpp"
#include "reconciler/cycle_interval.hpp"

namespace skiff::cli {

namespace {

using Clock = std::chrono::steady_clock;

// The loop sleeps in poll() on the read end of a pipe; a signal handler,
// or a webhook on the server's thread, writes a byte to wake it.
class WakePipe {
 public:
  WakePipe() {
    int fds[2];
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
      read_ = base::UniqueFd(fds[0]);
      write_ = base::UniqueFd(fds[1]);
    }
  }
  bool ok() const { return read_.get() >= 0; }
  int write_fd() const { return write_.get(); }
  void wake() const {
    const char byte = 'w';
    ssize_t ignored = ::write(write_.get(), &byte, 1);
    (void)ignored;
  }
  // Waits up to `wait` for a byte; drains what came.
  void wait(std::chrono::milliseconds wait) const {
    pollfd p{read_.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(wait.count(), INT32_MAX)));
    if (ready <= 0) return;
    char buffer[64];
    while (::read(read_.get(), buffer, sizeof(buffer)) > 0) {}
  }

 private:
  base::UniqueFd read_;
  base::UniqueFd write_;
};

// SIGHUP while the loop runs: a cycle now.
volatile std::sig_atomic_t hangup = 0;
volatile std::sig_atomic_t hangup_wake_fd = -1;

void on_hangup(int) {
  hangup = 1;
  const char byte = 'h';
  ssize_t ignored = ::write(hangup_wake_fd, &byte, 1);
  (void)ignored;
}

class HangupScope {
 public:
  explicit HangupScope(int wake_fd) {
    hangup = 0;
    hangup_wake_fd = wake_fd;
    struct sigaction action {};
    action.sa_handler = on_hangup;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGHUP, &action, &previous_);
  }
  ~HangupScope() {
    ::sigaction(SIGHUP, &previous_, nullptr);
    hangup_wake_fd = -1;
  }
  HangupScope(const HangupScope&) = delete;
  HangupScope& operator=(const HangupScope&) = delete;

  // Whether SIGHUP came since the last call.
  static bool take() {
    const bool came = hangup != 0;
    hangup = 0;
    return came;
  }

 private:
  struct sigaction previous_ {};
};

// A uniform draw in [0, 1) for the jitter, seeded from the system's random
// source so that loops started together draw apart.
class Jitter {
 public:
  Jitter() {
    Result<std::vector<uint8_t>> seed = base::random_bytes(8);
    uint64_t value = static_cast<uint64_t>(::getpid());
    if (seed.ok())
      for (uint8_t b : *seed) value = value << 8 | b;
    engine_.seed(value);
  }
  double next() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }

 private:
  std::mt19937_64 engine_;
};

std::string interval_text(std::chrono::milliseconds interval) {
  const auto ms = interval.count();
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

bool stopping() { return InterruptScope::signal_caught() != 0; }

}  // namespace

int run_reconcile_watch(const ReconcileSettings& settings, const WatchSettings& watch, Context& context) {
  WakePipe wake;
  if (!wake.ok()) {
    context.err << "skiff: reconcile --watch: cannot make its wake-up pipe\n";
    return kExitError;
  }
  ReconcileCycle cycle(settings, true, context);
  WatchEndpoints endpoints([&wake] { wake.wake(); });
  Result<std::unique_ptr<ReconcileNotices>> notices =
      ReconcileNotices::create(settings, watch, [&endpoints](const std::string& line) {
        endpoints.tell({"notify: " + line, "notify_failed", true, false});
      });
  if (!notices.ok()) {
    context.err << "skiff: " << notices.error().message << "\n";
    return kExitError;
  }
  std::unique_ptr<drivers::HttpServer> server;
  if (!watch.listen.empty()) {
    Result<std::unique_ptr<drivers::HttpServer>> started = endpoints.serve(watch, settings.ref);
    if (!started.ok()) {
      context.err << "skiff: --listen: " << started.error().message << "\n";
      return kExitError;
    }
    server = std::move(*started);
  }
  InterruptScope interrupt;
  InterruptScope::wake(wake.write_fd());
  HangupScope hangups(wake.write_fd());
  {
    ApplyOutput out(context, watch.json_logs, render_options(watch.no_color, context));
    out.info("Watching " + base::terminal_safe(cycle.source()) + ": a cycle every " + interval_text(watch.interval) + " (±10%)" +
                 (server ? ", webhooks and metrics on http://" + server->address() : "") +
                 ". SIGHUP runs one now; SIGTERM stops after the step in flight.",
             "reconcile_watch", {{"interval_ms", watch.interval.count()}, {"listen", server ? server->address() : ""}});
  }
  Jitter jitter;
  for (std::string why = "start"; !stopping();) {
    const Clock::time_point started = Clock::now();
    const std::chrono::milliseconds delay = reconciler::jittered_interval(watch.interval, jitter.next());
    ApplyOutput out(context, watch.json_logs, render_options(watch.no_color, context));
    if (why != "interval") out.info("Cycle now: " + why, "reconcile_trigger", {{"trigger", why}});
    CycleControl control{watch.interval, stopping, true,
                         now_unix() + std::chrono::duration_cast<std::chrono::seconds>(delay).count(),
                         [&notices](const drivers::GitCommit& commit) { (*notices)->applying(commit, now_unix()); }};
    CycleReport report = cycle.run(out, control);
    endpoints.cycle_done(report, now_unix());
    (*notices)->cycle_done(report, now_unix());
    why = "interval";
    for (const Clock::time_point next = started + delay; !stopping();) {
      for (const WatchEndpoints::Notice& notice : endpoints.take_notices()) {
        if (notice.run_cycle) why = notice.text;  // said as the cycle's trigger
        else if (notice.error) out.error(notice.text);
        else out.info(notice.text, notice.type);
      }
      if (HangupScope::take()) why = "SIGHUP";
      if (why != "interval" || Clock::now() >= next) break;
      wake.wait(std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()) + std::chrono::milliseconds(1));
    }
  }
  ApplyOutput out(context, watch.json_logs, render_options(watch.no_color, context));
  const char* signal = InterruptScope::signal_name(InterruptScope::signal_caught());
  (*notices)->shutdown(std::chrono::seconds(5));
  out.info(std::string("Stopped by ") + signal + ": the state lock is released and the state records what ran.",
           "reconcile_stopped", {{"signal", signal}});
  InterruptScope::wake(-1);
  return kExitOk;
}

}  // namespace skiff::cli
