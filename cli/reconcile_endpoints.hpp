// What the reconcile loop serves with --listen (drivers/http/http_server.hpp):
//   POST /hooks/github, /hooks/gitlab, /hooks/gitea  push webhooks
//        (reconciler/push_webhook.hpp): a valid push for the followed ref
//        wakes the loop for a cycle now; a bad signature gets 401 and is
//        logged with the sender's address; other events get 202.
//   GET  /metrics  Prometheus text (reconciler/reconcile_metrics.hpp)
//   GET  /healthz  200 while the loop runs
//   GET  /readyz   200 when the last cycle succeeded, else 503 and why
// The handlers run on the server's threads; the loop hands each cycle's
// report over, and takes back the lines to log (the loop alone writes the
// log), under one mutex.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cli/reconcile_cycle.hpp"
#include "cli/reconcile_loop.hpp"
#include "drivers/http/http_server.hpp"
#include "reconciler/push_webhook.hpp"
#include "reconciler/reconcile_metrics.hpp"

namespace skiff::cli {

class WatchEndpoints {
 public:
  // A line for the loop to log; `run_cycle`: a push asks for a cycle now.
  struct Notice {
    std::string text;
    std::string type;  // the JSON log line's type: "webhook", "webhook_refused"
    bool error = false;
    bool run_cycle = false;
  };

  // `wake` is called (on a server thread) whenever a notice is added.
  explicit WatchEndpoints(std::function<void()> wake);

  // Listens on watch.listen. Webhook routes only with a secret; an address
  // that is not loopback only with one too (then /metrics is open to that
  // network, and the hooks are signed).
  Result<std::unique_ptr<drivers::HttpServer>> serve(const WatchSettings& watch, const std::string& followed_ref);

  void cycle_done(const CycleReport& report, int64_t now_unix);
  // Adds a line for the loop to log, and wakes it; from any thread.
  void tell(Notice notice);
  std::vector<Notice> take_notices();

 private:
  drivers::HttpResponse webhook(const reconciler::PushWebhook& hook, const drivers::HttpRequest& request);
  drivers::HttpResponse readyz();
  drivers::HttpResponse metrics();

  const std::function<void()> wake_;
  std::vector<reconciler::PushWebhook> hooks_;  // built once in serve(), read-only after
  std::mutex mutex_;
  reconciler::ReconcileMetrics metrics_;
  std::optional<CycleResult> last_result_;
  std::string last_error_;
  std::vector<Notice> notices_;
};

}  // namespace skiff::cli
