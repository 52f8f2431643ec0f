#include "drivers/http/outbound_request.hpp"

#include <algorithm>
#include <cctype>

namespace skiff::drivers {

namespace {

bool is_scheme_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; }

bool is_unreserved(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~'; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::optional<UrlParts> split_url(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view scheme = url.substr(0, colon);
  if (!std::all_of(scheme.begin(), scheme.end(), is_scheme_char)) return std::nullopt;
  std::string_view after = url.substr(colon + 3);
  const size_t end = std::min(after.find_first_of("/?#"), after.size());
  std::string_view authority = after.substr(0, end);
  UrlParts parts{lower(scheme), "", "", std::string(after.substr(end))};
  // The last "@" ends the user part: a password may hold an "@" of its own.
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    parts.userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
  }
  if (authority.empty()) return std::nullopt;
  parts.authority = authority;
  return parts;
}

std::string describe_url(std::string_view url) {
  std::optional<UrlParts> parts = split_url(url);
  if (!parts) return "(an unreadable URL)";
  const bool has_more = !parts->rest.empty() && parts->rest != "/";
  return parts->scheme + "://" + parts->authority + (has_more ? "/…" : "");
}

std::string without_userinfo(std::string_view url) {
  std::optional<UrlParts> parts = split_url(url);
  if (!parts || parts->userinfo.empty()) return std::string(url);
  return parts->scheme + "://" + parts->authority + parts->rest;
}

bool is_http_url(std::string_view url) {
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') return false;
  std::optional<UrlParts> parts = split_url(url);
  return parts && (parts->scheme == "http" || parts->scheme == "https");
}

std::string redacted(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 8))
      text.replace(at, secret.size(), "(secret)");
  }
  return text;
}

std::string percent_encoded(std::string_view text, std::string_view keep) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (is_unreserved(c) || keep.find(c) != std::string_view::npos) {
      out += c;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  }
  return out;
}

std::string shortened(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes - 3;  // room for "…", three bytes in UTF-8
  // Back off continuation bytes (10xxxxxx) so no character is split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

}  // namespace skiff::drivers
