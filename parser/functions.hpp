// The HCL function table: exactly the functions of Nomad's job parser
// (jobspec2/functions.go), with go-cty's semantics, no extras, so that a job
// file that works in skiff also works in Nomad.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "parser/environment.hpp"
#include "parser/value.hpp"

namespace skiff::parser {

// What a function may use besides its arguments.
struct FunctionContext {
  const Environment* env = nullptr;
  // The directory of the file being evaluated: relative paths in file(),
  // fileset(), ... resolve against it.
  std::string base_dir;
  // File functions refuse paths outside this directory tree (the job's
  // directory). Empty means base_dir.
  std::string root_dir;
};

// An argument error names the argument: the evaluator turns
// FunctionError{arg_index, message} into a diagnostic on that argument.
struct FunctionFailure {
  int argument = -1;  // -1: the call as a whole
  std::string message;
};

template <typename T>
using FunctionResult = std::variant<T, FunctionFailure>;

struct FunctionDef {
  std::string name;
  size_t min_args = 0;
  size_t max_args = 0;  // ignored when variadic
  bool variadic = false;
  // Whether the function is called with unknown arguments; most return an
  // unknown result instead (the evaluator handles that). `can`/`try` are
  // special forms handled by the evaluator, not listed here.
  bool accepts_unknown = false;
  std::function<FunctionResult<Value>(std::span<const Value> args, const FunctionContext& ctx)> call;
};

// The table, by name. Null when the name is not a function Nomad knows.
const FunctionDef* find_function(const std::string& name);
// Every name, sorted (for did-you-mean suggestions).
std::vector<std::string> function_names();

}  // namespace skiff::parser
