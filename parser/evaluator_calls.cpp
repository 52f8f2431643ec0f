// Function calls through Nomad's function table, plus the three special
// forms the table cannot express: can(expr) and try(expr, ...) look at
// whether evaluating an expression fails, and convert(value, type) takes a
// type expression, not a value. Two more, from Terraform, set and clear
// sensitive marks, which no function of the table sees: sensitive(value) and
// nonsensitive(value). A function's result is sensitive when any of its
// arguments holds a sensitive value, and its error messages do not quote them.
#include "parser/did_you_mean.hpp"
#include "parser/evaluator.hpp"
#include "parser/sensitive.hpp"

namespace skiff::parser::detail {

Value Evaluator::eval_call(const Expr& expr, const Scope* scope) {
  if (expr.name == "can") return eval_can(expr, scope);
  if (expr.name == "try") return eval_try(expr, scope);
  if (expr.name == "convert") return eval_convert(expr, scope);
  if (expr.name == "sensitive" || expr.name == "nonsensitive") return eval_sensitive(expr, scope);
  const FunctionDef* function = find_function(expr.name);
  if (!function) {
    std::vector<std::string> names = function_names();
    names.insert(names.end(), {"can", "try", "convert", "sensitive", "nonsensitive"});
    error(expr.range, "call to unknown function \"" + expr.name + "\"" + did_you_mean_suffix(expr.name, names));
    return Value();
  }
  std::vector<Value> args;
  std::vector<SourceRange> ranges;
  bool failed = false;
  for (size_t i = 0; i < expr.items.size(); ++i) {
    size_t before = diagnostics_->error_count();
    Value value = eval(*expr.items[i], scope);
    failed = failed || diagnostics_->error_count() > before;
    bool expand = expr.expand_final_argument && i + 1 == expr.items.size();
    if (expand && value.is_list()) {
      for (const Value& item : value.as_list()) {
        args.push_back(item);
        ranges.push_back(expr.items[i]->range);
      }
      continue;
    }
    if (expand && !value.is_unknown()) {
      error(expr.items[i]->range, "invalid expanding argument: \"...\" needs a list, set or tuple, not " + type_name(value));
      return Value();
    }
    args.push_back(value);
    ranges.push_back(expr.items[i]->range);
  }
  if (failed) return Value();
  std::string arity = function->variadic ? "at least " + std::to_string(function->min_args)
      : function->min_args == function->max_args
      ? std::to_string(function->min_args)
      : std::to_string(function->min_args) + " to " + std::to_string(function->max_args);
  if (args.size() < function->min_args || (!function->variadic && args.size() > function->max_args)) {
    error(expr.range,
          "function \"" + expr.name + "\" takes " + arity + " argument" + (arity == "1" ? "" : "s") + ", not " +
              std::to_string(args.size()));
    return Value();
  }
  for (const Value& arg : args)
    if (arg.contains_unknown() && !function->accepts_unknown) return unknown_of(expr);
  std::set<std::string> secrets;
  for (const Value& arg : args) collect_sensitive_texts(arg, secrets);
  bool sensitive = false;
  for (const Value& arg : args) sensitive = sensitive || arg.contains_sensitive();
  FunctionResult<Value> result = function->call(args, function_context_);
  if (auto* failure = std::get_if<FunctionFailure>(&result)) {
    bool on_argument = failure->argument >= 0 && static_cast<size_t>(failure->argument) < ranges.size();
    std::string message = scrub_sensitive(failure->message, secrets);
    error(on_argument ? ranges[failure->argument] : expr.range,
          on_argument ? "in call to " + expr.name + ": " + message : message);
    return Value();
  }
  return std::get<Value>(std::move(result)).marked(sensitive);
}

Value Evaluator::eval_can(const Expr& expr, const Scope* scope) {
  if (expr.items.size() != 1) {
    error(expr.range, "function \"can\" takes 1 argument, not " + std::to_string(expr.items.size()));
    return Value();
  }
  Diagnostics scratch;
  Diagnostics* previous = redirect(&scratch);
  Value value = eval(*expr.items[0], scope);
  redirect(previous);
  if (!scratch.has_errors() && value.contains_unknown()) return unknown_of(expr);
  return Value::boolean(!scratch.has_errors());
}

Value Evaluator::eval_try(const Expr& expr, const Scope* scope) {
  if (expr.items.empty()) {
    error(expr.range, "function \"try\" takes at least 1 argument, not 0");
    return Value();
  }
  for (const ExprPtr& item : expr.items) {
    Diagnostics scratch;
    Diagnostics* previous = redirect(&scratch);
    Value value = eval(*item, scope);
    redirect(previous);
    if (!scratch.has_errors()) return value.contains_unknown() ? unknown_of(expr) : value;
  }
  error(expr.range, "no expression given to \"try\" could be evaluated without errors");
  return Value();
}

Value Evaluator::eval_convert(const Expr& expr, const Scope* scope) {
  if (expr.items.size() != 2) {
    error(expr.range, "function \"convert\" takes 2 arguments, not " + std::to_string(expr.items.size()));
    return Value();
  }
  std::string problem;
  SourceRange problem_range;
  std::optional<TypeConstraint> type = parse_type_constraint(*expr.items[1], problem, problem_range);
  if (!type) {
    error(problem_range, problem);
    return Value();
  }
  Value value = eval(*expr.items[0], scope);
  if (value.contains_unknown()) return unknown_of(expr);
  std::optional<Value> converted = convert_to_type(value, *type, problem);
  if (!converted) {
    error(expr.items[0]->range, "in call to convert: cannot convert to " + type->describe() + ": " + problem);
    return Value();
  }
  return *converted;
}

// sensitive(value) marks its value; nonsensitive(value) removes every mark
// from it, for a value derived from a secret that may be shown (a digest).
Value Evaluator::eval_sensitive(const Expr& expr, const Scope* scope) {
  if (expr.items.size() != 1) {
    error(expr.range, "function \"" + expr.name + "\" takes 1 argument, not " + std::to_string(expr.items.size()));
    return Value();
  }
  Value value = eval(*expr.items[0], scope);
  return expr.name == "sensitive" ? value.marked() : value.without_marks();
}

}  // namespace skiff::parser::detail
