// String templates: literal parts, `${...}` interpolations and `%{if}` /
// `%{for}` directives. A runtime interpolation is written back exactly as it
// stands in the source, so `"${NOMAD_ALLOC_ID}-x"` stays that string. A
// template into which a sensitive value went (interpolated, or deciding an
// `%{if}`, or iterated by a `%{for}`) is sensitive as a whole.
#include "parser/evaluator.hpp"

namespace skiff::parser::detail {

namespace {

bool is_single_interpolation(const Expr& expr) {
  return expr.parts.size() == 1 && expr.parts[0].kind == TemplatePart::Kind::kInterpolation && !expr.heredoc;
}

}  // namespace

Value Evaluator::eval_template(const Expr& expr, const Scope* scope) {
  // "${x}" alone yields x itself, not its string form, as in HCL.
  if (is_single_interpolation(expr) && expr.parts[0].expr) {
    Value value = eval(*expr.parts[0].expr, scope);
    if (value.is_unknown()) return Value::unknown(source_text(*file_, *expr.parts[0].expr));
    return value;
  }
  std::string out;
  bool sensitive = false;
  if (!render_parts(expr.parts, scope, out, sensitive)) return Value();
  return Value::string(std::move(out)).marked(sensitive);
}

// Appends the rendered parts to `out`; false after reporting an error.
bool Evaluator::render_parts(const std::vector<TemplatePart>& parts, const Scope* scope, std::string& out, bool& sensitive) {
  for (const TemplatePart& part : parts) {
    switch (part.kind) {
      case TemplatePart::Kind::kLiteral: out += part.literal; break;
      case TemplatePart::Kind::kInterpolation: {
        if (!part.expr) return false;
        Value value = eval(*part.expr, scope);
        sensitive = sensitive || value.contains_sensitive();
        if (value.contains_unknown()) {
          out += file_->slice(part.range);
          break;
        }
        std::optional<std::string> text = to_string_value(value);
        if (!text) {
          error(part.expr->range,
                value.is_null() ? "invalid template interpolation: the value is null"
                                : "invalid template interpolation: cannot include a " + type_name(value) + " in a string");
          return false;
        }
        out += *text;
        break;
      }
      case TemplatePart::Kind::kIf: {
        if (!part.expr) return false;
        Value condition = eval(*part.expr, scope);
        sensitive = sensitive || condition.contains_sensitive();
        if (condition.is_unknown()) {
          out += file_->slice(part.range);
          break;
        }
        std::optional<bool> truth = to_bool_value(condition);
        if (!truth) {
          error(part.expr->range, "invalid %{if} condition: a bool is required, not " + type_name(condition));
          return false;
        }
        if (!render_parts(*truth ? part.then_parts : part.else_parts, scope, out, sensitive)) return false;
        break;
      }
      case TemplatePart::Kind::kFor: {
        if (!part.expr) return false;
        Value collection = eval(*part.expr, scope);
        sensitive = sensitive || collection.contains_sensitive();
        if (collection.contains_unknown()) {
          out += file_->slice(part.range);
          break;
        }
        if (!collection.is_collection()) {
          error(part.expr->range, "%{for} iterates over a list, set, map or object, not " + type_name(collection));
          return false;
        }
        auto body = [&](Value key, const Value& value) {
          Scope inner{scope, {}};
          if (!part.key_var.empty()) inner.names[part.key_var] = std::move(key);
          inner.names[part.value_var] = value;
          return render_parts(part.then_parts, &inner, out, sensitive);
        };
        if (collection.is_list()) {
          for (size_t i = 0; i < collection.as_list().size(); ++i)
            if (!body(Value::number(static_cast<double>(i)), collection.as_list()[i])) return false;
        } else {
          for (const auto& [key, value] : collection.as_object())
            if (!body(Value::string(key), value)) return false;
        }
        break;
      }
    }
  }
  return true;
}

}  // namespace skiff::parser::detail
