// Collection functions that look things up or combine maps: cty's stdlib
// collection.go and general.go (coalesce). cty distinguishes objects (from
// `{...}` literals, jsondecode, ...) from maps (typed variables, tomap): some
// functions (length, index) accept only maps, exactly as in Nomad.
#include <cmath>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

bool is_map(const Value& v) { return v.is_object() && v.object_flavour() == ObjectFlavour::kMap; }
bool is_set(const Value& v) { return v.is_list() && v.list_flavour() == ListFlavour::kSet; }

Value length(Args args, const FunctionContext&) {
  const Value& collection = non_null_arg(args, 0, "collection");
  if (collection.is_list()) return Value::number(static_cast<double>(collection.as_list().size()));
  if (is_map(collection)) return Value::number(static_cast<double>(collection.as_object().size()));
  fail_call("collection must be a list, a map or a tuple");
}

// element(list, index): the index wraps modulo the length; negative indexes
// count from the end.
Value element(Args args, const FunctionContext&) {
  const Value& list = non_null_arg(args, 0, "list");
  double number = number_arg(args, 1, "index");
  if (!list.is_list() || is_set(list)) fail_call("cannot read elements from " + friendly_type(list));
  std::optional<int64_t> index = whole_number(number);
  if (!index) {
    fail_call("invalid index: value must be a whole number, between -9223372036854775808 and 9223372036854775807");
  }
  const ValueList& items = list.as_list();
  if (items.empty()) fail_call("cannot use element function with an empty list");
  int64_t size = static_cast<int64_t>(items.size());
  int64_t wrapped = *index % size;
  if (wrapped < 0) wrapped += size;
  return items[static_cast<size_t>(wrapped)];
}

// index(collection, key): cty's IndexFunc, i.e. collection[key] as a function
// (Terraform's index(list, value) search is a different function).
Value index_fn(Args args, const FunctionContext&) {
  const Value& collection = non_null_arg(args, 0, "collection");
  const Value& key = args[1];
  if (collection.is_list() && !is_set(collection)) {
    bool tuple = collection.list_flavour() == ListFlavour::kTuple;
    if (!key.is_number()) fail_call(tuple ? "key for tuple must be number" : "key for list must be number");
    std::optional<int64_t> i = whole_number(key.as_number());
    int64_t size = static_cast<int64_t>(collection.as_list().size());
    if (tuple && !i) {
      fail_call(
          "invalid key for tuple: value must be a whole number, between -9223372036854775808 and "
          "9223372036854775807");
    }
    if (!i || *i < 0 || *i >= size) {
      if (tuple) fail_call("key must be between 0 and " + std::to_string(size) + " inclusive");
      fail_call("invalid index");
    }
    return collection.as_list()[static_cast<size_t>(*i)];
  }
  if (is_map(collection)) {
    if (!key.is_string()) fail_call("key for map must be string");
    auto found = collection.as_object().find(key.as_string());
    if (found == collection.as_object().end()) fail_call("invalid index");
    return found->second;
  }
  fail_call("collection must be a list, a map or a tuple");
}

// lookup(map, key, default): cty's LookupFunc takes the default as a required
// third argument (Terraform's optional default is its own variant).
Value lookup(Args args, const FunctionContext&) {
  const Value& collection = non_null_arg(args, 0, "inputMap");
  std::string key = string_arg(args, 1, "key");
  if (!collection.is_object()) fail_argument(0, "inputMap", "lookup() requires a map as the first argument");
  auto found = collection.as_object().find(key);
  if (found != collection.as_object().end()) return found->second;
  // A map's default is converted to the map's element type, as cty does.
  const Value& fallback = args[2];
  bool string_map = is_map(collection) && !collection.as_object().empty() && collection.as_object().begin()->second.is_string();
  if (string_map && (fallback.is_number() || fallback.is_bool())) return Value::string(*to_string_value(fallback));
  return fallback;
}

Value keys(Args args, const FunctionContext&) {
  const Value& collection = non_null_arg(args, 0, "inputMap");
  if (!collection.is_object()) fail_argument(0, "inputMap", "must have map or object type");
  ValueList out;
  for (const auto& [key, value] : collection.as_object()) out.push_back(Value::string(key));
  return Value::list(std::move(out), is_map(collection) ? ListFlavour::kList : ListFlavour::kTuple);
}

