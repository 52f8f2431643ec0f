// What a webhook receives for a ReconcileEvent (`--notify URL`), in one of
// the formats of `--notify-format`. Pure: the event in, JSON and a request
// out, pinned by tests (tests/unit/drivers/http/notify_payload_test.cpp).
//
//   json        the event itself, its fields in this order:
//               {"event":"applied","commit":"<hex>","source":"...",
//                "message":"one line","time":"2026-01-02T03:04:05Z",
//                "details":{...}}; "commit" is null when none is known.
//   slack       Slack's incoming webhook message: "text" (one line, what a
//               notification shows) and "blocks" (the same, laid out, with
//               the details as fields).
//   slack-text  "text" alone, for receivers that take Slack's shape but
//               refuse blocks (Mattermost's and Discord's /slack
//               endpoints read it as well).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "drivers/http/outbound_request.hpp"
#include "drivers/notifier.hpp"

namespace skiff::drivers {

enum class NotifyFormat { kJson, kSlack, kSlackText };

// "json", "slack", "slack-text"; anything else is an error naming them.
Result<NotifyFormat> parse_notify_format(const std::string& name);

// Whether webhooks are told of `kind`: every outcome, not kStarted.
bool is_webhook_event(ReconcileEventKind kind);

// `text` on one line: each run of line breaks and tabs a single space,
// other control characters as \xNN, no space at either end.
std::string one_line(const std::string& text);

// The JSON format's object.
nlohmann::ordered_json event_json(const ReconcileEvent& event);

// The one line of Slack's "text", its mrkdwn escaped ("&", "<", ">"):
// ":white_check_mark: skiff applied commit 1a2b3c4d5e6f (source): message".
std::string slack_text(const ReconcileEvent& event);

// {"text": ...} with "blocks" for NotifyFormat::kSlack.
// REQUIRES: format is kSlack or kSlackText.
nlohmann::ordered_json slack_message(const ReconcileEvent& event, NotifyFormat format);

// The POST that tells webhook `url` of `event` in `format`, or nullopt for
// an event webhooks are not told of. The URL is the request's secret; it
// names itself "webhook scheme://host/…".
std::optional<OutboundRequest> webhook_request(const std::string& url, NotifyFormat format, const ReconcileEvent& event);

}  // namespace skiff::drivers
