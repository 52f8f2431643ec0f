// `variable` blocks and `locals`. A variable's value comes from, last wins:
// its default, NOMAD_VAR_<name> in the environment, -var-file files in
// order, then -var flags in order (Nomad's precedence). Locals are evaluated
// on first use, so their order in the file does not matter, and a cycle is
// reported with the whole chain.
#include <algorithm>

#include "parser/did_you_mean.hpp"
#include "parser/evaluator.hpp"
#include "parser/sensitive.hpp"

namespace skiff::parser::detail {

namespace {

const std::vector<std::string> kVariableAttributes = {"type", "default", "description", "sensitive"};

std::vector<std::string> keys_of(const std::map<std::string, VariableDecl>& decls) {
  std::vector<std::string> out;
  for (const auto& [name, decl] : decls) out.push_back(name);
  return out;
}

}  // namespace

void Evaluator::declare_variables(const Body& body) {
  for (const Block& block : body.blocks) {
    if (block.type != "variable") continue;
    if (block.labels.size() != 1) {
      error(block.type_range, "a variable block needs exactly one label, its name: variable \"name\" { ... }");
      continue;
    }
    const std::string& name = block.labels[0];
    if (variable_decls_.count(name)) {
      error(block.label_ranges[0],
            "variable \"" + name + "\" is declared twice (first at line " +
                std::to_string(variable_decls_[name].range.begin.line) + ")");
      continue;
    }
    VariableDecl decl{name, block.label_ranges[0], std::nullopt, "", nullptr, {}, false};
    for (const Attribute& attribute : block.body->attributes) {
      if (attribute.name == "type") {
        std::string problem;
        SourceRange problem_range;
        decl.type = parse_type_constraint(*attribute.expr, problem, problem_range);
        decl.type_text = source_text(*file_, *attribute.expr);
        if (!decl.type) error(problem_range, problem);
      } else if (attribute.name == "default") {
        decl.default_expr = attribute.expr;
      } else if (attribute.name == "sensitive") {
        Value flag = eval(*attribute.expr, nullptr);
        if (!flag.is_bool()) error(attribute.expr->range, "sensitive must be true or false, not " + type_name(flag));
        decl.sensitive = flag.is_bool() && flag.as_bool();
      } else if (attribute.name != "description") {
        error(attribute.name_range,
              "unknown attribute \"" + attribute.name + "\" in variable \"" + name + "\"" +
                  did_you_mean_suffix(attribute.name, kVariableAttributes));
      }
    }
    for (const Block& inner : block.body->blocks) {
      if (inner.type == "validation") decl.validations.push_back(&inner);
      else
        error(inner.type_range,
              "unknown block \"" + inner.type + "\" in variable \"" + name + "\"; only validation blocks belong here");
    }
    variable_decls_[name] = std::move(decl);
  }
}

// A -var or NOMAD_VAR_ value: taken as a plain string for a string (or
// untyped) variable, otherwise read as an HCL expression, as Nomad does.
Value Evaluator::parse_cli_value(const std::string& name, const std::string& text, const VariableDecl& decl,
                                 const std::string& origin) {
  if (!decl.type || decl.type->kind == TypeConstraint::Kind::kString || decl.type->kind == TypeConstraint::Kind::kAny) {
    return Value::string(text);
  }
  Diagnostics parse_diagnostics;
  SyntaxFile syntax = parse_hcl(origin, name + " = " + text + "\n", parse_diagnostics);
  // A sensitive value is never quoted back, not even when it is malformed.
  const std::string shown = decl.sensitive ? std::string(kSensitiveText) : text;
  if (parse_diagnostics.has_errors() || syntax.body.attributes.size() != 1) {
    error_in(nullptr, {},
             "invalid value for variable \"" + name + "\" from " + origin + ": " + shown + " is not a valid " +
                 decl.type->describe() + " expression");
    return Value();
  }
  // Its own messages would quote the value's text as their source line.
  Diagnostics hidden;
  Evaluator nested(syntax.file, options_, decl.sensitive ? hidden : *diagnostics_);
  Value value = nested.eval(*syntax.body.attributes[0].expr, nullptr);
  if (hidden.has_errors()) {
    error_in(
        nullptr, {},
        "invalid value for variable \"" + name + "\" from " + origin + ": " + shown + " is not a valid " + decl.type->describe());
    return Value();
  }
  // A bare word like `x` would otherwise survive as a runtime reference;
  // Nomad takes only literal values here ("Variables not allowed").
  if (value.contains_unknown()) {
    error_in(nullptr, {},
             "invalid value for variable \"" + name + "\" from " + origin + ": " + shown + " is not a valid " +
                 decl.type->describe() + " (a literal value is expected; quote a string)");
    poisoned_.insert("var." + name);
    return Value::unknown("var." + name);
  }
  return value;
}

void Evaluator::read_var_file(const std::string& path, std::map<std::string, std::pair<Value, Diagnostic>>& out) {
  Result<std::string> text = options_.env->read_file(path);
  if (!text.ok()) {
    error_in(nullptr, {}, "reading -var-file " + path + ": " + text.error().message);
    return;
  }
  Diagnostics parse_diagnostics;
  SyntaxFile syntax = parse_hcl(path, *text, parse_diagnostics, SourceText::kHidden);
  diagnostics_->append(parse_diagnostics);
  if (parse_diagnostics.has_errors()) return;
  for (const Block& block : syntax.body.blocks) {
    diagnostics_->error(syntax.file, block.type_range, "a var file holds only name = value assignments, not blocks");
  }
  Evaluator nested(syntax.file, options_, *diagnostics_);
  for (const Attribute& attribute : syntax.body.attributes) {
    Diagnostic where{Severity::kError, syntax.file, attribute.name_range, ""};
    if (!variable_decls_.count(attribute.name)) {
      where.message = "value for undeclared variable \"" + attribute.name + "\"" +
          did_you_mean_suffix(attribute.name, keys_of(variable_decls_)) + "; declare it with a variable \"" + attribute.name +
          "\" {} block in the job file";
      diagnostics_->add(where);
      continue;
    }
    out[attribute.name] = {nested.eval(*attribute.expr, nullptr), where};
  }
}

void Evaluator::assign_variables() {
  std::map<std::string, std::pair<Value, Diagnostic>> from_files;
  for (const std::string& path : options_.var_files) read_var_file(path, from_files);
  std::map<std::string, std::string> from_flags;
  for (const auto& [name, text] : options_.cli_vars) {
    if (!variable_decls_.count(name)) {
      error_in(nullptr, {},
               "-var " + name + "=...: no variable \"" + name + "\" is declared" +
                   did_you_mean_suffix(name, keys_of(variable_decls_)));
      continue;
    }
    from_flags[name] = text;
  }
  for (const auto& [name, decl] : variable_decls_) {
    std::optional<Value> value;
    if (decl.default_expr) value = eval(*decl.default_expr, nullptr);
    if (options_.use_environment_variables && options_.env) {
      if (auto text = options_.env->getenv("NOMAD_VAR_" + name))
        value = parse_cli_value(name, *text, decl, "environment variable NOMAD_VAR_" + name);
    }
    if (from_files.count(name)) value = from_files[name].first;
    if (from_flags.count(name)) value = parse_cli_value(name, from_flags[name], decl, "-var " + name);
    if (!value) {
      error(decl.range,
            "variable \"" + name + "\" has no value: give it a default, or set it with -var " + name +
                "=..., a -var-file, or NOMAD_VAR_" + name);
      // Unknown rather than null, so that its uses do not each report again.
      variables_[name] = Value::unknown("var." + name);
      poisoned_.insert("var." + name);
      continue;
    }
    if (decl.type && !value->contains_unknown()) {
      std::string problem;
      std::optional<Value> converted = convert_to_type(*value, *decl.type, problem);
      if (!converted) {
        error(decl.range, "invalid value for variable \"" + name + "\": " + problem + " (type " + decl.type->describe() + ")");
        value = Value::unknown("var." + name);  // reported once, not again at every use
        poisoned_.insert("var." + name);
      } else {
        value = *converted;
      }
    }
    variables_[name] = value->marked(decl.sensitive);
  }
}

void Evaluator::validate_variables() {
  for (const auto& [name, decl] : variable_decls_) {
    for (const Block* validation : decl.validations) {
      const Attribute* condition = nullptr;
      const Attribute* message = nullptr;
      for (const Attribute& attribute : validation->body->attributes) {
        if (attribute.name == "condition") condition = &attribute;
        else if (attribute.name == "error_message") message = &attribute;
        else
          error(attribute.name_range,
                "unknown attribute \"" + attribute.name + "\" in validation; expected condition or error_message");
      }
      if (!condition || !message) {
        error(validation->type_range, "a validation block needs both condition and error_message");
        continue;
      }
      Value ok = eval(*condition->expr, nullptr);
      if (ok.is_unknown()) continue;
      std::optional<bool> truth = to_bool_value(ok);
      if (truth && *truth) continue;
      Value text = eval(*message->expr, nullptr);
      std::string reason = text.is_string() ? text.as_string() : "the condition is not true";
      std::set<std::string> secrets;
      collect_sensitive_texts(text, secrets);
      for (const auto& [other, value] : variables_) collect_sensitive_texts(value, secrets);
      reason = scrub_sensitive(reason, secrets);
      error(condition->expr->range,
            truth ? "invalid value for variable \"" + name + "\": " + reason
                  : "validation condition for variable \"" + name + "\" must be a bool, not " + type_name(ok));
    }
  }
}

void Evaluator::declare_locals(const Body& body) {
  for (const Block& block : body.blocks) {
    if (block.type != "locals") continue;
    if (!block.labels.empty()) error(block.label_ranges[0], "a locals block takes no labels");
    for (const Block& inner : block.body->blocks) error(inner.type_range, "a locals block holds only name = value assignments");
    for (const Attribute& attribute : block.body->attributes) {
      auto it = locals_.find(attribute.name);
      if (it != locals_.end()) {
        error(attribute.name_range,
              "local value \"" + attribute.name + "\" is defined twice (first at line " +
                  std::to_string(it->second.name_range.begin.line) + ")");
        continue;
      }
      locals_[attribute.name] = LocalSlot{attribute.expr, file_, attribute.name_range, LocalSlot::State::kPending, Value()};
    }
  }
}

Value Evaluator::local_value(const std::string& name, const Expr& at) {
  auto it = locals_.find(name);
  if (it == locals_.end()) {
    std::vector<std::string> names;
    for (const auto& [local, slot] : locals_) names.push_back(local);
    error(at.range, "reference to undeclared local value \"" + name + "\"" + did_you_mean_suffix(name, names));
    return Value();
  }
  LocalSlot& slot = it->second;
  if (poisoned_.count("local." + name)) ++poisoned_uses_;
  if (slot.state == LocalSlot::State::kDone) return slot.value;
  if (slot.state == LocalSlot::State::kEvaluating) {
    auto first = std::find(local_stack_.begin(), local_stack_.end(), name);
    std::string chain;
    for (auto step = first; step != local_stack_.end(); ++step) chain += "local." + *step + " -> ";
    error(slot.name_range, "cycle in local values: " + chain + "local." + name);
    return Value();
  }
  slot.state = LocalSlot::State::kEvaluating;
  local_stack_.push_back(name);
  size_t errors = diagnostics_->error_count();
  Value value = eval(*slot.expr, nullptr);
  local_stack_.pop_back();
  if (diagnostics_->error_count() > errors) {
    poisoned_.insert("local." + name);
    ++poisoned_uses_;
  }
  // A cycle reported above leaves the slot evaluating; settle it as null.
  LocalSlot& settled = locals_.at(name);
  settled.value = value;
  settled.state = LocalSlot::State::kDone;
  return value;
}

}  // namespace skiff::parser::detail
