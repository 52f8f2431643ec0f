// Unary and binary operators with HCL's conversions: arithmetic and ordering
// take numbers (a numeric string converts), logic takes bools, and `==`
// compares values as they are (1 == "1" is false). The result of an
// operator with a sensitive operand is sensitive.
#include <cmath>

#include "parser/evaluator.hpp"

namespace skiff::parser::detail {

namespace {

const char* symbol_of(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kEq: return "==";
    case BinaryOp::kNotEq: return "!=";
    case BinaryOp::kLess: return "<";
    case BinaryOp::kLessEq: return "<=";
    case BinaryOp::kGreater: return ">";
    case BinaryOp::kGreaterEq: return ">=";
    case BinaryOp::kAnd: return "&&";
    case BinaryOp::kOr: return "||";
  }
  return "?";
}

}  // namespace

Value Evaluator::eval_unary(const Expr& expr, const Scope* scope) {
  Value operand = eval(*expr.operand, scope);
  if (operand.is_unknown()) return unknown_of(expr);
  return eval_unary_of(expr, operand).marked(operand.contains_sensitive());
}

Value Evaluator::eval_unary_of(const Expr& expr, const Value& operand) {
  if (expr.unary_op == UnaryOp::kNot) {
    std::optional<bool> b = to_bool_value(operand);
    if (!b) {
      error(expr.operand->range, "invalid operand for \"!\": a bool is required, not " + type_name(operand));
      return Value();
    }
    return Value::boolean(!*b);
  }
  std::optional<double> n = to_number_value(operand);
  if (!n) {
    error(expr.operand->range, "invalid operand for \"-\": a number is required, not " + type_name(operand));
    return Value();
  }
  return Value::number(-*n);
}

Value Evaluator::eval_binary(const Expr& expr, const Scope* scope) {
  Value lhs = eval(*expr.lhs, scope);
  Value rhs = eval(*expr.rhs, scope);
  if (lhs.is_unknown() || rhs.is_unknown()) return unknown_of(expr);
  return eval_binary_of(expr, lhs, rhs).marked(lhs.contains_sensitive() || rhs.contains_sensitive());
}

Value Evaluator::eval_binary_of(const Expr& expr, const Value& lhs, const Value& rhs) {
  BinaryOp op = expr.binary_op;
  if (op == BinaryOp::kEq) return Value::boolean(lhs == rhs);
  if (op == BinaryOp::kNotEq) return Value::boolean(lhs != rhs);
  if (op == BinaryOp::kAnd || op == BinaryOp::kOr) {
    std::optional<bool> a = to_bool_value(lhs), b = to_bool_value(rhs);
    if (!a || !b) {
      const Expr& bad = a ? *expr.rhs : *expr.lhs;
      error(bad.range,
            std::string("invalid operand for \"") + symbol_of(op) + "\": a bool is required, not " + type_name(a ? rhs : lhs));
      return Value();
    }
    return Value::boolean(op == BinaryOp::kAnd ? (*a && *b) : (*a || *b));
  }
  std::optional<double> a = to_number_value(lhs), b = to_number_value(rhs);
  if (!a || !b) {
    const Expr& bad = a ? *expr.rhs : *expr.lhs;
    error(bad.range,
          std::string("invalid operand for \"") + symbol_of(op) + "\": a number is required, not " + type_name(a ? rhs : lhs));
    return Value();
  }
  switch (op) {
    case BinaryOp::kAdd: return Value::number(*a + *b);
    case BinaryOp::kSub: return Value::number(*a - *b);
    case BinaryOp::kMul: return Value::number(*a * *b);
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      if (*b == 0) {
        error(expr.rhs->range, op == BinaryOp::kDiv ? "division by zero" : "modulo by zero");
        return Value();
      }
      return Value::number(op == BinaryOp::kDiv ? *a / *b : std::fmod(*a, *b));
    case BinaryOp::kLess: return Value::boolean(*a < *b);
    case BinaryOp::kLessEq: return Value::boolean(*a <= *b);
    case BinaryOp::kGreater: return Value::boolean(*a > *b);
    case BinaryOp::kGreaterEq: return Value::boolean(*a >= *b);
    default: return Value();
  }
}

}  // namespace skiff::parser::detail
