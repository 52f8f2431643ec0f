// Internal to the function table: argument coercion as go-cty does it, the
// error a function body raises, UTF-8 helpers and a few value helpers shared by
// the function families. Nothing here is part of the parser's interface.
//
// Function bodies are written as straight-line code: a coercion helper that
// finds a bad argument throws FunctionError, and the table (function_table.cpp)
// catches it and turns it into the FunctionFailure the evaluator sees. So no
// exception ever leaves a FunctionDef::call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parser/functions.hpp"
#include "parser/utf8.hpp"
#include "parser/value.hpp"

namespace skiff::parser {

using Args = std::span<const Value>;
using FunctionBody = std::function<Value(Args args, const FunctionContext& ctx)>;

// One entry of a function family, before the table wraps it.
struct FunctionSpec {
  std::string name;
  size_t min_args = 0;
  size_t max_args = 0;  // ignored when variadic
  bool variadic = false;
  FunctionBody body;
};

// The families, one per source file.
std::vector<FunctionSpec> string_function_specs();
std::vector<FunctionSpec> regex_function_specs();
std::vector<FunctionSpec> collection_function_specs();
std::vector<FunctionSpec> sequence_function_specs();
std::vector<FunctionSpec> set_function_specs();
std::vector<FunctionSpec> numeric_function_specs();
std::vector<FunctionSpec> format_function_specs();
std::vector<FunctionSpec> encoding_function_specs();
std::vector<FunctionSpec> json_function_specs();
std::vector<FunctionSpec> yaml_function_specs();
std::vector<FunctionSpec> crypto_function_specs();
std::vector<FunctionSpec> cidr_function_specs();
std::vector<FunctionSpec> time_function_specs();
std::vector<FunctionSpec> file_function_specs();

// What a function body throws. `argument` is -1 for a failure of the call as
// a whole. The message is complete: argument errors read
// `Invalid value for "str" parameter: string required.`; call errors are
// prefixed by the table with `Call to function "name" failed: `.
struct FunctionError {
  int argument = -1;
  std::string message;
};

// An error about argument `index`, worded as HCL words it:
// `Invalid value for "<parameter>" parameter: <reason>.`
[[noreturn]] void fail_argument(size_t index, std::string_view parameter, std::string_view reason);
// An error about argument `index` whose message is already complete.
[[noreturn]] void fail_argument_raw(size_t index, std::string message);
// An error of the call as a whole; `reason` has no trailing period.
[[noreturn]] void fail_call(std::string reason);

// Limits that cty does not have, so that an absurd argument gives an error
// rather than exhausting memory or the stack: the size of a result built by
// repetition (indent, setproduct) and how deeply decoded JSON/YAML may nest.
constexpr size_t kMaxResultSize = size_t{64} << 20;
constexpr size_t kMaxNestingDepth = 1000;

// Argument coercion, following cty's conversion rules: a string parameter
// takes a number or bool (5 -> "5"), a number parameter takes a numeric string
// ("12" -> 12), a bool parameter takes "true"/"false". Null is refused.
const Value& non_null_arg(Args args, size_t index, std::string_view parameter);
std::string string_arg(Args args, size_t index, std::string_view parameter);
double number_arg(Args args, size_t index, std::string_view parameter);
// A number that must be whole and fit an int64 (cty's conversion to a Go int).
int64_t integer_arg(Args args, size_t index, std::string_view parameter);
bool bool_arg(Args args, size_t index, std::string_view parameter);
// The elements of a list, tuple or set argument.
const ValueList& sequence_arg(Args args, size_t index, std::string_view parameter);
// A list(string) parameter: each element converted to a string; null elements
// stay nullopt (some functions skip them, others refuse them).
std::vector<std::optional<std::string>> string_list_arg(Args args, size_t index, std::string_view parameter);

// The same conversions on a single value, for elements; nullopt when the
// value cannot be converted. Numbers refuse "inf"/"nan" as cty does.
std::optional<double> convert_to_number(const Value& value);
std::optional<int64_t> whole_number(double n);

// cty's friendly type name with an article-free phrasing, e.g. "string",
// "tuple", "object"; used in messages.
std::string friendly_type(const Value& value);

// Converts primitive elements to one common type, as cty's type unification
// does for list(any) and set(any) parameters: all strings, numbers or bools
// stay; a mix with strings becomes all strings; numbers mixed with bools, or
// primitives mixed with collections, cannot be unified (nullopt). Nulls pass.
std::optional<ValueList> unify_elements(const ValueList& items);

// A set value: elements de-duplicated and in cty's set order (strings
// lexically, numbers numerically, false before true, others by their text).
Value make_set(ValueList items);
bool set_order_less(const Value& a, const Value& b);

// cty's JSON encoding of a value: compact, object keys sorted, strings
// escaped as Go's encoding/json does (including <, >, & as \u003c...).
// Unknown values encode as their "${...}" text. (json_functions.cpp)
std::string encode_json(const Value& value);
// Standard base64 with padding, as Go's base64.StdEncoding (encoding_functions.cpp).
std::string encode_base64(std::string_view bytes);
// Numbers as cty writes them in JSON and YAML: no exponent, shortest digits.
std::string format_number_plain(double n);

// UTF-8 helpers (unicode_text.cpp). Invalid bytes decode as U+FFFD, one byte
// at a time, as Go does.
char32_t decode_utf8(std::string_view text, size_t& pos);
bool valid_utf8(std::string_view text);
// Characters as cty counts them. cty uses Unicode grapheme clusters; this is
// an approximation that keeps a base character together with the combining
// marks, variation selectors, emoji modifiers and zero-width joiner sequences
// that follow it, and CR LF as one character.
std::vector<std::string_view> split_characters(std::string_view text);
// Go's strings.ToUpper / ToLower / Title for Latin, Greek and Cyrillic text.
std::string to_upper_text(std::string_view text);
std::string to_lower_text(std::string_view text);
std::string to_title_text(std::string_view text);
// Go's unicode.IsSpace.
bool is_unicode_space(char32_t c);

}  // namespace skiff::parser
