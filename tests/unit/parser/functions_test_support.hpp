// Helpers for the function-table tests: value builders and a way to call a
// function by name and get its result or its failure.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "fake_environment.hpp"
#include "parser/functions.hpp"
#include "parser/value.hpp"

namespace skiff::parser::testing {

using skiff::testing::FakeEnvironment;

inline Value S(std::string s) { return Value::string(std::move(s)); }
inline Value N(double n) { return Value::number(n); }
inline Value B(bool b) { return Value::boolean(b); }
inline Value Null() { return Value::null(); }
// A tuple, as an HCL `[...]` literal makes.
inline Value T(ValueList items) { return Value::list(std::move(items), ListFlavour::kTuple); }
inline Value List(ValueList items) { return Value::list(std::move(items), ListFlavour::kList); }
inline Value Set(ValueList items) { return Value::list(std::move(items), ListFlavour::kSet); }
// An object, as an HCL `{...}` literal makes.
inline Value Obj(ValueMap items) { return Value::object(std::move(items), ObjectFlavour::kObject); }
inline Value Map(ValueMap items) { return Value::object(std::move(items), ObjectFlavour::kMap); }

inline FunctionResult<Value> call_function(const std::string& name, ValueList args, const FunctionContext& ctx = {}) {
  const FunctionDef* def = find_function(name);
  if (def == nullptr) FAIL("no function " << name);
  return def->call(std::span<const Value>(args), ctx);
}

// The result of a call that must succeed.
inline Value call_ok(const std::string& name, ValueList args, const FunctionContext& ctx = {}) {
  FunctionResult<Value> result = call_function(name, std::move(args), ctx);
  if (auto* failure = std::get_if<FunctionFailure>(&result)) {
    FAIL(name << " failed: [" << failure->argument << "] " << failure->message);
  }
  return std::get<Value>(result);
}

// The failure of a call that must fail.
inline FunctionFailure call_fail(const std::string& name, ValueList args, const FunctionContext& ctx = {}) {
  FunctionResult<Value> result = call_function(name, std::move(args), ctx);
  if (auto* value = std::get_if<Value>(&result)) FAIL(name << " succeeded with " << value->debug_string());
  return std::get<FunctionFailure>(result);
}

inline std::string call_error(const std::string& name, ValueList args, const FunctionContext& ctx = {}) {
  return call_fail(name, std::move(args), ctx).message;
}

}  // namespace skiff::parser::testing

namespace Catch {
template <>
struct StringMaker<skiff::parser::Value> {
  static std::string convert(const skiff::parser::Value& value) { return value.debug_string(); }
};
}  // namespace Catch