Value values(Args args, const FunctionContext&) {
  const Value& collection = non_null_arg(args, 0, "values");
  if (!collection.is_object()) fail_call("values() requires a map as the first argument");
  ValueList out;
  for (const auto& [key, value] : collection.as_object()) out.push_back(value);
  return Value::list(std::move(out), is_map(collection) ? ListFlavour::kList : ListFlavour::kTuple);
}

// merge(maps...): later arguments win; nulls are skipped. The result is a map
// when every argument is a map, an object otherwise.
Value merge(Args args, const FunctionContext&) {
  ValueMap out;
  bool all_maps = true;
  for (const Value& arg : args) {
    if (arg.is_null()) continue;
    if (!arg.is_object()) fail_call("arguments must be maps or objects, got \"" + friendly_type(arg) + "\"");
    all_maps = all_maps && is_map(arg);
    for (const auto& [key, value] : arg.as_object()) out[key] = value;
  }
  bool map_result = all_maps && !args.empty();
  return Value::object(std::move(out), map_result ? ObjectFlavour::kMap : ObjectFlavour::kObject);
}

Value contains(Args args, const FunctionContext&) {
  const Value& list = non_null_arg(args, 0, "list");
  const Value& wanted = non_null_arg(args, 1, "value");
  if (!list.is_list()) fail_call("argument must be list, tuple, or set");
  for (const Value& item : list.as_list()) {
    if (item == wanted) return Value::boolean(true);
  }
  return Value::boolean(false);
}

// coalesce(vals...): the first argument that is not null (empty strings
// count as values, unlike Terraform's variant), converted to the arguments'
// common type.
Value coalesce(Args args, const FunctionContext&) {
  if (args.empty()) fail_call("at least one argument is required");
  std::optional<ValueList> unified = unify_elements(ValueList(args.begin(), args.end()));
  if (!unified) fail_call("all arguments must have the same type");
  for (const Value& arg : *unified) {
    if (!arg.is_null()) return arg;
  }
  fail_call("no non-null arguments");
}

Value coalescelist(Args args, const FunctionContext&) {
  if (args.empty()) fail_call("at least one argument is required");
  for (const Value& arg : args) {
    if (!arg.is_null() && (!arg.is_list() || is_set(arg))) fail_call("coalescelist arguments must be lists or tuples");
  }
  for (const Value& arg : args) {
    if (!arg.is_null() && !arg.as_list().empty()) return arg;
  }
  fail_call("no non-null arguments");
}

// zipmap(keys, values): a map when values is a list, an object when a tuple.
Value zipmap(Args args, const FunctionContext&) {
  std::vector<std::optional<std::string>> keys = string_list_arg(args, 0, "keys");
  const Value& values = non_null_arg(args, 1, "values");
  if (!values.is_list() || is_set(values)) fail_call("values argument must be a list or tuple value");
  if (keys.size() != values.as_list().size()) {
    fail_call("number of keys (" + std::to_string(keys.size()) + ") does not match number of values (" +
              std::to_string(values.as_list().size()) + ")");
  }
  ValueMap out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!keys[i]) fail_call("keys list has null value at index " + std::to_string(i));
    out[*keys[i]] = values.as_list()[i];
  }
  bool map_result = values.list_flavour() == ListFlavour::kList;
  return Value::object(std::move(out), map_result ? ObjectFlavour::kMap : ObjectFlavour::kObject);
}

}  // namespace

std::vector<FunctionSpec> collection_function_specs() {
  return {
      {"length", 1, 1, false, length},    {"element", 2, 2, false, element},
      {"index", 2, 2, false, index_fn},   {"lookup", 3, 3, false, lookup},
      {"keys", 1, 1, false, keys},        {"values", 1, 1, false, values},
      {"merge", 0, 0, true, merge},       {"contains", 2, 2, false, contains},
      {"coalesce", 0, 0, true, coalesce}, {"coalescelist", 0, 0, true, coalescelist},
      {"zipmap", 2, 2, false, zipmap},
  };
}

}  // namespace skiff::parser
