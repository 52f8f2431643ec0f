// base64encode, base64decode, urlencode (go-cty-funcs' encoding package) and
// csvdecode (cty's stdlib csv.go, which reads with Go's encoding/csv).
#include <cctype>
#include <cstring>
#include <set>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string encode_base64(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t chunk = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) chunk |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) chunk |= static_cast<unsigned char>(in[i + 2]);
    out += kBase64[(chunk >> 18) & 63];
    out += kBase64[(chunk >> 12) & 63];
    out += i + 1 < in.size() ? kBase64[(chunk >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kBase64[chunk & 63] : '=';
  }
  return out;
}

namespace {

Value base64encode(Args args, const FunctionContext&) { return Value::string(encode_base64(string_arg(args, 0, "str"))); }

// Go's base64.StdEncoding.DecodeString: padding required, CR and LF ignored.
std::optional<std::string> decode_base64(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (c != '\r' && c != '\n') clean += c;
  }
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < clean.size(); i += 4) {
    uint32_t chunk = 0;
    int padding = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = clean[i + j];
      const char* found = c == '=' ? nullptr : std::strchr(kBase64, c);
      if (c == '=') {
        // Padding may only end the input, as "=" or "==".
        if (i + 4 != clean.size() || j < 2) return std::nullopt;
        ++padding;
      } else if (found == nullptr || c == '\0' || padding > 0) {
        return std::nullopt;
      }
      chunk = (chunk << 6) | (found ? static_cast<uint32_t>(found - kBase64) : 0);
    }
    out += static_cast<char>((chunk >> 16) & 0xFF);
    if (padding < 2) out += static_cast<char>((chunk >> 8) & 0xFF);
    if (padding < 1) out += static_cast<char>(chunk & 0xFF);
  }
  return out;
}

Value base64decode(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  std::optional<std::string> decoded = decode_base64(text);
  if (!decoded) fail_call("failed to decode base64 data '" + text + "'");
  if (!valid_utf8(*decoded)) fail_call("the result of decoding the the provided string is not valid UTF-8");
  return Value::string(std::move(*decoded));
}

// Go's url.QueryEscape.
Value urlencode(Args args, const FunctionContext&) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string text = string_arg(args, 0, "str");
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return Value::string(std::move(out));
}

// A reader for RFC 4180 CSV as Go's encoding/csv reads it by default: quoted
// fields may hold commas, newlines and doubled quotes; blank lines are skipped.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // The next record, or nullopt at the end. Throws FunctionError on bad input.
  std::optional<std::vector<std::string>> next() {
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_.substr(pos_, 2) == "\r\n")) {
      pos_ += text_[pos_] == '\n' ? 1 : 2;
      ++line_;
    }
    if (pos_ >= text_.size()) return std::nullopt;
    record_line_ = line_;
    std::vector<std::string> fields;
    for (;;) {
      fields.push_back(text_[pos_] == '"' ? quoted_field() : bare_field());
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        if (pos_ >= text_.size()) {
          fields.emplace_back();
          break;
        }
        continue;
      }
      end_of_line();
      break;
    }
    return fields;
  }

  int record_line() const { return record_line_; }

 private:
  [[noreturn]] void fail(const std::string& what) { fail_call("CSV parse error on line " + std::to_string(line_) + ": " + what); }

  bool at_line_end() const { return pos_ >= text_.size() || text_[pos_] == '\n' || text_.substr(pos_, 2) == "\r\n"; }

  void end_of_line() {
    if (pos_ < text_.size()) pos_ += text_[pos_] == '\n' ? 1 : 2;
    ++line_;
  }

  std::string bare_field() {
    std::string out;
    while (!at_line_end() && text_[pos_] != ',') {
      if (text_[pos_] == '"') fail("bare \" in non-quoted-field");
      out += text_[pos_++];
    }
    return out;
  }

  std::string quoted_field() {
    std::string out;
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= text_.size()) fail("extraneous or missing \" in quoted-field");
      char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          out += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        if (!at_line_end() && text_[pos_] != ',') fail("extraneous or missing \" in quoted-field");
        return out;
      }
      if (text_.substr(pos_, 2) == "\r\n") {
        out += '\n';
        pos_ += 2;
        ++line_;
        continue;
      }
      if (c == '\n') ++line_;
      out += c;
      ++pos_;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int record_line_ = 1;
};

// csvdecode(str): the first record names the columns; every other record
// becomes an object of strings.
Value csvdecode(Args args, const FunctionContext&) {
  std::string text = string_arg(args, 0, "str");
  CsvReader reader(text);
  std::optional<std::vector<std::string>> header = reader.next();
  if (!header) fail_call("missing header line");
  std::set<std::string> seen;
  for (const std::string& name : *header) {
    if (!seen.insert(name).second) fail_call("duplicate column name \"" + name + "\"");
  }
  ValueList rows;
  while (std::optional<std::vector<std::string>> record = reader.next()) {
    if (record->size() != header->size()) {
      fail_call("CSV parse error on line " + std::to_string(reader.record_line()) + ": wrong number of fields");
    }
    ValueMap row;
    for (size_t i = 0; i < record->size(); ++i) row[(*header)[i]] = Value::string((*record)[i]);
    rows.push_back(Value::object(std::move(row)));
  }
  return Value::list(std::move(rows), ListFlavour::kList);
}

}  // namespace

std::vector<FunctionSpec> encoding_function_specs() {
  return {
      {"base64encode", 1, 1, false, base64encode},
      {"base64decode", 1, 1, false, base64decode},
      {"urlencode", 1, 1, false, urlencode},
      {"csvdecode", 1, 1, false, csvdecode},
  };
}

}  // namespace skiff::parser
