// Internal to parser/: the evaluator's state shared by its files
// (evaluator_expressions.cpp, _templates, _operators, _calls, _variables,
// _bodies.cpp).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "parser/eval.hpp"
#include "parser/functions.hpp"
#include "parser/variable_types.hpp"

namespace skiff::parser::detail {

// Names bound by `for` expressions, template `%{for}` and `dynamic` iterators.
struct Scope {
  const Scope* parent = nullptr;
  std::map<std::string, Value> names;

  const Value* find(const std::string& name) const {
    for (const Scope* s = this; s; s = s->parent) {
      auto it = s->names.find(name);
      if (it != s->names.end()) return &it->second;
    }
    return nullptr;
  }
};

struct LocalSlot {
  ExprPtr expr;
  SourceFilePtr file;
  SourceRange name_range;
  enum class State { kPending, kEvaluating, kDone } state = State::kPending;
  Value value;
};

struct VariableDecl {
  std::string name;
  SourceRange range;
  std::optional<TypeConstraint> type;
  std::string type_text;
  ExprPtr default_expr;
  std::vector<const Block*> validations;
  // `sensitive = true`: its value is marked (value.hpp), wherever it comes from.
  bool sensitive = false;
};

class Evaluator {
 public:
  Evaluator(SourceFilePtr file, const EvalOptions& options, Diagnostics& diagnostics);

  EvaluatedFile evaluate(const SyntaxFile& syntax);

  // Expressions (evaluator_expressions.cpp).
  Value eval(const Expr& expr, const Scope* scope);

 private:
  Value eval_node(const Expr& expr, const Scope* scope);
  // An attribute's value for the evaluated body: unknowns written back as
  // "${...}", and null with `failed` set when evaluating it reported errors.
  EvalAttribute eval_attribute(const Attribute& attribute, const Scope* scope);
  friend class EvalAccess;
  Value eval_variable(const Expr& expr, const Scope* scope);
  Value eval_get_attr(const Expr& expr, const Scope* scope);
  Value eval_index(const Expr& expr, const Scope* scope);
  Value eval_splat(const Expr& expr, const Scope* scope);
  Value eval_tuple(const Expr& expr, const Scope* scope);
  Value eval_object(const Expr& expr, const Scope* scope);
  Value eval_conditional(const Expr& expr, const Scope* scope);
  Value eval_for(const Expr& expr, const Scope* scope);
  Value apply_step(const Value& value, const TraversalStep& step, const Expr& whole, const Scope* scope);
  Value index_value(const Value& collection, const Value& key, const Expr& whole, SourceRange key_range);
  Value attribute_of(const Value& object, const std::string& name, const Expr& whole);

  // Templates (evaluator_templates.cpp).
  Value eval_template(const Expr& expr, const Scope* scope);
  // `sensitive` is set when a marked value reached the output.
  bool render_parts(const std::vector<TemplatePart>& parts, const Scope* scope, std::string& out, bool& sensitive);

  // Operators (evaluator_operators.cpp).
  Value eval_unary(const Expr& expr, const Scope* scope);
  Value eval_binary(const Expr& expr, const Scope* scope);
  Value eval_unary_of(const Expr& expr, const Value& operand);
  Value eval_binary_of(const Expr& expr, const Value& lhs, const Value& rhs);

  // Function calls and special forms (evaluator_calls.cpp).
  Value eval_call(const Expr& expr, const Scope* scope);
  Value eval_can(const Expr& expr, const Scope* scope);
  Value eval_try(const Expr& expr, const Scope* scope);
  Value eval_convert(const Expr& expr, const Scope* scope);
  Value eval_sensitive(const Expr& expr, const Scope* scope);

  // Variables and locals (evaluator_variables.cpp).
  void declare_variables(const Body& body);
  void assign_variables();
  void validate_variables();
  void declare_locals(const Body& body);
  Value local_value(const std::string& name, const Expr& at);
  Value parse_cli_value(const std::string& name, const std::string& text, const VariableDecl& decl, const std::string& origin);
  void read_var_file(const std::string& path, std::map<std::string, std::pair<Value, Diagnostic>>& out);

  // Bodies and dynamic blocks (evaluator_bodies.cpp).
  EvalBody eval_body(const Body& body, const Scope* scope, SourceFilePtr file);
  void eval_dynamic(const Block& block, const Scope* scope, EvalBody& out);
  EvalBody eval_top_level(const Body& body);

 public:
  // Helpers shared by the files.
  Value unknown_of(const Expr& expr) const { return Value::unknown(source_text(*file_, expr)); }
  void error(const SourceRange& range, std::string message) { diagnostics_->error(file_, range, std::move(message)); }
  void error_in(const SourceFilePtr& file, const SourceRange& range, std::string message) {
    diagnostics_->error(file, range, std::move(message));
  }
  const SourceFilePtr& file() const { return file_; }
  Diagnostics& diagnostics() { return *diagnostics_; }
  // Swaps in another sink (for can/try) and returns the previous one.
  Diagnostics* redirect(Diagnostics* sink) {
    Diagnostics* previous = diagnostics_;
    diagnostics_ = sink;
    return previous;
  }

 private:
  SourceFilePtr file_;
  const EvalOptions& options_;
  Diagnostics* diagnostics_;
  FunctionContext function_context_;
  std::map<std::string, VariableDecl> variable_decls_;
  std::map<std::string, Value> variables_;
  std::map<std::string, LocalSlot> locals_;
  std::vector<std::string> local_stack_;  // for cycle messages
  // Variables and locals whose value could not be determined (already
  // reported). A use marks the enclosing attribute failed, so the mistake is
  // reported once rather than again by every decoder downstream.
  std::set<std::string> poisoned_;
  size_t poisoned_uses_ = 0;
  std::vector<RuntimeReference> runtime_references_;
};

// Replaces every unknown value inside `value` with the string "${text}",
// as the final body holds them.
Value materialize_unknowns(const Value& value);

}  // namespace skiff::parser::detail
