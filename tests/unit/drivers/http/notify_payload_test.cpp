// What a webhook receives for a reconcile event, byte for byte: the JSON
// format's object, Slack's text and blocks, and the request around them,
// whose name in messages never shows the URL's secret path. Also the URL
// and text helpers every request uses.
#include "drivers/http/notify_payload.hpp"

#include <catch2/catch.hpp>

using namespace skiff::drivers;

namespace {

const std::string kCommit = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const std::string kSlackUrl = "https://hooks.slack.com/services/T000/B000/XXXXXXXXSECRET";

ReconcileEvent applied() {
  ReconcileEvent event;
  event.kind = ReconcileEventKind::kApplied;
  event.commit = kCommit;
  event.source = "https://git.example.com/ops/deploy ref main path prod";
  event.message = "3 jobs updated";
  event.time_unix = 1796083200;
  event.details = {{"jobs", {"api", "web"}}, {"steps", 3}};
  return event;
}

}  // namespace

TEST_CASE("notify payload: the JSON format is the event, its fields in order", "[notify]") {
  CHECK(event_json(applied()).dump() ==
        R"({"event":"applied","commit":"1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",)"
        R"("source":"https://git.example.com/ops/deploy ref main path prod","message":"3 jobs updated",)"
        R"("time":"2026-12-01T00:00:00Z","details":{"jobs":["api","web"],"steps":3}})");
}

TEST_CASE("notify payload: each kind's name, no commit as null, the message on one line", "[notify]") {
  ReconcileEvent event = applied();
  event.kind = ReconcileEventKind::kDriftCorrected;
  CHECK(event_json(event)["event"] == "drift_corrected");
  event.kind = ReconcileEventKind::kSuspended;
  CHECK(event_json(event)["event"] == "suspended");
  event.kind = ReconcileEventKind::kFailed;
  event.commit.clear();
  event.message = "fetch: \r\n  connection refused\n\x1b[31mred\t";
  event.details = nullptr;
  const nlohmann::ordered_json j = event_json(event);
  CHECK(j["event"] == "failed");
  CHECK(j["commit"].is_null());
  CHECK(j["message"] == "fetch:    connection refused \\x1b[31mred");
  CHECK(j["details"] == nlohmann::ordered_json::object());
}

TEST_CASE("notify payload: one_line folds breaks and tabs and trims", "[notify]") {
  CHECK(one_line("a\nb") == "a b");
  CHECK(one_line("a\r\n\r\nb") == "a b");
  CHECK(one_line("  \n a \t") == "a");
  CHECK(one_line("bell\a") == "bell\\x07");
  CHECK(one_line("") == "");
}

TEST_CASE("notify payload: Slack's text says what happened to which commit", "[notify]") {
  ReconcileEvent event = applied();
  CHECK(slack_text(event) ==
        ":white_check_mark: skiff applied commit 1a2b3c4d5e6f (https://git.example.com/ops/deploy ref main path prod): "
        "3 jobs updated");
  event.source.clear();
  event.kind = ReconcileEventKind::kFailed;
  event.message = "web: <!channel> & co > all";
  CHECK(slack_text(event) == ":x: skiff failed to apply commit 1a2b3c4d5e6f: web: &lt;!channel&gt; &amp; co &gt; all");
  event.kind = ReconcileEventKind::kDriftCorrected;
  event.message.clear();
  CHECK(slack_text(event) == ":wrench: skiff corrected drift back to commit 1a2b3c4d5e6f");
  event.kind = ReconcileEventKind::kSuspended;
  CHECK(slack_text(event) == ":double_vertical_bar: skiff is suspended; commit 1a2b3c4d5e6f is not applied");
  event.commit.clear();
  event.kind = ReconcileEventKind::kFailed;
  event.message = "fetch failed";
  CHECK(slack_text(event) == ":x: skiff failed: fetch failed");
}

TEST_CASE("notify payload: Slack's blocks lay out the event and its details", "[notify]") {
  CHECK(slack_message(applied(), NotifyFormat::kSlack).dump() ==
        R"({"text":":white_check_mark: skiff applied commit 1a2b3c4d5e6f )"
        R"((https://git.example.com/ops/deploy ref main path prod): 3 jobs updated",)"
        R"("blocks":[{"type":"section","text":{"type":"mrkdwn",)"
        R"("text":":white_check_mark: *Applied* commit `1a2b3c4d5e6f`\n3 jobs updated"}},)"
        R"({"type":"section","fields":[{"type":"mrkdwn","text":"*jobs*\n[\"api\",\"web\"]"},)"
        R"({"type":"mrkdwn","text":"*steps*\n3"}]},)"
        R"({"type":"context","elements":[{"type":"mrkdwn",)"
        R"("text":"https://git.example.com/ops/deploy ref main path prod · 2026-12-01T00:00:00Z"}]}]})");
  CHECK(slack_message(applied(), NotifyFormat::kSlackText).dump() ==
        nlohmann::ordered_json{{"text", slack_text(applied())}}.dump());
}

