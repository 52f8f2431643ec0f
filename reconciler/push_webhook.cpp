#include "reconciler/push_webhook.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "base/digest.hpp"
#include "base/text.hpp"

namespace skiff::reconciler {

namespace {

// A ref or an event name comes from the request: it is cut to this many
// bytes, and its control characters escaped, before it reaches a reason.
constexpr size_t kMaxQuotedBytes = 200;

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The header's value, or null. A linear scan: a request has a few dozen
// headers, and it spares the caller lower-casing their names.
const std::string* find_header(const WebhookHeaders& headers, std::string_view name) {
  for (const auto& entry : headers)
    if (equal_ignoring_case(entry.first, name)) return &entry.second;
  return nullptr;
}

std::string safe_text(std::string_view text) {
  std::string cut = base::printable(text.substr(0, kMaxQuotedBytes));
  if (text.size() > kMaxQuotedBytes) cut += "...";
  return cut;
}

WebhookVerdict verdict(WebhookOutcome outcome, std::string reason) {
  return WebhookVerdict{outcome, webhook_http_status(outcome), std::move(reason), "", ""};
}

enum class SignatureCheck { kAbsent, kGood, kBad };

// Whether header `name` holds `prefix` and then `expected_hex`. Hex digits
// are compared without regard to case (they are no secret; the HMAC is).
SignatureCheck check_signature(const WebhookHeaders& headers, std::string_view name, std::string_view prefix,
                               const std::string& expected_hex) {
  const std::string* sent = find_header(headers, name);
  if (sent == nullptr) return SignatureCheck::kAbsent;
  if (sent->compare(0, prefix.size(), prefix) != 0) return SignatureCheck::kBad;
  std::string hex = sent->substr(prefix.size());
  std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return base::constant_time_equal(hex, expected_hex) ? SignatureCheck::kGood : SignatureCheck::kBad;
}

std::string_view event_header(WebhookProvider provider) {
  switch (provider) {
    case WebhookProvider::kGitHub: return "X-GitHub-Event";
    case WebhookProvider::kGitLab: return "X-Gitlab-Event";
    case WebhookProvider::kGitea: return "X-Gitea-Event";
  }
  return "";
}

// GitLab names tag pushes apart from branch pushes; whether the ref is the
// followed one is decided from the payload either way.
bool is_push_event(WebhookProvider provider, std::string_view event) {
  if (provider == WebhookProvider::kGitLab) return event == "Push Hook" || event == "Tag Push Hook";
  return event == "push";
}

// A commit id: 40 hex digits (SHA-1) or 64 (SHA-256 repositories).
bool is_commit_id(std::string_view id) {
  return (id.size() == 40 || id.size() == 64) &&
      std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isxdigit(c); });
}

// Senders name a deleted ref's new head as all zeros.
bool is_zero_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return c == '0'; });
}

const std::string* string_at(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

// The repository's default branch as the payload names it, as a full ref
// ("refs/heads/main"), or "" when it names none.
std::string default_branch_ref(WebhookProvider provider, const nlohmann::json& payload) {
  const char* holder = provider == WebhookProvider::kGitLab ? "project" : "repository";
  auto it = payload.find(holder);
  if (it == payload.end() || !it->is_object()) return "";
  const std::string* branch = string_at(*it, "default_branch");
  return branch != nullptr && !branch->empty() ? "refs/heads/" + *branch : "";
}

// Whether a push to `pushed` moves `followed` (a short name, a full ref).
bool ref_matches(const std::string& pushed, const std::string& followed) {
  if (followed.rfind("refs/", 0) == 0) return pushed == followed;
  return pushed == "refs/heads/" + followed || pushed == "refs/tags/" + followed;
}

}  // namespace

Result<WebhookProvider> parse_webhook_provider(std::string_view name) {
  for (WebhookProvider provider : {WebhookProvider::kGitHub, WebhookProvider::kGitLab, WebhookProvider::kGitea})
    if (name == webhook_provider_name(provider)) return provider;
  return make_error(ErrorCode::kInvalidArgument,
                    "webhook provider \"" + safe_text(name) + "\" is not one of github, gitlab, gitea");
}

std::string_view webhook_provider_name(WebhookProvider provider) {
  switch (provider) {
    case WebhookProvider::kGitHub: return "github";
    case WebhookProvider::kGitLab: return "gitlab";
    case WebhookProvider::kGitea: return "gitea";
  }
  return "";
}

