// Expressions: references, traversals, splats, collections, conditionals and
// `for` expressions. Any reference whose root is not `var`, `local` or a bound
// iterator is a runtime interpolation: it evaluates to an unknown value that
// carries its source text, and unknowns propagate through whatever contains them.
// Sensitive marks propagate too: an element of a marked collection, or one
// picked by a marked key, is marked; so is a conditional's result when its
// condition is, and a `for` expression's when its collection, a key or a
// filter is.
#include <algorithm>
#include <cmath>

#include "parser/did_you_mean.hpp"
#include "parser/evaluator.hpp"

namespace skiff::parser::detail {

// An expression that reported an error evaluates to an unknown value, which
// every enclosing expression passes on silently: one mistake, one message.
Value Evaluator::eval(const Expr& expr, const Scope* scope) {
  size_t errors = diagnostics_->error_count();
  Value value = eval_node(expr, scope);
  if (diagnostics_->error_count() > errors && !value.is_unknown()) return unknown_of(expr);
  return value;
}

Value Evaluator::eval_node(const Expr& expr, const Scope* scope) {
  switch (expr.kind) {
    case ExprKind::kLiteral: return expr.literal;
    case ExprKind::kTemplate: return eval_template(expr, scope);
    case ExprKind::kVariable: return eval_variable(expr, scope);
    case ExprKind::kGetAttr: return eval_get_attr(expr, scope);
    case ExprKind::kIndex: return eval_index(expr, scope);
    case ExprKind::kSplat: return eval_splat(expr, scope);
    case ExprKind::kTuple: return eval_tuple(expr, scope);
    case ExprKind::kObject: return eval_object(expr, scope);
    case ExprKind::kFunctionCall: return eval_call(expr, scope);
    case ExprKind::kUnary: return eval_unary(expr, scope);
    case ExprKind::kBinary: return eval_binary(expr, scope);
    case ExprKind::kConditional: return eval_conditional(expr, scope);
    case ExprKind::kForTuple:
    case ExprKind::kForObject: return eval_for(expr, scope);
    case ExprKind::kParens: return expr.operand ? eval(*expr.operand, scope) : Value();
  }
  return Value();
}

Value Evaluator::eval_variable(const Expr& expr, const Scope* scope) {
  if (scope) {
    if (const Value* bound = scope->find(expr.name)) return *bound;
  }
  if (expr.name == "var") {
    ValueMap all(variables_.begin(), variables_.end());
    return Value::object(std::move(all));
  }
  if (expr.name == "local") {
    ValueMap all;
    for (const auto& [name, slot] : locals_) all[name] = local_value(name, expr);
    return Value::object(std::move(all));
  }
  runtime_references_.push_back(RuntimeReference{expr.name, expr.name, file_, expr.range});
  return unknown_of(expr);
}

// `var.x` and `local.x` are resolved here so that an undeclared name is
// reported on its own range with a suggestion.
Value Evaluator::eval_get_attr(const Expr& expr, const Scope* scope) {
  const Expr& operand = *expr.operand;
  bool bound = scope && scope->find(operand.name);
  if (operand.kind == ExprKind::kVariable && !bound && operand.name == "var") {
    auto it = variables_.find(expr.name);
    if (it != variables_.end()) {
      if (poisoned_.count("var." + expr.name)) ++poisoned_uses_;
      return it->second;
    }
    std::vector<std::string> names;
    for (const auto& [name, value] : variable_decls_) names.push_back(name);
    error(expr.range,
          "reference to undeclared input variable \"" + expr.name + "\"" + did_you_mean_suffix(expr.name, names) +
              (names.empty() || did_you_mean(expr.name, names) ? ""
                                                               : "; declare it with a variable \"" + expr.name + "\" {} block"));
    return Value();
  }
  if (operand.kind == ExprKind::kVariable && !bound && operand.name == "local") return local_value(expr.name, expr);
  Value object = eval(operand, scope);
  if (object.is_unknown()) return unknown_of(expr);
  return attribute_of(object, expr.name, expr);
}

Value Evaluator::attribute_of(const Value& object, const std::string& name, const Expr& whole) {
  if (object.is_null()) {
    error(whole.range, "attempt to get attribute \"" + name + "\" from a null value");
    return Value();
  }
  if (!object.is_object()) {
    error(whole.range, "unsupported attribute \"" + name + "\": a " + type_name(object) + " has no attributes");
    return Value();
  }
  auto it = object.as_object().find(name);
  if (it == object.as_object().end()) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : object.as_object()) keys.push_back(key);
    error(whole.range,
          "unsupported attribute: this " + type_name(object) + " has no attribute named \"" + name + "\"" +
              did_you_mean_suffix(name, keys));
    return Value();
  }
  return it->second.marked(object.is_sensitive());
}

