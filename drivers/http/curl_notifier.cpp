#include "drivers/http/curl_notifier.hpp"

#include <curl/curl.h>

#include <functional>

namespace skiff::drivers {

namespace {

using Shaper = std::function<std::optional<OutboundRequest>(const ReconcileEvent&)>;

// libcurl's global set-up, once per process; a function-local static is
// initialised once even when two threads get here together.
bool curl_ready() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  return code == CURLE_OK;
}

size_t discard_body(char* /*data*/, size_t size, size_t count, void* /*user*/) { return size * count; }

// A non-zero return aborts the transfer (CURLE_ABORTED_BY_CALLBACK).
int stop_if_asked(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

// Failures another try a second later would meet again.
bool is_lasting(CURLcode code) {
  return code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT || code == CURLE_NOT_BUILT_IN ||
      code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE || code == CURLE_BAD_FUNCTION_ARGUMENT;
}

SendResult verdict_of_status(long status) {
  if (status >= 200 && status < 300) return {SendVerdict::kDelivered, ""};
  const std::string text = "HTTP " + std::to_string(status);
  if (status == 408 || status == 425 || status == 429 || status >= 500) return {SendVerdict::kRetry, text};
  if (status >= 300 && status < 400) return {SendVerdict::kGiveUp, text + " (redirects are not followed)"};
  return {SendVerdict::kGiveUp, text};
}

void set_options(CURL* curl, const OutboundRequest& request, curl_slist* headers, std::chrono::milliseconds timeout,
                 const std::atomic<bool>& stop, const std::string& user_agent, char* error) {
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
  // Signals are the loop's (SIGHUP, SIGTERM); a resolver's alarm must not be.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_body);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, stop_if_asked);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&stop));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
}

class CurlNotifier : public Notifier {
 public:
  void add(Shaper shape, std::unique_ptr<DeliveryWorker> worker) { targets_.push_back({std::move(shape), std::move(worker)}); }

  void notify(const ReconcileEvent& event) override {
    if (shut_) return;
    for (Target& target : targets_)
      if (std::optional<OutboundRequest> request = target.shape(event)) target.worker->enqueue(std::move(*request));
  }

  NotifierStats shutdown(std::chrono::milliseconds deadline) override {
    shut_ = true;
    // One deadline for all: the workers drain side by side.
    const auto until = std::chrono::steady_clock::now() + deadline;
    NotifierStats total;
    for (Target& target : targets_) add_to(total, target.worker->shutdown(until));
    return total;
  }

  NotifierStats stats() const override {
    NotifierStats total;
    for (const Target& target : targets_) add_to(total, target.worker->stats());
    return total;
  }

 private:
  struct Target {
    Shaper shape;
    std::unique_ptr<DeliveryWorker> worker;
  };

  static void add_to(NotifierStats& total, const NotifierStats& one) {
    total.delivered += one.delivered;
    total.failed += one.failed;
    total.dropped += one.dropped;
    total.abandoned += one.abandoned;
  }

  std::vector<Target> targets_;  // fixed once built: read without a lock
  std::atomic<bool> shut_{false};
};

Status check_options(const CurlNotifierOptions& options) {
  for (size_t i = 0; i < options.webhooks.size(); ++i) {
    if (!is_http_url(options.webhooks[i].url))
      return make_error(ErrorCode::kInvalidArgument,
                        "--notify " + describe_url(options.webhooks[i].url) + " is not an http:// or https:// URL");
  }
  if (options.queue_capacity < 1 || options.retry.tries < 1)
    return make_error(ErrorCode::kInvalidArgument, "notify: the queue and the tries must be 1 or more");
  if (!curl_ready()) return make_error(ErrorCode::kInternal, "notify: libcurl does not initialise");
  return Status();
}

}  // namespace

SendResult curl_send(const OutboundRequest& request, std::chrono::milliseconds timeout, const std::atomic<bool>& stop,
                     const std::string& user_agent) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {SendVerdict::kRetry, "libcurl could not make a handle"};
  curl_slist* list = nullptr;
  for (const std::string& header : request.headers) list = curl_slist_append(list, header.c_str());
  // Without this, curl waits up to a second for "100 Continue" before a
  // larger body.
  list = curl_slist_append(list, "Expect:");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(list, curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = {};
  set_options(curl.get(), request, headers.get(), timeout, stop, user_agent, error);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code == CURLE_ABORTED_BY_CALLBACK) return {SendVerdict::kGiveUp, "stopped by shutdown"};
  if (code != CURLE_OK) {
    const std::string text = redacted(error[0] ? error : curl_easy_strerror(code), request.secrets);
    return {is_lasting(code) ? SendVerdict::kGiveUp : SendVerdict::kRetry, text};
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  return verdict_of_status(status);
}

Result<std::unique_ptr<Notifier>> make_curl_notifier(CurlNotifierOptions options) {
  if (Status checked = check_options(options); !checked) return checked.error();
  auto notifier = std::make_unique<CurlNotifier>();
  Sender sender = [agent = options.user_agent](const OutboundRequest& request, std::chrono::milliseconds timeout,
                                               const std::atomic<bool>& stop) {
    return curl_send(request, timeout, stop, agent);
  };
  auto worker = [&options, &sender] {
    return std::make_unique<DeliveryWorker>(sender, options.retry, options.queue_capacity, options.on_problem);
  };
  for (const WebhookTarget& webhook : options.webhooks) {
    notifier->add(
        [url = webhook.url, format = webhook.format](const ReconcileEvent& event) { return webhook_request(url, format, event); },
        worker());
  }
  if (options.commit_status) {
    notifier->add([target = *options.commit_status](const ReconcileEvent& event) { return commit_status_request(target, event); },
                  worker());
  }
  return std::unique_ptr<Notifier>(std::move(notifier));
}

}  // namespace skiff::drivers