int webhook_http_status(WebhookOutcome outcome) {
  switch (outcome) {
    case WebhookOutcome::kTrigger:
    case WebhookOutcome::kIgnored: return 202;
    case WebhookOutcome::kUnauthorized: return 401;
    case WebhookOutcome::kBadRequest: return 400;
  }
  return 400;
}

Result<PushWebhook> PushWebhook::create(WebhookProvider provider, std::string secret, std::string followed_ref) {
  if (secret.empty())
    return make_error(ErrorCode::kInvalidArgument,
                      "a " + std::string(webhook_provider_name(provider)) +
                          " webhook needs a secret: without one anybody could trigger a cycle");
  return PushWebhook(provider, std::move(secret), std::move(followed_ref));
}

WebhookVerdict PushWebhook::judge(const WebhookHeaders& headers, std::string_view body) const {
  if (std::string failure = authentication_failure(headers, body); !failure.empty())
    return verdict(WebhookOutcome::kUnauthorized, std::move(failure));
  const std::string_view header = event_header(provider_);
  const std::string* event = find_header(headers, header);
  if (event == nullptr) return verdict(WebhookOutcome::kBadRequest, "no " + std::string(header) + " header");
  if (!is_push_event(provider_, *event))
    return verdict(WebhookOutcome::kIgnored, "\"" + safe_text(*event) + "\" event ignored: only a push triggers a cycle");
  return judge_push(body);
}

std::string PushWebhook::authentication_failure(const WebhookHeaders& headers, std::string_view body) const {
  if (provider_ == WebhookProvider::kGitLab) {
    const std::string* token = find_header(headers, "X-Gitlab-Token");
    if (token == nullptr) return "no X-Gitlab-Token header";
    return base::constant_time_equal(*token, secret_) ? "" : "X-Gitlab-Token does not match the secret";
  }
  const std::string expected = base::hmac_sha256_hex(secret_, body);
  const SignatureCheck hub = check_signature(headers, "X-Hub-Signature-256", "sha256=", expected);
  if (provider_ == WebhookProvider::kGitHub) {
    if (hub == SignatureCheck::kAbsent) return "no X-Hub-Signature-256 header";
    return hub == SignatureCheck::kGood ? "" : "X-Hub-Signature-256 does not match the body and the secret";
  }
  // Gitea sends both; a wrong one is never made good by a right other.
  const SignatureCheck gitea = check_signature(headers, "X-Gitea-Signature", "", expected);
  if (gitea == SignatureCheck::kAbsent && hub == SignatureCheck::kAbsent)
    return "no X-Gitea-Signature or X-Hub-Signature-256 header";
  if (gitea == SignatureCheck::kBad) return "X-Gitea-Signature does not match the body and the secret";
  if (hub == SignatureCheck::kBad) return "X-Hub-Signature-256 does not match the body and the secret";
  return "";
}

WebhookVerdict PushWebhook::judge_push(std::string_view body) const {
  nlohmann::json payload;
  try {
    payload = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    return verdict(WebhookOutcome::kBadRequest, "push payload is not JSON (at byte " + std::to_string(e.byte) + ")");
  }
  if (!payload.is_object()) return verdict(WebhookOutcome::kBadRequest, "push payload is not a JSON object");
  const std::string* ref = string_at(payload, "ref");
  const std::string* after = string_at(payload, "after");
  if (ref == nullptr || after == nullptr)
    return verdict(WebhookOutcome::kBadRequest, "push payload has no \"ref\" or no \"after\" string");
  const std::string followed = followed_ref_.empty() ? default_branch_ref(provider_, payload) : followed_ref_;
  if (followed.empty()) return verdict(WebhookOutcome::kBadRequest, "push payload names no default branch to follow");
  if (!ref_matches(*ref, followed))
    return verdict(WebhookOutcome::kIgnored, "push to " + safe_text(*ref) + " ignored: following " + safe_text(followed));
  if (is_zero_id(*after)) return verdict(WebhookOutcome::kIgnored, "push deleting " + safe_text(*ref) + " ignored");
  // GitLab's checkout_sha is the commit even when `after` is a tag object.
  const std::string* checkout = provider_ == WebhookProvider::kGitLab ? string_at(payload, "checkout_sha") : nullptr;
  const std::string& commit = checkout != nullptr && !checkout->empty() ? *checkout : *after;
  if (!is_commit_id(commit))
    return verdict(WebhookOutcome::kBadRequest, "push payload's head \"" + safe_text(commit) + "\" is not a commit id");
  WebhookVerdict result = verdict(WebhookOutcome::kTrigger, "push to " + safe_text(*ref) + " at " + commit);
  result.ref = *ref;
  result.commit = commit;
  return result;
}

}  // namespace skiff::reconciler
