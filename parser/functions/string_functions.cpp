// String functions: cty's stdlib string.go and string_replace.go.
#include <algorithm>
#include <set>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

Value upper(Args args, const FunctionContext&) { return Value::string(to_upper_text(string_arg(args, 0, "str"))); }
Value lower(Args args, const FunctionContext&) { return Value::string(to_lower_text(string_arg(args, 0, "str"))); }
Value title(Args args, const FunctionContext&) { return Value::string(to_title_text(string_arg(args, 0, "str"))); }

// Nomad maps both `reverse` and `strrev` to cty's ReverseFunc, which reverses
// a string character by character (not a list).
Value reverse(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  std::vector<std::string_view> chars = split_characters(text);
  std::string out;
  out.reserve(text.size());
  for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
  return Value::string(std::move(out));
}

Value strlen_fn(Args args, const FunctionContext&) {
  return Value::number(static_cast<double>(split_characters(string_arg(args, 0, "str")).size()));
}

// substr(str, offset, length): offset counts from the end when negative;
// length -1 (any negative) takes the rest.
Value substr(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  int64_t offset = integer_arg(args, 1, "offset");
  int64_t length = integer_arg(args, 2, "length");
  std::vector<std::string_view> chars = split_characters(text);
  int64_t total = static_cast<int64_t>(chars.size());
  if (offset < 0) offset = std::max<int64_t>(0, offset + total);
  if (length == 0 || offset >= total) return Value::string("");
  int64_t end = length < 0 ? total : std::min(total, offset + length);
  std::string out;
  for (int64_t i = offset; i < end; ++i) out += chars[static_cast<size_t>(i)];
  return Value::string(std::move(out));
}

// Removes every trailing newline (\n, \r\n or \r), as cty's
// `(?:\r\n?|\n)*\z` replacement does.
Value chomp(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
  text.resize(end);
  return Value::string(std::move(text));
}

// Adds `spaces` spaces after every newline (all lines but the first).
Value indent(Args args, const FunctionContext&) {
  int64_t spaces = integer_arg(args, 0, "spaces");
  std::string text = string_arg(args, 1, "str");
  size_t newlines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  if (spaces > 0 && newlines > 0 && static_cast<uint64_t>(spaces) > kMaxResultSize / newlines) {
    fail_argument(0, "spaces", "the indented string would be too large");
  }
  std::string pad(static_cast<size_t>(std::max<int64_t>(0, spaces)), ' ');
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return Value::string(std::move(out));
}

std::set<char32_t> code_points(std::string_view text) {
  std::set<char32_t> out;
  for (size_t pos = 0; pos < text.size();) out.insert(decode_utf8(text, pos));
  return out;
}

// Go's strings.Trim: strips characters in `cutset` from both ends.
Value trim(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  std::string cutset = string_arg(args, 1, "cutset");
  if (text.empty() || cutset.empty()) return Value::string(std::move(text));
  std::set<char32_t> cut = code_points(cutset);
  size_t start = 0;
  while (start < text.size()) {
    size_t next = start;
    if (!cut.count(decode_utf8(text, next))) break;
    start = next;
  }
  size_t end = start;  // one past the last kept character
  for (size_t pos = start; pos < text.size();) {
    if (!cut.count(decode_utf8(text, pos))) end = pos;
  }
  return Value::string(text.substr(start, end - start));
}

Value trimspace(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  size_t start = 0;
  while (start < text.size()) {
    size_t next = start;
    if (!is_unicode_space(decode_utf8(text, next))) break;
    start = next;
  }
  size_t end = start;
  for (size_t pos = start; pos < text.size();) {
    if (!is_unicode_space(decode_utf8(text, pos))) end = pos;
  }
  return Value::string(text.substr(start, end - start));
}

Value trimprefix(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  std::string prefix = string_arg(args, 1, "prefix");
  if (text.compare(0, prefix.size(), prefix) == 0) text.erase(0, prefix.size());
  return Value::string(std::move(text));
}

Value trimsuffix(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  std::string suffix = string_arg(args, 1, "suffix");
  if (text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
    text.resize(text.size() - suffix.size());
  }
  return Value::string(std::move(text));
}