TEST_CASE("notify payload: a long message is cut to what Slack takes", "[notify]") {
  ReconcileEvent event = applied();
  event.message = std::string(5000, 'x');
  event.details = {{"error", std::string(5000, 'y')}};
  const nlohmann::ordered_json j = slack_message(event, NotifyFormat::kSlack);
  CHECK(j["text"].get<std::string>().size() < 3000);
  CHECK(j["blocks"][0]["text"]["text"].get<std::string>().size() < 3000);
  CHECK(j["blocks"][1]["fields"][0]["text"].get<std::string>().size() <= 1900);
}

TEST_CASE("notify payload: the webhook request, named without its secret path", "[notify]") {
  ReconcileEvent event = applied();
  event.message = std::string("bad \xff utf-8");
  std::optional<OutboundRequest> r = webhook_request(kSlackUrl, NotifyFormat::kSlackText, event);
  REQUIRE(r);
  CHECK(r->url == kSlackUrl);
  CHECK(r->headers == std::vector<std::string>{"Content-Type: application/json"});
  CHECK(r->body.find("bad \xef\xbf\xbd utf-8") != std::string::npos);  // U+FFFD, not an exception
  CHECK(r->what == "webhook https://hooks.slack.com/…");
  CHECK(r->what.find("SECRET") == std::string::npos);
  CHECK(redacted("POST " + kSlackUrl + " failed", r->secrets) == "POST (secret) failed");
  CHECK(redacted("no route /services/T000/B000/XXXXXXXXSECRET", r->secrets) == "no route (secret)");

  std::optional<OutboundRequest> j = webhook_request("http://127.0.0.1:8080/hook", NotifyFormat::kJson, applied());
  REQUIRE(j);
  CHECK(j->body == event_json(applied()).dump());
  event.kind = ReconcileEventKind::kStarted;
  CHECK_FALSE(webhook_request(kSlackUrl, NotifyFormat::kJson, event));
}

TEST_CASE("notify payload: the format's names", "[notify]") {
  CHECK(parse_notify_format("json").value() == NotifyFormat::kJson);
  CHECK(parse_notify_format("slack").value() == NotifyFormat::kSlack);
  CHECK(parse_notify_format("slack-text").value() == NotifyFormat::kSlackText);
  auto bad = parse_notify_format("teams");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "--notify-format \"teams\" is not one of json, slack, slack-text");
}

TEST_CASE("outbound request: URLs described without their path or user", "[notify]") {
  CHECK(describe_url(kSlackUrl) == "https://hooks.slack.com/…");
  CHECK(describe_url("https://user:pw@example.com:8443/x?token=1") == "https://example.com:8443/…");
  CHECK(describe_url("HTTP://example.com") == "http://example.com");
  CHECK(describe_url("https://example.com/") == "https://example.com");
  CHECK(describe_url("https://example.com?key=secret") == "https://example.com/…");
  CHECK(describe_url("not a url") == "(an unreadable URL)");
  CHECK(without_userinfo("https://x-access-token:ghp_1@github.com/a/b.git") == "https://github.com/a/b.git");
  CHECK(without_userinfo("git@github.com:a/b.git") == "git@github.com:a/b.git");
  CHECK(is_http_url("https://example.com/a"));
  CHECK(is_http_url("http://[::1]:80/a"));
  CHECK_FALSE(is_http_url("ftp://example.com/a"));
  CHECK_FALSE(is_http_url("https://example.com/a b"));
  CHECK_FALSE(is_http_url("https://example.com/a\r\nX: y"));
  CHECK_FALSE(is_http_url("https:///path"));
}

TEST_CASE("outbound request: encoding, redaction and cutting", "[notify]") {
  CHECK(percent_encoded("group/sub repo.x~_-") == "group%2Fsub%20repo.x~_-");
  CHECK(percent_encoded("skiff/reconcile", "/") == "skiff/reconcile");
  CHECK(percent_encoded("é") == "%C3%A9");
  CHECK(redacted("a tok b tok", {"tok", ""}) == "a (secret) b (secret)");
  CHECK(redacted("nothing", {}) == "nothing");
  CHECK(shortened("short", 10) == "short");
  CHECK(shortened("abcdefghijk", 10) == "abcdefg…");
  // "é" is two bytes: a cut between them backs off to before it.
  CHECK(shortened("abcdeéfghij", 10) == "abcdeé…");
  CHECK(shortened("abcdefégh ij", 10) == "abcdef…");
}
