// Numeric functions: cty's stdlib number.go. Numbers are doubles in skiff
// (cty uses arbitrary-precision decimals); for the integers and short
// fractions of job files the results are the same.
#include <cmath>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

Value abs_fn(Args args, const FunctionContext&) { return Value::number(std::fabs(number_arg(args, 0, "num"))); }
Value ceil_fn(Args args, const FunctionContext&) { return Value::number(std::ceil(number_arg(args, 0, "num"))); }
Value floor_fn(Args args, const FunctionContext&) { return Value::number(std::floor(number_arg(args, 0, "num"))); }

Value log_fn(Args args, const FunctionContext&) {
  double num = number_arg(args, 0, "num");
  double base = number_arg(args, 1, "base");
  return Value::number(std::log(num) / std::log(base));
}

Value pow_fn(Args args, const FunctionContext&) {
  return Value::number(std::pow(number_arg(args, 0, "num"), number_arg(args, 1, "power")));
}

// signum converts its argument to a Go int first, so fractions are refused.
Value signum(Args args, const FunctionContext&) {
  double num = number_arg(args, 0, "num");
  if (!whole_number(num)) {
    fail_call("value must be a whole number, between -9223372036854775808 and 9223372036854775807");
  }
  return Value::number(num < 0 ? -1 : num > 0 ? 1 : 0);
}

Value extreme(Args args, bool want_max) {
  if (args.empty()) fail_call("must pass at least one number");
  double best = number_arg(args, 0, "numbers");
  for (size_t i = 1; i < args.size(); ++i) {
    double n = number_arg(args, i, "numbers");
    if (want_max ? n > best : n < best) best = n;
  }
  return Value::number(best);
}

Value max_fn(Args args, const FunctionContext&) { return extreme(args, true); }
Value min_fn(Args args, const FunctionContext&) { return extreme(args, false); }

// The value of digit `c` as Go's big.Int.SetString reads it: for bases up to
// 36 letters are case-insensitive; above, a-z are 10..35 and A-Z 36..61.
int digit_value(char c, int base) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return base <= 36 ? c - 'A' + 10 : c - 'A' + 36;
  return 99;
}

Value parseint(Args args, const FunctionContext&) {
  const Value& number = non_null_arg(args, 0, "number");
  if (!number.is_string()) fail_argument(0, "number", "first argument must be a string, not " + friendly_type(number));
  int64_t base = integer_arg(args, 1, "base");
  if (base < 2 || base > 62) fail_argument(1, "base", "base must be a whole number between 2 and 62 inclusive");
  const std::string& text = number.as_string();
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) negative = text[pos++] == '-';
  auto refuse = [&] {
    fail_argument(0, "number", "cannot parse \"" + text + "\" as a base " + std::to_string(base) + " integer");
  };
  if (pos == text.size()) refuse();
  double value = 0;
  for (; pos < text.size(); ++pos) {
    int digit = digit_value(text[pos], static_cast<int>(base));
    if (digit >= base) refuse();
    value = value * static_cast<double>(base) + digit;
  }
  return Value::number(negative ? -value : value);
}

}  // namespace

std::vector<FunctionSpec> numeric_function_specs() {
  return {
      {"abs", 1, 1, false, abs_fn}, {"ceil", 1, 1, false, ceil_fn}, {"floor", 1, 1, false, floor_fn},
      {"log", 2, 2, false, log_fn}, {"pow", 2, 2, false, pow_fn},   {"signum", 1, 1, false, signum},
      {"max", 0, 0, true, max_fn},  {"min", 0, 0, true, min_fn},    {"parseint", 2, 2, false, parseint},
  };
}

}  // namespace skiff::parser
