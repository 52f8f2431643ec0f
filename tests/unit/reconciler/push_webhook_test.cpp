// What a push webhook means: GitHub, GitLab and Gitea requests as they send
// them (payloads trimmed), authenticated before the body is read, and
// triggering a cycle only for a push to the followed ref.
#include "reconciler/push_webhook.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <string>
#include <string_view>

#include "base/digest.hpp"

using namespace skiff;
using reconciler::PushWebhook;
using reconciler::WebhookHeaders;
using reconciler::WebhookOutcome;
using reconciler::WebhookProvider;
using reconciler::WebhookVerdict;

namespace {

// GitHub's own example secret. Each payload's signature below was computed
// apart from skiff, with `printf %s BODY | openssl dgst -sha256 -hmac SECRET`.
const std::string kSecret = "It's a Secret to Everybody";

constexpr std::string_view kGitHubPush =
    R"({"ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","after":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","created":false,"deleted":false,"forced":false,"base_ref":null,"repository":{"id":1296269,"name":"deploy","full_name":"octo/deploy","default_branch":"main"},"pusher":{"name":"octo","email":"octo@example.com"},"head_commit":{"id":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","message":"web: 3 instances"}})";
constexpr std::string_view kGitHubPushSig = "01644e8a6347b44492e93795948944d13ea419ccda6c872b2976bcbf2dd7f1a3";
constexpr std::string_view kGitHubPushDev =
    R"({"ref":"refs/heads/dev","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","after":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","created":false,"deleted":false,"repository":{"full_name":"octo/deploy","default_branch":"main"}})";
constexpr std::string_view kGitHubPushDevSig = "5f3134496e10d899aa920eb928362de7f4f80f3185a20cc2b3f2c12cd78116d5";
constexpr std::string_view kGitHubDelete =
    R"({"ref":"refs/heads/main","before":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","after":"0000000000000000000000000000000000000000","created":false,"deleted":true,"head_commit":null,"repository":{"full_name":"octo/deploy","default_branch":"main"}})";
constexpr std::string_view kGitHubDeleteSig = "a7c4628677f34b1ca75fcf9b40979c4ddd8e01cad9fe124b76b0ab4476732dd1";
constexpr std::string_view kGitHubTag =
    R"({"ref":"refs/tags/v1.2.0","before":"0000000000000000000000000000000000000000","after":"98248f0e892ce4e4e37411730ac98b53f2aa1261","created":true,"deleted":false,"base_ref":"refs/heads/main","repository":{"full_name":"octo/deploy","default_branch":"main"}})";
constexpr std::string_view kGitHubTagSig = "5946582941cbb97bd7020788c04d5167fea02908fad873bfce872b45fa697d10";
constexpr std::string_view kGitHubPing =
    R"({"zen":"Keep it logically awesome.","hook_id":12345678,"hook":{"type":"Repository","events":["push"],"active":true}})";
constexpr std::string_view kGitHubPingSig = "0c8c214374969b01cd169a2f44499f63ebf790a51282390b2fce70708b249882";
constexpr std::string_view kGitHubNoDefault =
    R"({"ref":"refs/heads/main","after":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c","repository":{"full_name":"octo/deploy"}})";
constexpr std::string_view kGitHubNoDefaultSig = "20719c8696d363cc12fb4d6664b905d7af93f0e621660c566323c81380494f33";
constexpr std::string_view kGitHubNoAfter =
    R"({"ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","repository":{"default_branch":"main"}})";
constexpr std::string_view kGitHubNoAfterSig = "a67292967aaea5fc32eff533a4ed7fceaee1da9409df1d4d9a5891b99846c7c0";
constexpr std::string_view kGitHubBadHead = R"({"ref":"refs/heads/main","after":"HEAD","repository":{"default_branch":"main"}})";
constexpr std::string_view kGitHubBadHeadSig = "d9c7065ea61e971fe73e9a95c3377afa1f9264503572bfd04d8825485d293157";
constexpr std::string_view kBadJson = R"({"ref":"refs/heads/main","after":)";
constexpr std::string_view kBadJsonSig = "4726045e6c39231d1d3e25e8bfa1495bee8b4238eade69a645b519c684b4e03f";
constexpr std::string_view kJsonArray = R"(["refs/heads/main"])";
constexpr std::string_view kJsonArraySig = "089c6965341a24184fef35d47b7b9555aaa69006c7508b377dca6d0d57a3f664";
constexpr std::string_view kGitLabPush =
    R"({"object_kind":"push","event_name":"push","before":"95790bf891e76fee5e1747ab589903a6a1f80f22","after":"da1560886d4f094c3e6c9ef40349f7d38b5d27d7","ref":"refs/heads/master","checkout_sha":"da1560886d4f094c3e6c9ef40349f7d38b5d27d7","user_name":"John Smith","project_id":15,"project":{"id":15,"name":"Diaspora","default_branch":"master","path_with_namespace":"mike/diaspora"},"total_commits_count":1})";
