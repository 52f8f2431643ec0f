// format and formatlist: cty's printf-like formatter (stdlib format.go and
// format_fsm.rl). A verb is `%` flags width precision [argindex] letter;
// numbers are formatted as Go's fmt formats big.Int and big.Float values.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

// A problem found while formatting. `value_index` (0-based into the values
// after the format string) is set for "too many arguments", which cty reports
// against that argument.
struct FormatProblem {
  std::string message;
  int value_index = -1;
};

struct Verb {
  std::string raw;
  size_t offset = 0;
  size_t arg_num = 0;  // 1-based
  char mode = 0;
  bool zero = false, sharp = false, plus = false, minus = false, space = false;
  bool has_width = false, has_prec = false;
  int width = 0, prec = 0;
};

std::string go_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string pad_width(const Verb& verb, std::string text) {
  if (!verb.has_width) return text;
  size_t length = split_characters(text).size();
  if (length >= static_cast<size_t>(verb.width)) return text;
  std::string pad(static_cast<size_t>(verb.width) - length, verb.zero ? '0' : ' ');
  return verb.minus ? text + pad : pad + text;
}

// Go's big.Float Text('g', -1): shortest digits; exponent form when the
// exponent is below -4 or at least 6.
std::string shortest_g(double n, char e_char = 'e') {
  if (std::isinf(n)) return n > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, n, std::chars_format::scientific);
  std::string text(buf, res.ptr);
  bool negative = text[0] == '-';
  if (negative) text.erase(0, 1);
  size_t e = text.find('e');
  int exponent = std::stoi(text.substr(e + 1));
  std::string digits = text.substr(0, e);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the decimal point
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "%c%c%02d", e_char, exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + exp_buf;
  }
  if (exponent < 0) return out + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  size_t int_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= int_digits) return out + digits + std::string(int_digits - digits.size(), '0');
  return out + digits.substr(0, int_digits) + "." + digits.substr(int_digits);
}

std::string integer_digits(double magnitude, int base, bool upper) {
  const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  if (magnitude < 18446744073709551616.0) {
    uint64_t u = static_cast<uint64_t>(magnitude);
    do {
      out.insert(out.begin(), alphabet[u % static_cast<uint64_t>(base)]);
      u /= static_cast<uint64_t>(base);
    } while (u != 0);
    return out;
  }
  while (magnitude >= 1) {
    out.insert(out.begin(), alphabet[static_cast<int>(std::fmod(magnitude, base))]);
    magnitude = std::floor(magnitude / base);
  }
  return out;
}

// Go's big.Int.Format: [left pad][sign][prefix][zero pad][digits][right pad].
std::string format_integer(const Verb& verb, double n) {
  int base = verb.mode == 'b' ? 2 : verb.mode == 'o' ? 8 : (verb.mode == 'x' || verb.mode == 'X') ? 16 : 10;
  std::string sign = n < 0 ? "-" : verb.plus ? "+" : verb.space ? " " : "";
  std::string prefix;
  if (verb.sharp) {
    prefix = verb.mode == 'b' ? "0b" : verb.mode == 'o' ? "0" : verb.mode == 'x' ? "0x" : verb.mode == 'X' ? "0X" : "";
  }
  std::string digits = integer_digits(std::fabs(n), base, verb.mode == 'X');
  size_t zeros = 0, left = 0, right = 0;
  if (verb.has_prec) {
    if (digits.size() < static_cast<size_t>(verb.prec)) zeros = static_cast<size_t>(verb.prec) - digits.size();
    else if (digits == "0" && verb.prec == 0) return "";
  }
  size_t length = sign.size() + prefix.size() + zeros + digits.size();
  if (verb.has_width && length < static_cast<size_t>(verb.width)) {
    size_t d = static_cast<size_t>(verb.width) - length;
    if (verb.minus) right = d;
    else if (verb.zero && !verb.has_prec) zeros = d;
    else left = d;
  }
  return std::string(left, ' ') + sign + prefix + std::string(zeros, '0') + digits + std::string(right, ' ');
}

