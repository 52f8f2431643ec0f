// Functions that build or reshape sequences: cty's stdlib sequence.go and the
// list-shaped parts of collection.go.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

bool is_set(const Value& v) { return v.is_list() && v.list_flavour() == ListFlavour::kSet; }

// A list(any) parameter: a list, tuple or set whose elements unify to one type.
ValueList unified_list_arg(Args args, size_t index, std::string_view parameter) {
  const ValueList& items = sequence_arg(args, index, parameter);
  std::optional<ValueList> unified = unify_elements(items);
  if (!unified) fail_argument(index, parameter, "all elements must be of the same type");
  return *unified;
}

// concat(seqs...): a list when every argument is a list, a tuple otherwise.
Value concat(Args args, const FunctionContext&) {
  if (args.empty()) fail_call("at least one argument is required");
  ValueList out;
  bool all_lists = true;
  for (size_t i = 0; i < args.size(); ++i) {
    const Value& seq = non_null_arg(args, i, "seqs");
    if (!seq.is_list() || is_set(seq)) {
      fail_argument(i, "seqs", "all arguments must be lists or tuples; got " + friendly_type(seq));
    }
    all_lists = all_lists && seq.list_flavour() == ListFlavour::kList;
    out.insert(out.end(), seq.as_list().begin(), seq.as_list().end());
  }
  if (all_lists) {
    std::optional<ValueList> unified = unify_elements(out);
    if (unified) return Value::list(std::move(*unified), ListFlavour::kList);
  }
  return Value::list(std::move(out), ListFlavour::kTuple);
}

void flatten_into(const ValueList& items, ValueList& out) {
  for (const Value& item : items) {
    if (item.is_list()) flatten_into(item.as_list(), out);
    else out.push_back(item);
  }
}

Value flatten(Args args, const FunctionContext&) {
  const Value& list = non_null_arg(args, 0, "list");
  if (!list.is_list()) fail_call("can only flatten lists, sets and tuples");
  ValueList out;
  flatten_into(list.as_list(), out);
  return Value::list(std::move(out), ListFlavour::kTuple);
}

// chunklist(list, size): lists of at most `size` elements; size 0 gives the
// whole list as one chunk.
Value chunklist(Args args, const FunctionContext&) {
  ValueList items = unified_list_arg(args, 0, "list");
  const Value& size_value = non_null_arg(args, 1, "size");
  std::optional<double> size_number = convert_to_number(size_value);
  if (!size_number) fail_argument(1, "size", "number required");
  std::optional<int64_t> size = whole_number(*size_number);
  if (!size) fail_call("invalid size: value must be a whole number, between -9223372036854775808 and 9223372036854775807");
  if (*size < 0) fail_call("the size argument must be positive");
  ValueList chunks;
  if (items.empty()) return Value::list({}, ListFlavour::kList);
  if (*size == 0) return Value::list({Value::list(std::move(items), ListFlavour::kList)}, ListFlavour::kList);
  ValueList chunk;
  for (size_t i = 0; i < items.size(); ++i) {
    chunk.push_back(items[i]);
    if ((i + 1) % static_cast<size_t>(*size) == 0 || i + 1 == items.size()) {
      chunks.push_back(Value::list(std::move(chunk), ListFlavour::kList));
      chunk.clear();
    }
  }
  return Value::list(std::move(chunks), ListFlavour::kList);
}

int64_t slice_index(Args args, size_t index, std::string_view parameter, std::string_view which, int64_t length) {
  double number = number_arg(args, index, parameter);
  std::optional<int64_t> value = whole_number(number);
  std::string what(which);
  if (!value) {
    fail_argument(
        index, parameter,
        "invalid " + what + " index: value must be a whole number, between -9223372036854775808 and 9223372036854775807");
  }
  if (*value < 0) fail_argument(index, parameter, what + " index must not be less than zero");
  if (*value > length) fail_argument(index, parameter, what + " index must not be greater than the length of the list");
  return *value;
}

Value slice(Args args, const FunctionContext&) {
  const Value& list = non_null_arg(args, 0, "list");
  if (is_set(list)) {
    fail_argument(0, "list",
                  "cannot slice a set, because its elements do not have indices; explicitly convert to a list if "
                  "the ordering of the result is not important");
  }
  if (!list.is_list()) fail_argument(0, "list", "must be a list or tuple value");
  int64_t length = static_cast<int64_t>(list.as_list().size());
  int64_t start = slice_index(args, 1, "start_index", "start", length);
  int64_t end = slice_index(args, 2, "end_index", "end", length);
  if (start > end) fail_argument(1, "start_index", "start index must not be greater than end index");
  ValueList out(list.as_list().begin() + start, list.as_list().begin() + end);
  return Value::list(std::move(out), list.list_flavour());
}

// cty computes ranges with arbitrary-precision decimals, so range(0, 1, 0.1)
// yields exactly 0.3; rounding to 15 significant digits gets doubles there.
double decimal_round(double n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", n);
  return std::strtod(buf, nullptr);
}

Value range(Args args, const FunctionContext&) {
  std::vector<double> params;
  for (size_t i = 0; i < args.size(); ++i) params.push_back(number_arg(args, i, "params"));
  double start = 0, end = 0, step = 1;
  switch (params.size()) {
    case 1:
      end = params[0];
      step = end < 0 ? -1 : 1;
      break;
    case 2:
      start = params[0];
      end = params[1];
      step = end < start ? -1 : 1;
      break;
    case 3:
      start = params[0];
      end = params[1];
      step = params[2];
      break;
    default: fail_call("must have one, two, or three arguments");
  }
  if (step == 0) fail_argument(2, "params", "step must not be zero");
  bool down = step < 0;
  if (down && end > start) fail_argument(1, "params", "end must be less than start when step is negative");
  if (!down && end < start) fail_argument(1, "params", "end must be greater than start when step is positive");
  ValueList out;
  for (int64_t i = 0;; ++i) {
    double n = decimal_round(start + static_cast<double>(i) * step);
    if (down ? n <= end : n >= end) break;
    if (out.size() >= 1024) {
      fail_call(
          "more than 1024 values were generated; either decrease the difference between start and end or use a "
          "smaller step");
    }
    out.push_back(Value::number(n));
  }
  return Value::list(std::move(out), ListFlavour::kList);
}

// distinct(list): the first occurrence of each value, in order.
Value distinct(Args args, const FunctionContext&) {
  ValueList items = unified_list_arg(args, 0, "list");
  ValueList out;
  for (Value& item : items) {
    bool seen = false;
    for (const Value& kept : out) seen = seen || kept == item;
    if (!seen) out.push_back(std::move(item));
  }
  return Value::list(std::move(out), ListFlavour::kList);
}

// compact(list): drops empty strings and nulls.
Value compact(Args args, const FunctionContext&) {
  ValueList out;
  for (auto& item : string_list_arg(args, 0, "list")) {
    if (item && !item->empty()) out.push_back(Value::string(std::move(*item)));
  }
  return Value::list(std::move(out), ListFlavour::kList);
}

}  // namespace

std::vector<FunctionSpec> sequence_function_specs() {
  return {
      {"concat", 0, 0, true, concat},    {"flatten", 1, 1, false, flatten}, {"chunklist", 2, 2, false, chunklist},
      {"slice", 3, 3, false, slice},     {"range", 0, 0, true, range},      {"distinct", 1, 1, false, distinct},
      {"compact", 1, 1, false, compact},
  };
}

}  // namespace skiff::parser