constexpr std::string_view kGitLabTag =
    R"({"object_kind":"tag_push","event_name":"tag_push","before":"0000000000000000000000000000000000000000","after":"82b3d5ae55f7080f1e6022629cdb57bfae7cccc7","ref":"refs/tags/v1.0.0","checkout_sha":"5937ac0a7beb003549fc5fd26fc247adbce4a52e","project":{"id":1,"name":"Example","default_branch":"master"}})";
constexpr std::string_view kGitLabDelete =
    R"({"object_kind":"push","event_name":"push","before":"da1560886d4f094c3e6c9ef40349f7d38b5d27d7","after":"0000000000000000000000000000000000000000","ref":"refs/heads/master","checkout_sha":null,"project":{"id":15,"default_branch":"master"}})";
constexpr std::string_view kGiteaPush =
    R"({"ref":"refs/heads/develop","before":"28e1879d029cb852e4844d9c718537df08844e03","after":"bffeb74224043ba2feb48d137756c8a9331c449a","compare_url":"http://localhost:3000/gitea/webhooks/compare/28e1879d029cb852e4844d9c718537df08844e03...bffeb74224043ba2feb48d137756c8a9331c449a","commits":[{"id":"bffeb74224043ba2feb48d137756c8a9331c449a","message":"Webhooks Yay!"}],"repository":{"id":140,"full_name":"gitea/webhooks","default_branch":"develop"},"pusher":{"login":"gitea"}})";
constexpr std::string_view kGiteaPushSig = "f4ddd90018b55a18d6d287fbd6f9a2473014cc7e063c91b61899e68048cd13cd";

PushWebhook webhook(WebhookProvider provider, std::string followed_ref) {
  Result<PushWebhook> hook = PushWebhook::create(provider, kSecret, std::move(followed_ref));
  REQUIRE(hook.ok());
  return *hook;
}

WebhookHeaders github_headers(std::string_view event, std::string_view signature) {
  return {{"Content-Type", "application/json"},
          {"User-Agent", "GitHub-Hookshot/044aadd"},
          {"X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"},
          {"X-GitHub-Event", std::string(event)},
          {"X-Hub-Signature-256", "sha256=" + std::string(signature)}};
}

WebhookHeaders gitlab_headers(std::string_view event, std::string_view token) {
  return {{"Content-Type", "application/json"}, {"X-Gitlab-Event", std::string(event)}, {"X-Gitlab-Token", std::string(token)}};
}

// A reason is logged and sent back: one line, never the secret or what
// the sender signed with.
void check_reason_is_safe(const WebhookVerdict& verdict, std::string_view signature) {
  CHECK_FALSE(verdict.reason.empty());
  CHECK(verdict.reason.find('\n') == std::string::npos);
  CHECK(verdict.reason.find(kSecret) == std::string::npos);
  if (!signature.empty()) CHECK(verdict.reason.find(signature) == std::string::npos);
}

}  // namespace

