// The function table: every family's specs, wrapped so that a FunctionError
// thrown by a body (or anything else thrown by a library underneath) becomes
// a FunctionFailure and never leaves the call.
#include <algorithm>
#include <exception>
#include <map>

#include "parser/functions.hpp"
#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

FunctionDef wrap(FunctionSpec spec) {
  FunctionDef def;
  def.name = spec.name;
  def.min_args = spec.min_args;
  def.max_args = spec.max_args;
  def.variadic = spec.variadic;
  def.accepts_unknown = false;
  std::string name = spec.name;
  FunctionBody body = std::move(spec.body);
  def.call = [name, body, min = def.min_args, max = def.max_args, variadic = def.variadic](
                 std::span<const Value> args, const FunctionContext& ctx) -> FunctionResult<Value> {
    auto call_failure = [&](const std::string& reason) {
      return FunctionFailure{-1, "Call to function \"" + name + "\" failed: " + reason + "."};
    };
    // The evaluator checks arity with its own diagnostics; this guard only
    // keeps a body from reading past its arguments if a caller does not.
    if (args.size() < min || (!variadic && args.size() > max)) {
      return call_failure("wrong number of arguments (" + std::to_string(args.size()) + ")");
    }
    try {
      return body(args, ctx);
    } catch (const FunctionError& error) {
      if (error.argument < 0) return call_failure(error.message);
      return FunctionFailure{error.argument, error.message};
    } catch (const std::exception& error) {
      return call_failure(std::string("internal error: ") + error.what());
    } catch (...) {
      return call_failure("internal error");
    }
  };
  return def;
}

const std::map<std::string, FunctionDef>& table() {
  static const std::map<std::string, FunctionDef> kTable = [] {
    std::map<std::string, FunctionDef> out;
    using Family = std::vector<FunctionSpec> (*)();
    const Family families[] = {
        string_function_specs,  regex_function_specs,  collection_function_specs, sequence_function_specs, set_function_specs,
        numeric_function_specs, format_function_specs, encoding_function_specs,   json_function_specs,     yaml_function_specs,
        crypto_function_specs,  cidr_function_specs,   time_function_specs,       file_function_specs,
    };
    for (Family family : families) {
      for (FunctionSpec& spec : family()) {
        std::string name = spec.name;
        out.emplace(name, wrap(std::move(spec)));
      }
    }
    return out;
  }();
  return kTable;
}

}  // namespace

const FunctionDef* find_function(const std::string& name) {
  const auto& functions = table();
  auto it = functions.find(name);
  return it == functions.end() ? nullptr : &it->second;
}

std::vector<std::string> function_names() {
  std::vector<std::string> names;
  for (const auto& [name, def] : table()) names.push_back(name);
  return names;  // std::map iterates in sorted order
}

}  // namespace skiff::parser
