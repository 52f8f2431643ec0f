// Set functions: cty's stdlib set.go and SetProductFunc. Results are sets:
// de-duplicated and in cty's set order (see make_set).
#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

bool is_set(const Value& v) { return v.is_list() && v.list_flavour() == ListFlavour::kSet; }

// Every argument's elements, converted to the sets' common element type.
std::vector<ValueList> set_arguments(Args args, std::string_view first_name) {
  std::vector<ValueList> sets;
  ValueList all;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view name = i == 0 ? first_name : "other_sets";
    const Value& arg = non_null_arg(args, i, name);
    if (!arg.is_list()) fail_argument(i, name, "set of any single type required");
    std::optional<ValueList> own = unify_elements(arg.as_list());
    if (!own) fail_argument(i, name, "all elements must be of the same type");
    sets.push_back(*own);
    all.insert(all.end(), own->begin(), own->end());
  }
  // Unify across sets too, so that ["a"] and [1] meet as strings.
  std::optional<ValueList> unified = unify_elements(all);
  if (!unified) fail_call("given sets must all have compatible element types");
  size_t offset = 0;
  for (ValueList& set : sets) {
    for (Value& item : set) item = (*unified)[offset++];
  }
  return sets;
}

bool contains_value(const ValueList& items, const Value& wanted) {
  for (const Value& item : items) {
    if (item == wanted) return true;
  }
  return false;
}

Value setunion(Args args, const FunctionContext&) {
  ValueList out;
  for (ValueList& set : set_arguments(args, "first_set")) out.insert(out.end(), set.begin(), set.end());
  return make_set(std::move(out));
}

Value setintersection(Args args, const FunctionContext&) {
  std::vector<ValueList> sets = set_arguments(args, "first_set");
  ValueList out;
  for (const Value& item : sets[0]) {
    bool everywhere = true;
    for (size_t i = 1; i < sets.size() && everywhere; ++i) everywhere = contains_value(sets[i], item);
    if (everywhere) out.push_back(item);
  }
  return make_set(std::move(out));
}

// setproduct(sets...): every combination as a tuple, the last argument
// varying fastest. Lists and tuples only: a list in input order; any set
// among the arguments: a set.
Value setproduct(Args args, const FunctionContext&) {
  if (args.size() < 2) fail_call("at least two arguments are required");
  std::vector<ValueList> inputs;
  bool any_set = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const Value& arg = non_null_arg(args, i, "sets");
    if (!arg.is_list()) fail_argument(i, "sets", "a set or a list is required");
    std::optional<ValueList> unified = unify_elements(arg.as_list());
    if (!unified) fail_argument(i, "sets", "all elements must be of the same type");
    any_set = any_set || is_set(arg);
    inputs.push_back(std::move(*unified));
  }
  size_t total = 1;
  // cty has no limit; a million combinations is far beyond any job file.
  constexpr size_t kMaxProduct = size_t{1} << 20;
  for (const ValueList& input : inputs) {
    if (!input.empty() && total > kMaxProduct / input.size()) fail_call("the product would be too large");
    total *= input.size();
  }
  ValueList product;
  std::vector<size_t> cursor(inputs.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    ValueList combination;
    for (size_t j = 0; j < inputs.size(); ++j) combination.push_back(inputs[j][cursor[j]]);
    product.push_back(Value::list(std::move(combination), ListFlavour::kTuple));
    for (size_t j = inputs.size(); j-- > 0;) {
      if (++cursor[j] < inputs[j].size()) break;
      cursor[j] = 0;
    }
  }
  if (any_set) return make_set(std::move(product));
  return Value::list(std::move(product), ListFlavour::kList);
}

}  // namespace

std::vector<FunctionSpec> set_function_specs() {
  return {
      {"setunion", 1, 0, true, setunion},
      {"setintersection", 1, 0, true, setintersection},
      {"setproduct", 0, 0, true, setproduct},
  };
}

}  // namespace skiff::parser