TEST_CASE("the signature over GitHub's documented example is the one GitHub shows", "[push_webhook]") {
  // docs.github.com, "Validating webhook deliveries": this secret, the body
  // "Hello, World!".
  CHECK(base::hmac_sha256_hex(kSecret, "Hello, World!") == "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  const WebhookVerdict verdict =
      webhook(WebhookProvider::kGitHub, "main")
          .judge(github_headers("ping", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"), "Hello, World!");
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
}

TEST_CASE("a webhook without a secret cannot be made", "[push_webhook]") {
  Result<PushWebhook> hook = PushWebhook::create(WebhookProvider::kGitHub, "", "main");
  REQUIRE_FALSE(hook.ok());
  CHECK(hook.error().code == ErrorCode::kInvalidArgument);
  CHECK(hook.error().message == "a github webhook needs a secret: without one anybody could trigger a cycle");
  CHECK_FALSE(PushWebhook::create(WebhookProvider::kGitLab, "", "").ok());
  CHECK(PushWebhook::create(WebhookProvider::kGitea, "s", "").ok());
}

TEST_CASE("a signed GitHub push to the followed branch triggers with its ref and head commit", "[push_webhook]") {
  const WebhookVerdict verdict =
      webhook(WebhookProvider::kGitHub, "main").judge(github_headers("push", kGitHubPushSig), kGitHubPush);
  CHECK(verdict.outcome == WebhookOutcome::kTrigger);
  CHECK(verdict.http_status == 202);
  CHECK(verdict.ref == "refs/heads/main");
  CHECK(verdict.commit == "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
  CHECK(verdict.reason == "push to refs/heads/main at 0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
  check_reason_is_safe(verdict, kGitHubPushSig);

  // The full ref name follows the same branch.
  CHECK(webhook(WebhookProvider::kGitHub, "refs/heads/main").judge(github_headers("push", kGitHubPushSig), kGitHubPush).outcome ==
        WebhookOutcome::kTrigger);
}

TEST_CASE("header names are matched without regard to case, and hex digits too", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitHub, "main");
  const WebhookHeaders lower = {{"x-github-event", "push"}, {"x-hub-signature-256", "sha256=" + std::string(kGitHubPushSig)}};
  CHECK(hook.judge(lower, kGitHubPush).outcome == WebhookOutcome::kTrigger);
  std::string upper_hex(kGitHubPushSig);
  for (char& c : upper_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const WebhookHeaders shouted = {{"X-GITHUB-EVENT", "push"}, {"X-HUB-SIGNATURE-256", "sha256=" + upper_hex}};
  CHECK(hook.judge(shouted, kGitHubPush).outcome == WebhookOutcome::kTrigger);
}

TEST_CASE("a GitHub request with no, a wrong or a stale signature is unauthorized", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitHub, "main");

  WebhookHeaders missing = github_headers("push", kGitHubPushSig);
  missing.erase("X-Hub-Signature-256");
  WebhookVerdict verdict = hook.judge(missing, kGitHubPush);
  CHECK(verdict.outcome == WebhookOutcome::kUnauthorized);
  CHECK(verdict.http_status == 401);
  CHECK(verdict.reason == "no X-Hub-Signature-256 header");
  // The SHA-1 header alone is not enough: skiff checks SHA-256 only.
  missing["X-Hub-Signature"] = "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6";
  CHECK(hook.judge(missing, kGitHubPush).outcome == WebhookOutcome::kUnauthorized);

  // The signature of another body (a replay with the payload changed).
  verdict = hook.judge(github_headers("push", kGitHubPushDevSig), kGitHubPush);
  CHECK(verdict.outcome == WebhookOutcome::kUnauthorized);
  CHECK(verdict.reason == "X-Hub-Signature-256 does not match the body and the secret");
  check_reason_is_safe(verdict, kGitHubPushDevSig);

  // The right digest without its prefix, cut short, or under another key.
  WebhookHeaders bare = github_headers("push", kGitHubPushSig);
  bare["X-Hub-Signature-256"] = std::string(kGitHubPushSig);
  CHECK(hook.judge(bare, kGitHubPush).outcome == WebhookOutcome::kUnauthorized);
  CHECK(hook.judge(github_headers("push", kGitHubPushSig.substr(0, 63)), kGitHubPush).outcome == WebhookOutcome::kUnauthorized);
  CHECK(hook.judge(github_headers("push", base::hmac_sha256_hex("another secret", kGitHubPush)), kGitHubPush).outcome ==
        WebhookOutcome::kUnauthorized);
  CHECK(hook.judge(github_headers("push", ""), kGitHubPush).outcome == WebhookOutcome::kUnauthorized);
}

TEST_CASE("the signature is checked before the body is read", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitHub, "main");
  // Not JSON and not signed: unauthorized, not a bad request, so an
  // unauthenticated sender learns nothing of how skiff reads bodies.
  CHECK(hook.judge(github_headers("push", kGitHubPushSig), kBadJson).outcome == WebhookOutcome::kUnauthorized);
  WebhookHeaders no_event = github_headers("push", kGitHubPushSig);
  no_event.erase("X-GitHub-Event");
  CHECK(hook.judge(no_event, kBadJson).outcome == WebhookOutcome::kUnauthorized);
}

TEST_CASE("a signed body that is not a push payload is a bad request", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitHub, "main");
  WebhookVerdict verdict = hook.judge(github_headers("push", kBadJsonSig), kBadJson);
  CHECK(verdict.outcome == WebhookOutcome::kBadRequest);
  CHECK(verdict.http_status == 400);
  CHECK(verdict.reason == "push payload is not JSON (at byte 34)");
  verdict = hook.judge(github_headers("push", kJsonArraySig), kJsonArray);
  CHECK(verdict.reason == "push payload is not a JSON object");
  verdict = hook.judge(github_headers("push", kGitHubNoAfterSig), kGitHubNoAfter);
  CHECK(verdict.outcome == WebhookOutcome::kBadRequest);
  CHECK(verdict.reason == "push payload has no \"ref\" or no \"after\" string");
  verdict = hook.judge(github_headers("push", kGitHubBadHeadSig), kGitHubBadHead);
  CHECK(verdict.outcome == WebhookOutcome::kBadRequest);
  CHECK(verdict.reason == "push payload's head \"HEAD\" is not a commit id");

  WebhookHeaders no_event = github_headers("push", kGitHubPushSig);
  no_event.erase("X-GitHub-Event");
  verdict = hook.judge(no_event, kGitHubPush);
  CHECK(verdict.outcome == WebhookOutcome::kBadRequest);
  CHECK(verdict.reason == "no X-GitHub-Event header");
}

TEST_CASE("a ping or any other event is ignored once its signature holds", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitHub, "main");
  WebhookVerdict verdict = hook.judge(github_headers("ping", kGitHubPingSig), kGitHubPing);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
  CHECK(verdict.http_status == 202);
  CHECK(verdict.reason == "\"ping\" event ignored: only a push triggers a cycle");
  CHECK(verdict.ref.empty());
  CHECK(verdict.commit.empty());
  // Another event with a push's body: the event header decides.
  verdict = hook.judge(github_headers("pull_request", kGitHubPushSig), kGitHubPush);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
  // An event name is escaped before it reaches the reason.
  verdict = hook.judge(github_headers("ping\nFAKE LOG LINE", kGitHubPingSig), kGitHubPing);
  CHECK(verdict.reason == "\"ping\\x0aFAKE LOG LINE\" event ignored: only a push triggers a cycle");
  // A ping with a wrong signature is refused like any request.
  CHECK(hook.judge(github_headers("ping", kGitHubPushSig), kGitHubPing).outcome == WebhookOutcome::kUnauthorized);
}

TEST_CASE("a push to another branch is ignored with a reason naming it", "[push_webhook]") {
  WebhookVerdict verdict =
      webhook(WebhookProvider::kGitHub, "main").judge(github_headers("push", kGitHubPushDevSig), kGitHubPushDev);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
  CHECK(verdict.http_status == 202);
  CHECK(verdict.reason == "push to refs/heads/dev ignored: following main");
  CHECK(verdict.ref.empty());
  // A full ref is matched exactly: refs/heads/main is not refs/tags/main.
  verdict = webhook(WebhookProvider::kGitHub, "refs/tags/main").judge(github_headers("push", kGitHubPushSig), kGitHubPush);
  CHECK(verdict.reason == "push to refs/heads/main ignored: following refs/tags/main");
  // Following a commit: no push moves it.
  verdict = webhook(WebhookProvider::kGitHub, "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c")
                .judge(github_headers("push", kGitHubPushSig), kGitHubPush);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
}

TEST_CASE("a push deleting the followed branch is ignored", "[push_webhook]") {
  const WebhookVerdict verdict =
      webhook(WebhookProvider::kGitHub, "main").judge(github_headers("push", kGitHubDeleteSig), kGitHubDelete);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
  CHECK(verdict.reason == "push deleting refs/heads/main ignored");
  CHECK(verdict.commit.empty());
}

TEST_CASE("a pushed tag triggers when the tag is followed, by name or full ref", "[push_webhook]") {
  const WebhookHeaders headers = github_headers("push", kGitHubTagSig);
  WebhookVerdict verdict = webhook(WebhookProvider::kGitHub, "v1.2.0").judge(headers, kGitHubTag);
  CHECK(verdict.outcome == WebhookOutcome::kTrigger);
  CHECK(verdict.ref == "refs/tags/v1.2.0");
  CHECK(verdict.commit == "98248f0e892ce4e4e37411730ac98b53f2aa1261");
  CHECK(webhook(WebhookProvider::kGitHub, "refs/tags/v1.2.0").judge(headers, kGitHubTag).outcome == WebhookOutcome::kTrigger);
  verdict = webhook(WebhookProvider::kGitHub, "main").judge(headers, kGitHubTag);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
  CHECK(verdict.reason == "push to refs/tags/v1.2.0 ignored: following main");
}

TEST_CASE("with no ref given, a push to the default branch the payload names triggers", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitHub, "");
  CHECK(hook.judge(github_headers("push", kGitHubPushSig), kGitHubPush).outcome == WebhookOutcome::kTrigger);
  WebhookVerdict verdict = hook.judge(github_headers("push", kGitHubPushDevSig), kGitHubPushDev);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
  CHECK(verdict.reason == "push to refs/heads/dev ignored: following refs/heads/main");
  // A tag never is the default branch.
  CHECK(hook.judge(github_headers("push", kGitHubTagSig), kGitHubTag).outcome == WebhookOutcome::kIgnored);
  verdict = hook.judge(github_headers("push", kGitHubNoDefaultSig), kGitHubNoDefault);
  CHECK(verdict.outcome == WebhookOutcome::kBadRequest);
  CHECK(verdict.reason == "push payload names no default branch to follow");
}