// Go's big.Float.Format for e, E, f, g, G.
std::string format_float(const Verb& verb, double n) {
  std::string body;
  if ((verb.mode == 'g' || verb.mode == 'G') && !verb.has_prec) {
    body = shortest_g(n, verb.mode == 'G' ? 'E' : 'e');
  } else if (std::isinf(n)) {
    body = n > 0 ? "+Inf" : "-Inf";
  } else {
    int prec = verb.has_prec ? verb.prec : 6;
    char spec[8] = {'%', '.', '*', verb.mode, 0};
    int size = std::snprintf(nullptr, 0, spec, prec, n);
    body.resize(static_cast<size_t>(size) + 1);
    std::snprintf(body.data(), body.size(), spec, prec, n);
    body.resize(static_cast<size_t>(size));
  }
  std::string sign;
  if (body[0] == '-') {
    sign = "-";
    body.erase(0, 1);
  } else if (body[0] == '+') {
    sign = verb.space ? " " : "+";
    body.erase(0, 1);
  } else if (verb.plus) {
    sign = "+";
  } else if (verb.space) {
    sign = " ";
  }
  size_t padding = 0;
  if (verb.has_width && static_cast<size_t>(verb.width) > sign.size() + body.size()) {
    padding = static_cast<size_t>(verb.width) - sign.size() - body.size();
  }
  if (verb.zero && !std::isinf(n)) return sign + std::string(padding, '0') + body;
  if (verb.minus) return sign + body + std::string(padding, ' ');
  return std::string(padding, ' ') + sign + body;
}

std::string unsupported(const Verb& verb, std::string_view reason) {
  return "unsupported value for " + go_quote(verb.raw) + " at " + std::to_string(verb.offset) + ": " + std::string(reason);
}

