// regex_replace: cty's RegexpReplaceFunc, which is Go's
// regexp.ReplaceAllString. RE2 accepts Go's regexp syntax; the replacement
// template ($1, ${1}, $name, ${name}, $$) and the handling of empty matches
// follow Go's regexp package.
#include <re2/re2.h>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

bool is_name_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  // Go accepts any Unicode letter or digit; non-ASCII bytes are treated as
  // part of a letter here.
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

struct TemplateName {
  std::string name;
  int number = -1;  // the group number when the name is all digits
  size_t consumed = 0;
};

// Go's regexp extract(): the name after a '$', optionally in braces.
std::optional<TemplateName> extract_name(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool brace = text[0] == '{';
  size_t start = brace ? 1 : 0;
  size_t i = start;
  while (i < text.size() && is_name_char(text[i])) ++i;
  if (i == start) return std::nullopt;
  TemplateName out;
  out.name = std::string(text.substr(start, i - start));
  if (brace) {
    if (i >= text.size() || text[i] != '}') return std::nullopt;
    ++i;
  }
  out.consumed = i;
  int number = 0;
  for (char c : out.name) {
    if (c < '0' || c > '9' || number >= 100000000) {
      number = -1;
      break;
    }
    number = number * 10 + (c - '0');
  }
  if (out.name.size() > 1 && out.name[0] == '0') number = -1;
  out.number = number;
  return out;
}

void expand_template(std::string& out, std::string_view templ, const RE2& re, const std::vector<re2::StringPiece>& groups) {
  while (!templ.empty()) {
    size_t dollar = templ.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(templ.substr(0, dollar));
    templ.remove_prefix(dollar + 1);
    if (!templ.empty() && templ[0] == '$') {
      out += '$';
      templ.remove_prefix(1);
      continue;
    }
    std::optional<TemplateName> name = extract_name(templ);
    if (!name) {
      out += '$';  // malformed: the '$' is literal text
      continue;
    }
    templ.remove_prefix(name->consumed);
    int index = name->number;
    if (index < 0) {
      auto found = re.NamedCapturingGroups().find(name->name);
      if (found != re.NamedCapturingGroups().end()) index = found->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size() && groups[index].data() != nullptr) {
      out.append(groups[index].data(), groups[index].size());
    }
  }
  out.append(templ);
}

Value regex_replace(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  std::string pattern = string_arg(args, 1, "substr");
  std::string replacement = string_arg(args, 2, "replace");
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(pattern, options);
  if (!re.ok()) fail_call("error parsing regexp: " + re.error());

  std::vector<re2::StringPiece> groups(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1);
  std::string out;
  size_t last_end = 0, search = 0;
  const char* base = text.data();
  while (search <= text.size()) {
    if (!re.Match(text, search, text.size(), RE2::UNANCHORED, groups.data(), static_cast<int>(groups.size()))) break;
    size_t match_start = static_cast<size_t>(groups[0].data() - base);
    size_t match_end = match_start + groups[0].size();
    out.append(text, last_end, match_start - last_end);
    // Like Go, an empty match right after the previous match is not replaced.
    if (match_end > last_end || match_start == 0) expand_template(out, replacement, re, groups);
    last_end = match_end;
    size_t width = 0;
    if (search < text.size()) {
      size_t pos = search;
      decode_utf8(text, pos);
      width = pos - search;
    }
    if (search + width > match_end) search += width;
    else if (search + 1 > match_end) search += 1;
    else search = match_end;
  }
  out.append(text, last_end, std::string::npos);
  return Value::string(std::move(out));
}

}  // namespace

std::vector<FunctionSpec> regex_function_specs() { return {{"regex_replace", 3, 3, false, regex_replace}}; }

}  // namespace skiff::parser