TEST_CASE("GitLab: the token must be the secret; a push hook triggers at checkout_sha", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitLab, "master");
  WebhookVerdict verdict = hook.judge(gitlab_headers("Push Hook", kSecret), kGitLabPush);
  CHECK(verdict.outcome == WebhookOutcome::kTrigger);
  CHECK(verdict.ref == "refs/heads/master");
  CHECK(verdict.commit == "da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
  check_reason_is_safe(verdict, "");

  verdict = hook.judge(gitlab_headers("Push Hook", "It's a Secret to Everybody!"), kGitLabPush);
  CHECK(verdict.outcome == WebhookOutcome::kUnauthorized);
  CHECK(verdict.reason == "X-Gitlab-Token does not match the secret");
  check_reason_is_safe(verdict, "It's a Secret to Everybody!");
  CHECK(hook.judge(gitlab_headers("Push Hook", "It's a Secret"), kGitLabPush).outcome == WebhookOutcome::kUnauthorized);
  WebhookHeaders missing = gitlab_headers("Push Hook", kSecret);
  missing.erase("X-Gitlab-Token");
  verdict = hook.judge(missing, kGitLabPush);
  CHECK(verdict.outcome == WebhookOutcome::kUnauthorized);
  CHECK(verdict.reason == "no X-Gitlab-Token header");
  // A GitHub signature means nothing to a GitLab webhook.
  WebhookHeaders signed_only = {{"X-Gitlab-Event", "Push Hook"},
                                {"X-Hub-Signature-256", "sha256=" + base::hmac_sha256_hex(kSecret, kGitLabPush)}};
  CHECK(hook.judge(signed_only, kGitLabPush).outcome == WebhookOutcome::kUnauthorized);
  CHECK(hook.judge(gitlab_headers("Push Hook", kSecret), kBadJson).outcome == WebhookOutcome::kBadRequest);
}

