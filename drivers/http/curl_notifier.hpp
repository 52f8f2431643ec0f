// The Notifier of `skiff reconcile --watch`, over libcurl: each webhook
// (`--notify URL`, repeatable, in `--notify-format`) and the commit status
// (`--commit-status`) gets a DeliveryWorker of its own, so a receiver that
// hangs delays nobody else's requests and never the loop. Each request is a
// POST tried up to 3 times (1 s, then 2 s apart), 10 s a try; redirects are
// not followed, so a token never travels to a host it was not meant for.
//
// What goes wrong is told to `on_problem` (from the workers' threads, one
// line, no URL path and no token) and counted in stats().
//
// Thread safety: as Notifier promises. Destroying it without shutdown()
// stops at once (what is queued is abandoned).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "drivers/http/commit_status.hpp"
#include "drivers/http/delivery_worker.hpp"
#include "drivers/http/notify_payload.hpp"
#include "drivers/notifier.hpp"

namespace skiff::drivers {

struct WebhookTarget {
  std::string url;  // a secret: shown as scheme://host/… only
  NotifyFormat format = NotifyFormat::kJson;
};

struct CurlNotifierOptions {
  std::vector<WebhookTarget> webhooks;
  std::optional<CommitStatusTarget> commit_status;  // from commit_status_target()
  RetryPolicy retry;
  // Requests waiting per receiver; past it the oldest is dropped.
  size_t queue_capacity = 100;
  std::string user_agent = "skiff";  // GitHub's API refuses a request without one
  ProblemSink on_problem;
};

// A notifier for `options`, its workers started. Fails for a webhook URL
// that is not http(s), a queue capacity or a number of tries below 1, or
// libcurl that does not initialise. With no receivers it does nothing, and
// starts no thread.
Result<std::unique_ptr<Notifier>> make_curl_notifier(CurlNotifierOptions options);

// Sends `request` once as a POST, as a worker's Sender: within `timeout`,
// giving up early once `stop` is set (libcurl checks it at least once a
// second while it waits, and at once while data moves).
SendResult curl_send(const OutboundRequest& request, std::chrono::milliseconds timeout, const std::atomic<bool>& stop,
                     const std::string& user_agent);

}  // namespace skiff::drivers
