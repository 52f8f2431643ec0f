// Bodies: attributes evaluated, blocks recursed into, `dynamic` blocks
// expanded in place; and the evaluator's entry points.
#include <filesystem>

#include "parser/evaluator.hpp"

namespace skiff::parser {

const EvalAttribute* EvalBody::attribute(const std::string& name) const {
  for (const EvalAttribute& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

std::vector<const EvalBlock*> EvalBody::blocks_of(const std::string& type) const {
  std::vector<const EvalBlock*> out;
  for (const EvalBlock& b : blocks)
    if (b.type == type) out.push_back(&b);
  return out;
}

namespace detail {

Evaluator::Evaluator(SourceFilePtr file, const EvalOptions& options, Diagnostics& diagnostics)
    : file_(std::move(file)), options_(options), diagnostics_(&diagnostics) {
  function_context_.env = options.env;
  std::filesystem::path path(file_->path());
  function_context_.base_dir = path.has_parent_path() ? path.parent_path().string() : ".";
  function_context_.root_dir = options.root_dir.empty() ? function_context_.base_dir : options.root_dir;
}

EvalAttribute Evaluator::eval_attribute(const Attribute& attribute, const Scope* scope) {
  EvalAttribute out{attribute.name, Value(), attribute.name_range, attribute.expr ? attribute.expr->range : attribute.range};
  if (!attribute.expr) return out;
  size_t errors = diagnostics_->error_count(), poisoned = poisoned_uses_;
  Value value = eval(*attribute.expr, scope);
  out.failed = diagnostics_->error_count() > errors || poisoned_uses_ > poisoned;
  if (!out.failed) out.value = materialize_unknowns(value);
  return out;
}

EvalBody Evaluator::eval_body(const Body& body, const Scope* scope, SourceFilePtr file) {
  EvalBody out;
  out.file = file;
  out.range = body.range;
  for (const Attribute& attribute : body.attributes) out.attributes.push_back(eval_attribute(attribute, scope));
  for (const Block& block : body.blocks) {
    if (block.type == "dynamic") {
      eval_dynamic(block, scope, out);
      continue;
    }
    auto inner = std::make_shared<EvalBody>(eval_body(*block.body, scope, file));
    out.blocks.push_back(EvalBlock{block.type, block.labels, block.label_ranges, block.type_range, block.range, inner});
  }
  return out;
}

// dynamic "name" { for_each = ..., iterator = it, labels = [...], content {...} }
void Evaluator::eval_dynamic(const Block& block, const Scope* scope, EvalBody& out) {
  if (block.labels.size() != 1) {
    error(block.type_range, "a dynamic block needs exactly one label: the type of the blocks it generates");
    return;
  }
  const std::string& type = block.labels[0];
  const Attribute *for_each = nullptr, *iterator = nullptr, *labels = nullptr;
  for (const Attribute& attribute : block.body->attributes) {
    if (attribute.name == "for_each") for_each = &attribute;
    else if (attribute.name == "iterator") iterator = &attribute;
    else if (attribute.name == "labels") labels = &attribute;
    else
      error(attribute.name_range,
            "unknown attribute \"" + attribute.name + "\" in dynamic \"" + type + "\"; expected for_each, iterator or labels");
  }
  std::vector<const Block*> contents;
  for (const Block& inner : block.body->blocks) {
    if (inner.type == "content") contents.push_back(&inner);
    else error(inner.type_range, "unknown block \"" + inner.type + "\" in dynamic \"" + type + "\"; expected one content block");
  }
  if (!for_each || contents.size() != 1) {
    error(block.type_range, "dynamic \"" + type + "\" needs a for_each attribute and exactly one content block");
    return;
  }
  std::string name = type;
  if (iterator) {
    if (iterator->expr->kind != ExprKind::kVariable) {
      error(iterator->expr->range, "iterator must be a bare name, e.g. iterator = port");
      return;
    }
    name = iterator->expr->name;
  }
  Value collection = eval(*for_each->expr, scope);
  if (collection.contains_unknown()) {
    error(for_each->expr->range, "for_each of dynamic \"" + type + "\" refers to a value only known at run time");
    return;
  }
  if (!collection.is_collection()) {
    error(for_each->expr->range,
          "for_each of dynamic \"" + type + "\" needs a list, set, map or object, not " + type_name(collection));
    return;
  }
  std::vector<std::pair<Value, Value>> elements;
  if (collection.is_list()) {
    for (size_t i = 0; i < collection.as_list().size(); ++i)
      elements.emplace_back(collection.list_flavour() == ListFlavour::kSet ? collection.as_list()[i] : Value::number(i),
                            collection.as_list()[i]);
  } else {
    for (const auto& [key, value] : collection.as_object()) elements.emplace_back(Value::string(key), value);
  }
  for (const auto& [key, value] : elements) {
    // Taken from a sensitive collection, the iterator is sensitive too.
    Scope inner{scope, {{name, Value::object({{"key", key}, {"value", value}}).marked(collection.is_sensitive())}}};
    std::vector<std::string> label_values;
    std::vector<SourceRange> label_ranges;
    if (labels) {
      Value evaluated = eval(*labels->expr, &inner);
      for (const Value& label : evaluated.as_list()) {
        std::optional<std::string> text = to_string_value(label);
        if (!text) {
          error(labels->expr->range, "dynamic block labels must be strings");
          return;
        }
        label_values.push_back(*text);
        label_ranges.push_back(labels->expr->range);
      }
    }
    auto body = std::make_shared<EvalBody>(eval_body(*contents[0]->body, &inner, file_));
    out.blocks.push_back(EvalBlock{type, label_values, label_ranges, block.type_range, block.range, body});
  }
}

EvalBody Evaluator::eval_top_level(const Body& body) {
  Body rest;
  rest.range = body.range;
  rest.attributes = body.attributes;
  EvalBody out = eval_body(rest, nullptr, file_);
  for (const Block& block : body.blocks) {
    auto inner = std::make_shared<EvalBody>();
    inner->file = file_;
    inner->range = block.body->range;
    if (block.type == "variable" && block.labels.size() == 1) {
      const std::string& name = block.labels[0];
      for (const Attribute& attribute : block.body->attributes) {
        Value value = attribute.name == "type"                           ? Value::string(source_text(*file_, *attribute.expr))
            : attribute.name == "default" && variable_decls_.count(name) ? eval(*attribute.expr, nullptr)
                                                                         : eval(*attribute.expr, nullptr);
        inner->attributes.push_back(
            EvalAttribute{attribute.name, materialize_unknowns(value), attribute.name_range, attribute.expr->range});
      }
    } else if (block.type == "locals") {
      for (const Attribute& attribute : block.body->attributes) {
        Value value = local_value(attribute.name, *attribute.expr);
        inner->attributes.push_back(
            EvalAttribute{attribute.name, materialize_unknowns(value), attribute.name_range, attribute.expr->range});
      }
    } else {
      Body single;
      single.blocks.push_back(block);
      EvalBody evaluated = eval_body(single, nullptr, file_);
      for (EvalBlock& b : evaluated.blocks) out.blocks.push_back(std::move(b));
      continue;
    }
    out.blocks.push_back(EvalBlock{block.type, block.labels, block.label_ranges, block.type_range, block.range, inner});
  }
  return out;
}

EvaluatedFile Evaluator::evaluate(const SyntaxFile& syntax) {
  EvaluatedFile result;
  result.file = file_;
  declare_variables(syntax.body);
  declare_locals(syntax.body);
  assign_variables();
  validate_variables();
  result.body = eval_top_level(syntax.body);
  result.variables = variables_;
  for (const auto& [name, slot] : locals_) result.locals[name] = slot.value;
  result.runtime_references = runtime_references_;
  return result;
}

}  // namespace detail

EvaluatedFile evaluate_file(const SyntaxFile& syntax, const EvalOptions& options, Diagnostics& diagnostics) {
  detail::Evaluator evaluator(syntax.file, options, diagnostics);
  return evaluator.evaluate(syntax);
}

EvaluatedFile parse_and_evaluate(const std::string& path, std::string text, const EvalOptions& options,
                                 Diagnostics& diagnostics) {
  size_t before = diagnostics.error_count();
  SyntaxFile syntax = parse_hcl(path, std::move(text), diagnostics);
  if (diagnostics.error_count() > before) {
    // HCL stops at syntax errors: what follows would only be guesses.
    EvaluatedFile result;
    result.file = syntax.file;
    result.body.file = syntax.file;
    return result;
  }
  return evaluate_file(syntax, options, diagnostics);
}

}  // namespace skiff::parser