TEST_CASE("GitLab: a tag push hook triggers for a followed tag at the tag's commit", "[push_webhook]") {
  const WebhookHeaders headers = gitlab_headers("Tag Push Hook", kSecret);
  WebhookVerdict verdict = webhook(WebhookProvider::kGitLab, "v1.0.0").judge(headers, kGitLabTag);
  CHECK(verdict.outcome == WebhookOutcome::kTrigger);
  CHECK(verdict.ref == "refs/tags/v1.0.0");
  // `after` names the annotated tag; checkout_sha the commit it points at.
  CHECK(verdict.commit == "5937ac0a7beb003549fc5fd26fc247adbce4a52e");
  CHECK(webhook(WebhookProvider::kGitLab, "master").judge(headers, kGitLabTag).outcome == WebhookOutcome::kIgnored);
}

TEST_CASE("GitLab: other events and deletions are ignored; the default branch is the project's", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitLab, "");
  CHECK(hook.judge(gitlab_headers("Push Hook", kSecret), kGitLabPush).outcome == WebhookOutcome::kTrigger);
  WebhookVerdict verdict = hook.judge(gitlab_headers("Merge Request Hook", kSecret), kGitLabPush);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
  CHECK(verdict.reason == "\"Merge Request Hook\" event ignored: only a push triggers a cycle");
  // GitHub's event name is not GitLab's.
  CHECK(hook.judge(gitlab_headers("push", kSecret), kGitLabPush).outcome == WebhookOutcome::kIgnored);
  verdict = hook.judge(gitlab_headers("Push Hook", kSecret), kGitLabDelete);
  CHECK(verdict.outcome == WebhookOutcome::kIgnored);
  CHECK(verdict.reason == "push deleting refs/heads/master ignored");
}

