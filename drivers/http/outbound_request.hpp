// An HTTP request as a value: what a notification or a commit status sends.
// Pure functions build it (notify_payload.hpp, commit_status.hpp) and the
// libcurl client sends it (curl_notifier.hpp), so the shapes are pinned by
// tests without a socket.
//
// Secrets: a webhook's URL (Slack's carries its key in the path) and an API
// token must never reach a log line or an error message. A request names
// itself with `what`, which holds none, and lists its `secrets`, which
// redacted() takes out of any text from below (curl's error buffer) before
// it is shown.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::drivers {

struct OutboundRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // always sent with POST
  std::string what;                  // "webhook https://hooks.slack.com/…"
  std::vector<std::string> secrets;  // texts no message may show
};

// "scheme://user@host:port/path?query" in pieces; `authority` is
// "host:port", without the user. nullopt when there is no "scheme://host".
struct UrlParts {
  std::string scheme;     // lower case: "https"
  std::string userinfo;   // "user:password" or ""
  std::string authority;  // "hooks.slack.com", "127.0.0.1:8080", "[::1]:80"
  std::string rest;       // "/services/T0/B0/x?y", may be ""
};
std::optional<UrlParts> split_url(std::string_view url);

// How a message names a URL whose path may be a secret: scheme and host
// only, "https://hooks.slack.com/…" ("https://example.com" when it has no
// path), "(an unreadable URL)" when it is not one.
std::string describe_url(std::string_view url);

// `url` without its "user:password@" (a git remote may carry a token
// there); anything that is not "scheme://..." comes back unchanged.
std::string without_userinfo(std::string_view url);

// True for "http://host..." and "https://host..." with no space or
// control character anywhere: what curl is handed, and nothing it could
// read as two requests.
bool is_http_url(std::string_view url);

// `text` with every occurrence of each non-empty secret replaced by
// "(secret)".
std::string redacted(std::string text, const std::vector<std::string>& secrets);

// `text` with each byte outside RFC 3986's unreserved set (and outside
// `keep`) written as %XX: "group/sub" is "group%2Fsub", and with keep "/"
// stays as it is.
std::string percent_encoded(std::string_view text, std::string_view keep = "");

// `text` cut to at most `max_bytes` bytes at a UTF-8 character's boundary,
// ending in "…" when it was cut. REQUIRES: max_bytes >= 3.
std::string shortened(std::string_view text, size_t max_bytes);

}  // namespace skiff::drivers