std::string format_one(const Verb& verb, const Value& arg) {
  if (verb.mode != 'v' && arg.is_null()) throw FormatProblem{unsupported(verb, "null value cannot be formatted")};
  switch (verb.mode) {
    case 'v':
      if (!verb.sharp && arg.is_string()) return pad_width(verb, arg.as_string());
      if (!verb.sharp && arg.is_number()) return pad_width(verb, shortest_g(arg.as_number()));
      return pad_width(verb, encode_json(arg));
    case 't': {
      std::optional<bool> b = to_bool_value(arg);
      if (!b) throw FormatProblem{unsupported(verb, arg.is_string() ? "a bool is required" : "bool required")};
      return *b ? "true" : "false";
    }
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G': {
      std::optional<double> n = convert_to_number(arg);
      if (!n) throw FormatProblem{unsupported(verb, arg.is_string() ? "a number is required" : "number required")};
      if (verb.mode == 'e' || verb.mode == 'E' || verb.mode == 'f' || verb.mode == 'g' || verb.mode == 'G') {
        return format_float(verb, *n);
      }
      if (*n != std::trunc(*n) || !std::isfinite(*n)) throw FormatProblem{unsupported(verb, "an integer is required")};
      return format_integer(verb, *n);
    }
    case 's':
    case 'q': {
      std::optional<std::string> text = to_string_value(arg);
      if (!text) throw FormatProblem{unsupported(verb, "string required")};
      if (verb.has_prec && verb.prec > 0) {
        std::string truncated;
        std::vector<std::string_view> chars = split_characters(*text);
        for (size_t i = 0; i < chars.size() && i < static_cast<size_t>(verb.prec); ++i) truncated += chars[i];
        text = truncated;
      }
      return pad_width(verb, verb.mode == 's' ? *text : encode_json(Value::string(*text)));
    }
    default:
      throw FormatProblem{"unsupported format verb '" + std::string(1, verb.mode) + "' in " + go_quote(verb.raw) + " at offset " +
                          std::to_string(verb.offset)};
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Widths and precisions beyond this are refused rather than honoured, so
// that a typo cannot ask for gigabytes of padding.
constexpr int kMaxWidth = 100000;

void add_digit(int& field, char c, size_t pos) {
  field = field * 10 + (c - '0');
  if (field > kMaxWidth) throw FormatProblem{"width or precision too large at offset " + std::to_string(pos)};
}
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

[[noreturn]] void bad_character(std::string_view format, size_t pos) {
  size_t end = pos;
  decode_utf8(format, end);
  throw FormatProblem{"unrecognized format character '" + std::string(format.substr(pos, end - pos)) + "' at offset " +
                      std::to_string(pos)};
}

// Reads the verb starting at format[start] == '%'; returns it with `pos`
// just past its letter.
Verb parse_verb(std::string_view format, size_t start, size_t next_arg, size_t& pos) {
  Verb verb;
  verb.offset = start;
  verb.arg_num = next_arg;
  pos = start + 1;
  auto at_end = [&] {
    if (pos >= format.size()) throw FormatProblem{"invalid format string starting at offset " + std::to_string(pos)};
  };
  for (;; ++pos) {
    at_end();
    char c = format[pos];
    if (c == '0') verb.zero = true;
    else if (c == '#') verb.sharp = true;
    else if (c == '-') verb.minus = true;
    else if (c == '+') verb.plus = true;
    else if (c == ' ') verb.space = true;
    else break;
  }
  if (format[pos] >= '1' && format[pos] <= '9') {
    verb.has_width = true;
    for (; pos < format.size() && is_digit(format[pos]); ++pos) add_digit(verb.width, format[pos], pos);
    at_end();
  }
  if (format[pos] == '.') {
    verb.has_prec = true;
    for (++pos; pos < format.size() && is_digit(format[pos]); ++pos) add_digit(verb.prec, format[pos], pos);
    at_end();
  }
  if (format[pos] == '[') {
    ++pos;
    at_end();
    if (!(format[pos] >= '1' && format[pos] <= '9')) bad_character(format, pos);
    int arg_num = 0;
    for (; pos < format.size() && is_digit(format[pos]); ++pos) add_digit(arg_num, format[pos], pos);
    verb.arg_num = static_cast<size_t>(arg_num);
    at_end();
    if (format[pos] != ']') bad_character(format, pos);
    ++pos;
    at_end();
  }
  if (!is_letter(format[pos])) bad_character(format, pos);
  verb.mode = format[pos++];
  verb.raw = std::string(format.substr(start, pos - start));
  return verb;
}

std::string format_values(std::string_view format, const ValueList& values) {
  std::string out;
  size_t next_arg = 1, highest = 0;
  for (size_t pos = 0; pos < format.size();) {
    if (format[pos] != '%') {
      out += format[pos++];
      continue;
    }
    if (pos + 1 < format.size() && format[pos + 1] == '%') {
      out += '%';
      pos += 2;
      continue;
    }
    Verb verb = parse_verb(format, pos, next_arg, pos);
    highest = std::max(highest, verb.arg_num);
    if (verb.arg_num > values.size()) {
      throw FormatProblem{"not enough arguments for " + go_quote(verb.raw) + " at " + std::to_string(verb.offset) +
                          ": need index " + std::to_string(verb.arg_num) + " but have " + std::to_string(values.size()) +
                          " total"};
    }
    out += format_one(verb, values[verb.arg_num - 1]);
    next_arg = verb.arg_num + 1;
  }
  if (highest < values.size()) {
    std::string message = highest == 0 ? "too many arguments; no verbs in format string"
                                       : "too many arguments; only " + std::to_string(highest) + " used by format string";
    throw FormatProblem{message, static_cast<int>(highest)};
  }
  return out;
}

Value format(Args args, const FunctionContext&) {
  std::string format_text = string_arg(args, 0, "format");
  try {
    return Value::string(format_values(format_text, ValueList(args.begin() + 1, args.end())));
  } catch (const FormatProblem& problem) {
    if (problem.value_index >= 0) fail_argument(static_cast<size_t>(problem.value_index) + 1, "args", problem.message);
    fail_call(problem.message);
  }
}

// formatlist: list, set and tuple arguments are iterated in step (they must
// have the same length); every other argument is repeated.
Value formatlist(Args args, const FunctionContext&) {
  std::string format_text = string_arg(args, 0, "format");
  size_t length = 0, chooser = 0;
  bool iterating = false;
  for (size_t i = 1; i < args.size(); ++i) {
    if (!args[i].is_list()) continue;
    size_t this_length = args[i].as_list().size();
    if (!iterating) {
      iterating = true, length = this_length, chooser = i;
    } else if (this_length != length) {
      fail_argument(i, "args",
                    "argument " + std::to_string(i) + " has length " + std::to_string(this_length) +
                        ", which is inconsistent with argument " + std::to_string(chooser) + " of length " +
                        std::to_string(length));
    }
  }
  if (!iterating) length = 1;
  ValueList out;
  for (size_t n = 0; n < length; ++n) {
    ValueList values;
    for (size_t i = 1; i < args.size(); ++i) values.push_back(args[i].is_list() ? args[i].as_list()[n] : args[i]);
    try {
      out.push_back(Value::string(format_values(format_text, values)));
    } catch (const FormatProblem& problem) {
      if (args.size() == 1 && problem.value_index < 0) fail_call(problem.message);
      fail_call("error on format iteration " + std::to_string(n) + ": " + problem.message);
    }
  }
  return Value::list(std::move(out), ListFlavour::kList);
}

}  // namespace

std::vector<FunctionSpec> format_function_specs() {
  return {
      {"format", 1, 0, true, format},
      {"formatlist", 1, 0, true, formatlist},
  };
}

}  // namespace skiff::parser