Value Evaluator::index_value(const Value& collection, const Value& key, const Expr& whole, SourceRange key_range) {
  if (collection.is_unknown() || key.is_unknown()) return unknown_of(whole);
  if (collection.is_null()) {
    error(whole.range, "attempt to index a null value");
    return Value();
  }
  if (collection.is_list()) {
    std::optional<double> n = to_number_value(key);
    if (!n || *n != std::floor(*n)) {
      error(key_range,
            "invalid index: a " + type_name(collection) + " is indexed by a whole number, not " +
                (key.is_sensitive() ? std::string(kSensitiveText) : key.debug_string()));
      return Value();
    }
    const ValueList& items = collection.as_list();
    if (*n < 0 || *n >= static_cast<double>(items.size())) {
      error(key_range,
            "invalid index: " + format_number(*n) + " is out of range for a " + type_name(collection) + " of " +
                std::to_string(items.size()) + " element" + (items.size() == 1 ? "" : "s"));
      return Value();
    }
    return items[static_cast<size_t>(*n)].marked(collection.is_sensitive() || key.is_sensitive());
  }
  if (collection.is_object()) {
    std::optional<std::string> name = to_string_value(key);
    if (!name) {
      error(key_range, "invalid index: a " + type_name(collection) + " is indexed by a string, not " + type_name(key));
      return Value();
    }
    auto it = collection.as_object().find(*name);
    if (it == collection.as_object().end()) {
      error(key_range,
            "invalid index: the given key \"" + (key.is_sensitive() ? std::string(kSensitiveText) : *name) +
                "\" does not identify an element of this " + type_name(collection));
      return Value();
    }
    return it->second.marked(collection.is_sensitive() || key.is_sensitive());
  }
  error(whole.range, "invalid index: a " + type_name(collection) + " cannot be indexed");
  return Value();
}

Value Evaluator::eval_index(const Expr& expr, const Scope* scope) {
  Value collection = eval(*expr.operand, scope);
  Value key = eval(*expr.index, scope);
  return index_value(collection, key, expr, expr.index->range);
}

Value Evaluator::apply_step(const Value& value, const TraversalStep& step, const Expr& whole, const Scope* scope) {
  if (!step.is_index) return attribute_of(value, step.name, whole);
  return index_value(value, eval(*step.index, scope), whole, step.range);
}

// `xs[*].a` and `xs.*.a`: the steps apply to each element. A null source is
// an empty tuple and a single non-list value is treated as a one-element
// tuple, as HCL does.
Value Evaluator::eval_splat(const Expr& expr, const Scope* scope) {
  Value source = eval(*expr.operand, scope);
  if (source.is_unknown()) return unknown_of(expr);
  if (source.is_null()) return Value::list({});
  ValueList elements = source.is_list() ? source.as_list() : ValueList{source};
  ValueList out;
  for (const Value& element : elements) {
    Value current = element;
    for (const TraversalStep& step : expr.splat_steps) {
      if (current.is_unknown()) break;
      current = apply_step(current, step, expr, scope);
    }
    out.push_back(current.is_unknown() ? unknown_of(expr) : current);
  }
  return Value::list(std::move(out), source.is_list() ? source.list_flavour() : ListFlavour::kTuple)
      .marked(source.is_sensitive());
}

Value Evaluator::eval_tuple(const Expr& expr, const Scope* scope) {
  ValueList items;
  for (const ExprPtr& item : expr.items) items.push_back(eval(*item, scope));
  return Value::list(std::move(items));
}

Value Evaluator::eval_object(const Expr& expr, const Scope* scope) {
  ValueMap items;
  std::map<std::string, SourceRange> seen;
  bool marked_key = false;  // a key cannot carry a mark: the whole object does
  for (const ObjectItem& item : expr.object_items) {
    std::string key;
    if (item.key_is_identifier) {
      key = item.key->name;
    } else {
      Value key_value = eval(*item.key, scope);
      if (key_value.is_unknown()) return unknown_of(expr);
      std::optional<std::string> text = to_string_value(key_value);
      if (!text) {
        error(item.key->range, "invalid object key: a string is required, not " + type_name(key_value));
        continue;
      }
      key = *text;
      marked_key = marked_key || key_value.contains_sensitive();
    }
    if (seen.count(key)) {
      error(item.key->range,
            "duplicate object key \"" + key + "\" (first set at line " + std::to_string(seen[key].begin.line) + ")");
      continue;
    }
    seen[key] = item.key->range;
    items[key] = eval(*item.value, scope);
  }
  return Value::object(std::move(items)).marked(marked_key);
}

