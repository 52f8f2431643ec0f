#include "parser/sensitive.hpp"

#include <algorithm>
#include <vector>

#include "base/digest.hpp"

namespace skiff::parser {

namespace {

constexpr std::string_view kMarkerPrefix = "(sensitive:";
constexpr size_t kMarkerDigits = 32;
// PBKDF2 rounds: about 20 ms per value on a laptop, paid once per value
// per job load.
constexpr int kMarkerRounds = 50000;

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

void replace_all(std::string& text, const std::string& what, std::string_view with) {
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
}

}  // namespace

void collect_sensitive_texts(const Value& value, std::set<std::string>& out, bool marked) {
  marked = marked || value.is_sensitive();
  if (value.is_list()) {
    for (const Value& item : value.as_list()) collect_sensitive_texts(item, out, marked);
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.as_object()) collect_sensitive_texts(item, out, marked);
  } else if (marked) {
    std::optional<std::string> text = value.is_unknown() ? std::nullopt : to_string_value(value);
    if (text && !text->empty()) out.insert(*text);
  }
}

void collect_sensitive_texts(const EvalBody& body, std::set<std::string>& out) {
  for (const EvalAttribute& attribute : body.attributes) collect_sensitive_texts(attribute.value, out);
  for (const EvalBlock& block : body.blocks)
    if (block.body) collect_sensitive_texts(*block.body, out);
}

std::string scrub_sensitive(std::string text, const std::set<std::string>& secrets) {
  // Longest first, so that a secret inside another does not leave the rest.
  std::vector<const std::string*> ordered;
  for (const std::string& secret : secrets) ordered.push_back(&secret);
  std::sort(ordered.begin(), ordered.end(), [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  for (const std::string* secret : ordered) {
    if (secret->size() >= 4) replace_all(text, *secret, kSensitiveText);
    else replace_all(text, "\"" + *secret + "\"", kSensitiveText);
  }
  return text;
}

std::string sensitive_marker(std::string_view text, std::string_view salt) {
  return std::string(kMarkerPrefix) + base::pbkdf2_sha256_hex(text, salt, kMarkerRounds, kMarkerDigits) + ")";
}

bool is_sensitive_marker(std::string_view text) {
  if (text.size() != kMarkerPrefix.size() + kMarkerDigits + 1 || text.substr(0, kMarkerPrefix.size()) != kMarkerPrefix ||
      text.back() != ')')
    return false;
  for (char c : text.substr(kMarkerPrefix.size(), kMarkerDigits))
    if (!is_hex(c)) return false;
  return true;
}

void show_markers_as_sensitive(nlohmann::json& json) {
  if (json.is_string() && is_sensitive_marker(json.get_ref<const std::string&>())) json = kSensitiveText;
  if (json.is_structured())
    for (nlohmann::json& item : json) show_markers_as_sensitive(item);
}

bool holds_sensitive_marker(const nlohmann::json& json) {
  if (json.is_string()) return is_sensitive_marker(json.get_ref<const std::string&>());
  if (json.is_structured())
    for (const nlohmann::json& item : json)
      if (holds_sensitive_marker(item)) return true;
  return false;
}

void replace_sensitive_texts(nlohmann::json& json, const std::map<std::string, std::string>& markers) {
  if (markers.empty()) return;
  if (json.is_string()) {
    auto it = markers.find(json.get_ref<const std::string&>());
    if (it != markers.end()) json = it->second;
  } else if (json.is_array()) {
    for (nlohmann::json& item : json) replace_sensitive_texts(item, markers);
  } else if (json.is_object()) {
    for (auto it = json.begin(); it != json.end(); ++it)
      if (it.key() != "id" && it.key() != "name") replace_sensitive_texts(it.value(), markers);
  }
}

}  // namespace skiff::parser