// Go's strings.Split: an empty separator splits after each UTF-8 sequence.
std::vector<std::string> split_text(const std::string& text, const std::string& separator) {
  std::vector<std::string> out;
  if (separator.empty()) {
    for (size_t pos = 0; pos < text.size();) {
      size_t start = pos;
      decode_utf8(text, pos);
      out.push_back(text.substr(start, pos - start));
    }
    return out;
  }
  size_t start = 0;
  for (size_t found; (found = text.find(separator, start)) != std::string::npos; start = found + separator.size()) {
    out.push_back(text.substr(start, found - start));
  }
  out.push_back(text.substr(start));
  return out;
}

Value split(Args args, const FunctionContext&) {
  std::string separator = string_arg(args, 0, "separator");
  std::string text = string_arg(args, 1, "str");
  ValueList items;
  for (std::string& part : split_text(text, separator)) items.push_back(Value::string(std::move(part)));
  return Value::list(std::move(items), ListFlavour::kList);
}

Value join(Args args, const FunctionContext&) {
  std::string separator = string_arg(args, 0, "separator");
  if (args.size() < 2) fail_call("at least one list is required");
  std::string out;
  bool first = true;
  for (size_t list = 1; list < args.size(); ++list) {
    std::vector<std::optional<std::string>> items = string_list_arg(args, list, "lists");
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i]) {
        std::string reason = args.size() > 2
            ? "element " + std::to_string(i) + " of list " + std::to_string(list) + " is null; cannot concatenate null values"
            : "element " + std::to_string(i) + " is null; cannot concatenate null values";
        fail_argument(list, "lists", reason);
      }
      if (!first) out += separator;
      out += *items[i];
      first = false;
    }
  }
  return Value::string(std::move(out));
}

// sort(list): strings in lexical (byte) order, as Go's sort.Strings.
Value sort_fn(Args args, const FunctionContext&) {
  std::vector<std::optional<std::string>> items = string_list_arg(args, 0, "list");
  std::vector<std::string> texts;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i]) fail_call("given list element " + std::to_string(i) + " is null; a null string cannot be sorted");
    texts.push_back(*items[i]);
  }
  std::sort(texts.begin(), texts.end());
  ValueList out;
  for (std::string& text : texts) out.push_back(Value::string(std::move(text)));
  return Value::list(std::move(out), ListFlavour::kList);
}

// replace(str, substr, replace): plain substring replacement (Go's
// strings.Replace with n = -1). An empty substr inserts the replacement
// before every character and at the end.
Value replace(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  std::string search = string_arg(args, 1, "substr");
  std::string replacement = string_arg(args, 2, "replace");
  std::string out;
  if (search.empty()) {
    out += replacement;
    for (size_t pos = 0; pos < text.size();) {
      size_t start = pos;
      decode_utf8(text, pos);
      out.append(text, start, pos - start);
      out += replacement;
    }
    return Value::string(std::move(out));
  }
  size_t start = 0;
  for (size_t found; (found = text.find(search, start)) != std::string::npos; start = found + search.size()) {
    out.append(text, start, found - start);
    out += replacement;
  }
  out.append(text, start, std::string::npos);
  return Value::string(std::move(out));
}

}  // namespace

std::vector<FunctionSpec> string_function_specs() {
  return {
      {"upper", 1, 1, false, upper},
      {"lower", 1, 1, false, lower},
      {"title", 1, 1, false, title},
      {"reverse", 1, 1, false, reverse},
      {"strrev", 1, 1, false, reverse},
      {"strlen", 1, 1, false, strlen_fn},
      {"substr", 3, 3, false, substr},
      {"chomp", 1, 1, false, chomp},
      {"indent", 2, 2, false, indent},
      {"trim", 2, 2, false, trim},
      {"trimspace", 1, 1, false, trimspace},
      {"trimprefix", 2, 2, false, trimprefix},
      {"trimsuffix", 2, 2, false, trimsuffix},
      {"split", 2, 2, false, split},
      {"join", 1, 0, true, join},
      {"sort", 1, 1, false, sort_fn},
      {"replace", 3, 3, false, replace},
  };
}

}  // namespace skiff::parser
