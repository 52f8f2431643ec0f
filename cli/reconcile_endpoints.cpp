#include "cli/reconcile_endpoints.hpp"

#include "base/text.hpp"

namespace skiff::cli {

namespace {

drivers::HttpResponse text(int status, const std::string& body) {
  return drivers::HttpResponse{status, "text/plain; charset=utf-8", body + "\n"};
}

bool ready(CycleResult result) {
  return result == CycleResult::kApplied || result == CycleResult::kNoChanges || result == CycleResult::kSuspended;
}

}  // namespace

WatchEndpoints::WatchEndpoints(std::function<void()> wake) : wake_(std::move(wake)) {}

Result<std::unique_ptr<drivers::HttpServer>> WatchEndpoints::serve(const WatchSettings& watch, const std::string& followed_ref) {
  Result<std::pair<std::string, int>> where = drivers::split_listen_address(watch.listen);
  if (!where.ok()) return where.error();
  if (!drivers::is_loopback_host(where->first) && watch.webhook_secret.empty())
    return make_error(ErrorCode::kInvalidArgument,
                      watch.listen +
                          " is not a loopback address: serving beyond this machine needs "
                          "--webhook-secret-file, so that no one else can start cycles");
  drivers::HttpServerOptions options;
  options.address = watch.listen;
  options.max_body = reconciler::kMaxWebhookBody;
  if (!watch.webhook_secret.empty()) {
    for (reconciler::WebhookProvider provider :
         {reconciler::WebhookProvider::kGitHub, reconciler::WebhookProvider::kGitLab, reconciler::WebhookProvider::kGitea}) {
      Result<reconciler::PushWebhook> hook = reconciler::PushWebhook::create(provider, watch.webhook_secret, followed_ref);
      if (!hook.ok()) return hook.error();
      hooks_.push_back(std::move(*hook));
    }
    for (const reconciler::PushWebhook& hook : hooks_) {
      const reconciler::PushWebhook* h = &hook;
      options.routes[{"POST", "/hooks/" + std::string(reconciler::webhook_provider_name(hook.provider()))}] =
          [this, h](const drivers::HttpRequest& request) { return webhook(*h, request); };
    }
  }
  options.routes[{"GET", "/metrics"}] = [this](const drivers::HttpRequest&) { return metrics(); };
  options.routes[{"GET", "/healthz"}] = [](const drivers::HttpRequest&) { return text(200, "ok"); };
  options.routes[{"GET", "/readyz"}] = [this](const drivers::HttpRequest&) { return readyz(); };
  return drivers::HttpServer::start(std::move(options));
}

drivers::HttpResponse WatchEndpoints::webhook(const reconciler::PushWebhook& hook, const drivers::HttpRequest& request) {
  reconciler::WebhookVerdict verdict = hook.judge(request.headers, request.body);
  const std::string from = std::string(reconciler::webhook_provider_name(hook.provider())) + " webhook from " +
      base::terminal_safe(request.remote_address);
  switch (verdict.outcome) {
    case reconciler::WebhookOutcome::kTrigger:
      tell({from + ": push of " + verdict.commit.substr(0, 12) + " to " + base::terminal_safe(verdict.ref), "webhook", false,
            true});
      break;
    case reconciler::WebhookOutcome::kUnauthorized:
      tell({from + " refused (401): " + verdict.reason, "webhook_refused", true, false});
      break;
    case reconciler::WebhookOutcome::kBadRequest:
      tell({from + " refused (400): " + verdict.reason, "webhook_refused", true, false});
      break;
    case reconciler::WebhookOutcome::kIgnored: break;
  }
  return text(verdict.http_status, verdict.reason);
}

drivers::HttpResponse WatchEndpoints::readyz() {
  std::lock_guard<std::mutex> hold(mutex_);
  if (!last_result_) return text(503, "no cycle has ended yet");
  if (ready(*last_result_))
    return text(200, std::string("ready: the last cycle ") + std::string(reconciler::cycle_result_name(*last_result_)));
  return text(
      503,
      std::string("not ready: the last cycle ") + std::string(reconciler::cycle_result_name(*last_result_)) + ": " + last_error_);
}

drivers::HttpResponse WatchEndpoints::metrics() {
  std::lock_guard<std::mutex> hold(mutex_);
  return drivers::HttpResponse{200, std::string(reconciler::kPrometheusContentType),
                               reconciler::render_prometheus_text(metrics_)};
}

void WatchEndpoints::cycle_done(const CycleReport& report, int64_t now_unix) {
  std::lock_guard<std::mutex> hold(mutex_);
  last_result_ = report.result;
  last_error_ = report.error.empty() ? report.attempted_error : report.error;
  metrics_.count_cycle(report.result);
  metrics_.observe_duration(report.seconds);
  if (ready(report.result)) metrics_.last_success_unix = now_unix;
  if (!report.applied_commit.empty()) metrics_.applied_revision = report.applied_commit;
  if (!report.attempted_commit.empty()) {
    metrics_.attempted_revision = report.attempted_commit;
    metrics_.attempted_error = report.attempted_error;
  }
  if (report.drift_corrected)
    for (const auto& [kind, count] : report.drift_kinds)
      for (int i = 0; i < count; ++i) metrics_.count_drift_correction(kind);
  if (!report.allocations.empty() || !report.hosts.empty()) {
    metrics_.allocations = {report.allocations.begin(), report.allocations.end()};
    metrics_.hosts = {report.hosts.begin(), report.hosts.end()};
  }
}

void WatchEndpoints::tell(Notice notice) {
  {
    std::lock_guard<std::mutex> hold(mutex_);
    notices_.push_back(std::move(notice));
  }
  wake_();
}

std::vector<WatchEndpoints::Notice> WatchEndpoints::take_notices() {
  std::lock_guard<std::mutex> hold(mutex_);
  return std::exchange(notices_, {});
}

}  // namespace skiff::cli
