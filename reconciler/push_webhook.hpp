// What one push webhook request means to `skiff reconcile --watch`: run a
// cycle now, nothing, or refuse it. Pure: the request's headers and body
// are arguments; the HTTP server (its body limit, its routes) is the
// caller's.
//
// The sender is authenticated before a byte of the body is parsed:
// GitHub's X-Hub-Signature-256 ("sha256=" and the hex HMAC-SHA256 of the
// exact body under the secret), Gitea's X-Gitea-Signature (the same hex,
// no prefix; Gitea also sends X-Hub-Signature-256, and each one present
// must hold), GitLab's X-Gitlab-Token (the secret itself). Every comparison
// is constant-time. Only then is the body read as JSON, and a push to the
// followed ref, not deleting it, triggers.
//
// A reason never holds the secret, a signature or a token, so it can be
// logged and sent back as the response's body.
//
// Thread safety: a PushWebhook is immutable after create(); judge() may be
// called from any number of threads at once.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "base/result.hpp"

namespace skiff::reconciler {

// The largest body the server should read before judging; past it, it
// answers 413 itself. GitHub caps its payloads at 25 MB, but a push that
// big is no push skiff needs: the reconcile cycle fetches the commits
// itself, the payload only says when.
constexpr size_t kMaxWebhookBody = 1 << 20;

enum class WebhookProvider { kGitHub, kGitLab, kGitea };

// "github", "gitlab", "gitea" (as a user writes them in a flag).
Result<WebhookProvider> parse_webhook_provider(std::string_view name);
std::string_view webhook_provider_name(WebhookProvider provider);

// A request's headers by name. Names are matched without regard to case, so
// the server's headers may be copied as they came (cpp-httplib's
// `Headers` converts: `WebhookHeaders(req.headers.begin(), req.headers.end())`).
// Of two headers of the same name the map keeps one; either way a forged
// one cannot pass, since a signature is checked against the body.
using WebhookHeaders = std::map<std::string, std::string>;

enum class WebhookOutcome {
  kTrigger,       // a push to the followed ref: run a cycle now
  kIgnored,       // authentic, but nothing to do (ping, other ref, deletion)
  kUnauthorized,  // no or a wrong signature or token
  kBadRequest,    // authentic, but not a payload skiff can read
};

// 202 for kTrigger and kIgnored (the sender must not retry, or show a
// failed delivery, for a push to another branch), 401, 400.
int webhook_http_status(WebhookOutcome outcome);

struct WebhookVerdict {
  WebhookOutcome outcome = WebhookOutcome::kBadRequest;
  int http_status = 400;  // webhook_http_status(outcome)
  std::string reason;     // one line, for the log and the response body
  std::string ref;        // kTrigger: the pushed ref, "refs/heads/main"
  // kTrigger: the head commit as the payload names it (GitHub and Gitea
  // `after`, GitLab `checkout_sha`, else `after`). For an annotated tag on
  // GitHub or Gitea this is the tag object, not its commit: a hint for the
  // log; the cycle resolves the ref itself.
  std::string commit;
};

class PushWebhook {
 public:
  // A webhook for `provider` signed (or, GitLab, tokened) with `secret`,
  // following `followed_ref` as reconcile was given it: a branch or tag
  // name ("main", "v1.2": a push to refs/heads/NAME or refs/tags/NAME), a
  // full ref ("refs/heads/main": that ref only), or empty: the repository's
  // default branch as the payload names it (GitHub and Gitea
  // repository.default_branch, GitLab project.default_branch).
  // Fails for an empty secret: without one anybody could trigger cycles, so
  // there is no PushWebhook that accepts unsigned requests.
  static Result<PushWebhook> create(WebhookProvider provider, std::string secret, std::string followed_ref);

  // What the request with these headers and this (whole, unparsed) body
  // means.
  WebhookVerdict judge(const WebhookHeaders& headers, std::string_view body) const;

  WebhookProvider provider() const { return provider_; }
  const std::string& followed_ref() const { return followed_ref_; }

 private:
  PushWebhook(WebhookProvider provider, std::string secret, std::string followed_ref)
      : provider_(provider), secret_(std::move(secret)), followed_ref_(std::move(followed_ref)) {}

  // Empty when the request is authentic, else why not (kUnauthorized).
  std::string authentication_failure(const WebhookHeaders& headers, std::string_view body) const;
  WebhookVerdict judge_push(std::string_view body) const;

  WebhookProvider provider_;
  std::string secret_;
  std::string followed_ref_;
};

}  // namespace skiff::reconciler