Value Evaluator::eval_conditional(const Expr& expr, const Scope* scope) {
  Value condition = eval(*expr.condition, scope);
  if (condition.is_unknown()) return unknown_of(expr);
  std::optional<bool> truth = to_bool_value(condition);
  if (!truth) {
    error(expr.condition->range, "invalid condition: a bool is required, not " + type_name(condition));
    return Value();
  }
  return eval(*(*truth ? expr.lhs : expr.rhs), scope).marked(condition.contains_sensitive());
}

Value Evaluator::eval_for(const Expr& expr, const Scope* scope) {
  Value collection = eval(*expr.collection, scope);
  if (collection.is_unknown()) return unknown_of(expr);
  if (!collection.is_collection()) {
    error(expr.collection->range, "a for expression iterates over a list, set, map or object, not " + type_name(collection));
    return Value();
  }
  std::vector<std::pair<Value, Value>> elements;
  if (collection.is_list()) {
    for (size_t i = 0; i < collection.as_list().size(); ++i)
      elements.emplace_back(Value::number(static_cast<double>(i)), collection.as_list()[i]);
  } else {
    for (const auto& [key, value] : collection.as_object()) elements.emplace_back(Value::string(key), value);
  }
  ValueList tuple;
  std::map<std::string, ValueList> grouped;
  ValueMap object;
  bool marked = collection.is_sensitive();
  for (const auto& [key, value] : elements) {
    Scope inner{scope, {}};
    if (!expr.key_var.empty()) inner.names[expr.key_var] = key.marked(collection.is_sensitive());
    inner.names[expr.value_var] = value.marked(collection.is_sensitive());
    if (expr.condition) {
      Value keep = eval(*expr.condition, &inner);
      if (keep.is_unknown()) return unknown_of(expr);
      std::optional<bool> truth = to_bool_value(keep);
      if (!truth) {
        error(expr.condition->range, "invalid for condition: a bool is required, not " + type_name(keep));
        return Value();
      }
      marked = marked || keep.contains_sensitive();
      if (!*truth) continue;
    }
    if (expr.kind == ExprKind::kForTuple) {
      tuple.push_back(eval(*expr.for_value, &inner));
      continue;
    }
    Value key_value = eval(*expr.for_key, &inner);
    if (key_value.is_unknown()) return unknown_of(expr);
    std::optional<std::string> name = to_string_value(key_value);
    if (!name) {
      error(expr.for_key->range, "invalid object key: a string is required, not " + type_name(key_value));
      return Value();
    }
    marked = marked || key_value.contains_sensitive();
    Value item = eval(*expr.for_value, &inner);
    if (expr.group) {
      grouped[*name].push_back(item);
    } else if (object.count(*name)) {
      error(expr.for_key->range,
            "duplicate object key \"" + *name + "\" in for expression; add \"...\" after the value to group values by key");
      return Value();
    } else {
      object[*name] = item;
    }
  }
  if (expr.kind == ExprKind::kForTuple) return Value::list(std::move(tuple)).marked(marked);
  if (expr.group) {
    for (auto& [key, values] : grouped) object[key] = Value::list(std::move(values));
  }
  return Value::object(std::move(object)).marked(marked);
}

Value materialize_unknowns(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kUnknown: return Value::string("${" + value.as_string() + "}");
    case ValueKind::kList: {
      if (!value.contains_unknown()) return value;
      ValueList items;
      for (const Value& item : value.as_list()) items.push_back(materialize_unknowns(item));
      return Value::list(std::move(items), value.list_flavour()).marked(value.is_sensitive());
    }
    case ValueKind::kObject: {
      if (!value.contains_unknown()) return value;
      ValueMap items;
      for (const auto& [key, item] : value.as_object()) items[key] = materialize_unknowns(item);
      return Value::object(std::move(items), value.object_flavour()).marked(value.is_sensitive());
    }
    default: return value;
  }
}

}  // namespace skiff::parser::detail