TEST_CASE("Gitea: X-Gitea-Signature, X-Hub-Signature-256 or both, and every one present must hold", "[push_webhook]") {
  const PushWebhook hook = webhook(WebhookProvider::kGitea, "develop");
  const std::string hub = "sha256=" + std::string(kGiteaPushSig);
  WebhookHeaders both = {{"X-Gitea-Event", "push"},
                         {"X-GitHub-Event", "push"},
                         {"X-Gitea-Signature", std::string(kGiteaPushSig)},
                         {"X-Hub-Signature-256", hub}};
  WebhookVerdict verdict = hook.judge(both, kGiteaPush);
  CHECK(verdict.outcome == WebhookOutcome::kTrigger);
  CHECK(verdict.ref == "refs/heads/develop");
  CHECK(verdict.commit == "bffeb74224043ba2feb48d137756c8a9331c449a");
  CHECK(hook.judge({{"X-Gitea-Event", "push"}, {"X-Gitea-Signature", std::string(kGiteaPushSig)}}, kGiteaPush).outcome ==
        WebhookOutcome::kTrigger);
  CHECK(hook.judge({{"X-Gitea-Event", "push"}, {"X-Hub-Signature-256", hub}}, kGiteaPush).outcome == WebhookOutcome::kTrigger);

  WebhookHeaders one_wrong = both;
  one_wrong["X-Hub-Signature-256"] = "sha256=" + std::string(kGitHubPushSig);
  verdict = hook.judge(one_wrong, kGiteaPush);
  CHECK(verdict.outcome == WebhookOutcome::kUnauthorized);
  CHECK(verdict.reason == "X-Hub-Signature-256 does not match the body and the secret");
  one_wrong = both;
  one_wrong["X-Gitea-Signature"] = "sha256=" + std::string(kGiteaPushSig);  // Gitea's header has no prefix
  verdict = hook.judge(one_wrong, kGiteaPush);
  CHECK(verdict.reason == "X-Gitea-Signature does not match the body and the secret");
  verdict = hook.judge({{"X-Gitea-Event", "push"}}, kGiteaPush);
  CHECK(verdict.outcome == WebhookOutcome::kUnauthorized);
  CHECK(verdict.reason == "no X-Gitea-Signature or X-Hub-Signature-256 header");
}

TEST_CASE("Gitea: the event is X-Gitea-Event's, the default branch the repository's", "[push_webhook]") {
  const WebhookHeaders github_event_only = {{"X-GitHub-Event", "push"}, {"X-Gitea-Signature", std::string(kGiteaPushSig)}};
  const WebhookVerdict verdict = webhook(WebhookProvider::kGitea, "develop").judge(github_event_only, kGiteaPush);
  CHECK(verdict.outcome == WebhookOutcome::kBadRequest);
  CHECK(verdict.reason == "no X-Gitea-Event header");
  const WebhookHeaders headers = {{"X-Gitea-Event", "push"}, {"X-Gitea-Signature", std::string(kGiteaPushSig)}};
  CHECK(webhook(WebhookProvider::kGitea, "").judge(headers, kGiteaPush).outcome == WebhookOutcome::kTrigger);
  CHECK(webhook(WebhookProvider::kGitea, "main").judge(headers, kGiteaPush).outcome == WebhookOutcome::kIgnored);
}

TEST_CASE("providers by name, HTTP statuses by outcome, the body limit", "[push_webhook]") {
  CHECK(*reconciler::parse_webhook_provider("github") == WebhookProvider::kGitHub);
  CHECK(*reconciler::parse_webhook_provider("gitlab") == WebhookProvider::kGitLab);
  CHECK(*reconciler::parse_webhook_provider("gitea") == WebhookProvider::kGitea);
  Result<WebhookProvider> bitbucket = reconciler::parse_webhook_provider("bitbucket");
  REQUIRE_FALSE(bitbucket.ok());
  CHECK(bitbucket.error().message == "webhook provider \"bitbucket\" is not one of github, gitlab, gitea");
  CHECK(reconciler::webhook_provider_name(WebhookProvider::kGitea) == "gitea");
  CHECK(reconciler::webhook_http_status(WebhookOutcome::kTrigger) == 202);
  CHECK(reconciler::webhook_http_status(WebhookOutcome::kIgnored) == 202);
  CHECK(reconciler::webhook_http_status(WebhookOutcome::kUnauthorized) == 401);
  CHECK(reconciler::webhook_http_status(WebhookOutcome::kBadRequest) == 400);
  CHECK(reconciler::kMaxWebhookBody == 1048576);
}
