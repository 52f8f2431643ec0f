#include "drivers/http/notify_payload.hpp"

#include "base/text.hpp"
#include "base/utc_time.hpp"

namespace skiff::drivers {

namespace {

// Slack refuses a section whose text passes 3000 characters and a field
// past 2000, and then drops the whole message: cut well below.
constexpr size_t kMaxSlackMessageBytes = 2500;
constexpr size_t kMaxSlackFieldBytes = 1900;
// Slack takes at most ten fields in a section.
constexpr size_t kMaxSlackFields = 10;

const char* emoji(ReconcileEventKind kind) {
  switch (kind) {
    case ReconcileEventKind::kStarted: return ":hourglass_flowing_sand:";
    case ReconcileEventKind::kApplied: return ":white_check_mark:";
    case ReconcileEventKind::kFailed: return ":x:";
    case ReconcileEventKind::kDriftCorrected: return ":wrench:";
    case ReconcileEventKind::kSuspended: return ":double_vertical_bar:";
  }
  return "";
}

const char* title(ReconcileEventKind kind) {
  switch (kind) {
    case ReconcileEventKind::kStarted: return "Started";
    case ReconcileEventKind::kApplied: return "Applied";
    case ReconcileEventKind::kFailed: return "Failed";
    case ReconcileEventKind::kDriftCorrected: return "Drift corrected";
    case ReconcileEventKind::kSuspended: return "Suspended";
  }
  return "";
}

// What skiff did, as the words after "skiff " in Slack's text.
std::string what_happened(ReconcileEventKind kind, const std::string& commit) {
  const std::string c = "commit " + commit.substr(0, 12);
  const bool known = !commit.empty();
  switch (kind) {
    case ReconcileEventKind::kStarted: return known ? "is applying " + c : "started";
    case ReconcileEventKind::kApplied: return known ? "applied " + c : "applied";
    case ReconcileEventKind::kFailed: return known ? "failed to apply " + c : "failed";
    case ReconcileEventKind::kDriftCorrected: return known ? "corrected drift back to " + c : "corrected drift";
    case ReconcileEventKind::kSuspended: return known ? "is suspended; " + c + " is not applied" : "is suspended";
  }
  return "";
}

// Slack's mrkdwn reads "<...>" as a link or a mention ("<!channel>"): a
// commit message must not ping a room.
std::string mrkdwn_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

std::string json_text(const nlohmann::ordered_json& value) {
  // Invalid UTF-8 (a host's error, a commit message) becomes U+FFFD rather
  // than an exception.
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// The details as Slack section fields, "*key*\nvalue", at most ten.
nlohmann::ordered_json detail_fields(const nlohmann::json& details) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (auto it = details.begin(); it != details.end() && fields.size() < kMaxSlackFields; ++it) {
    const nlohmann::json& v = it.value();
    const std::string value = v.is_string() ? v.get<std::string>() : json_text(nlohmann::ordered_json(v));
    const std::string text = "*" + mrkdwn_escaped(one_line(it.key())) + "*\n" + mrkdwn_escaped(one_line(value));
    fields.push_back({{"type", "mrkdwn"}, {"text", shortened(text, kMaxSlackFieldBytes)}});
  }
  return fields;
}

nlohmann::ordered_json mrkdwn(const std::string& text) { return {{"type", "mrkdwn"}, {"text", text}}; }

nlohmann::ordered_json slack_blocks(const ReconcileEvent& event) {
  std::string head = std::string(emoji(event.kind)) + " *" + title(event.kind) + "*";
  if (!event.commit.empty()) head += " commit `" + event.commit.substr(0, 12) + "`";
  const std::string message = shortened(mrkdwn_escaped(one_line(event.message)), kMaxSlackMessageBytes);
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  blocks.push_back({{"type", "section"}, {"text", mrkdwn(message.empty() ? head : head + "\n" + message)}});
  if (event.details.is_object() && !event.details.empty())
    blocks.push_back({{"type", "section"}, {"fields", detail_fields(event.details)}});
  std::string context = base::rfc3339_utc(event.time_unix);
  if (!event.source.empty()) context = shortened(mrkdwn_escaped(one_line(event.source)), 1000) + " · " + context;
  blocks.push_back({{"type", "context"}, {"elements", nlohmann::ordered_json::array({mrkdwn(context)})}});
  return blocks;
}

}  // namespace

Result<NotifyFormat> parse_notify_format(const std::string& name) {
  if (name == "json") return NotifyFormat::kJson;
  if (name == "slack") return NotifyFormat::kSlack;
  if (name == "slack-text") return NotifyFormat::kSlackText;
  return make_error(ErrorCode::kInvalidArgument,
                    "--notify-format \"" + base::printable(name) + "\" is not one of json, slack, slack-text");
}

bool is_webhook_event(ReconcileEventKind kind) { return kind != ReconcileEventKind::kStarted; }

std::string one_line(const std::string& text) {
  std::string folded;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool is_break = text[i] == '\n' || text[i] == '\r' || text[i] == '\t';
    if (!is_break) folded += text[i];
    else if (i == 0 || !(text[i - 1] == '\n' || text[i - 1] == '\r' || text[i - 1] == '\t')) folded += ' ';
  }
  std::string out = base::printable(folded);
  const size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

nlohmann::ordered_json event_json(const ReconcileEvent& event) {
  nlohmann::ordered_json j;
  j["event"] = event_name(event.kind);
  j["commit"] = event.commit.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(event.commit);
  j["source"] = event.source;
  j["message"] = one_line(event.message);
  j["time"] = base::rfc3339_utc(event.time_unix);
  j["details"] = event.details.is_null() ? nlohmann::ordered_json::object() : nlohmann::ordered_json(event.details);
  return j;
}

std::string slack_text(const ReconcileEvent& event) {
  std::string text = std::string(emoji(event.kind)) + " skiff " + what_happened(event.kind, event.commit);
  if (!event.source.empty()) text += " (" + shortened(mrkdwn_escaped(one_line(event.source)), 1000) + ")";
  const std::string message = one_line(event.message);
  if (!message.empty()) text += ": " + shortened(mrkdwn_escaped(message), kMaxSlackMessageBytes);
  return text;
}

nlohmann::ordered_json slack_message(const ReconcileEvent& event, NotifyFormat format) {
  nlohmann::ordered_json j;
  j["text"] = slack_text(event);
  if (format == NotifyFormat::kSlack) j["blocks"] = slack_blocks(event);
  return j;
}

std::optional<OutboundRequest> webhook_request(const std::string& url, NotifyFormat format, const ReconcileEvent& event) {
  if (!is_webhook_event(event.kind)) return std::nullopt;
  const nlohmann::ordered_json body = format == NotifyFormat::kJson ? event_json(event) : slack_message(event, format);
  OutboundRequest request;
  request.url = url;
  request.headers = {"Content-Type: application/json"};
  request.body = json_text(body);
  request.what = "webhook " + describe_url(url);
  request.secrets = {url};
  if (std::optional<UrlParts> parts = split_url(url); parts && parts->rest.size() > 1) request.secrets.push_back(parts->rest);
  return request;
}

}  // namespace skiff::drivers
