// The evaluator: a SyntaxFile in, an EvalBody out. It resolves `variable`
// blocks (defaults, -var, -var-file, NOMAD_VAR_*), `locals`, functions,
// templates, `for` expressions, splats and `dynamic` blocks, and keeps every
// runtime interpolation (any reference whose root is not `var` or `local`)
// verbatim as its `${...}` source text, exactly as Nomad's parser does.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/environment.hpp"
#include "parser/syntax.hpp"
#include "parser/value.hpp"

namespace skiff::parser {

struct EvalBody;

struct EvalAttribute {
  std::string name;
  Value value;  // an unknown value only inside collections; a top-level runtime
                // interpolation is already the string "${...}"
  SourceRange name_range;
  SourceRange value_range;
  // Evaluating the value reported an error; the value is null. Decoders
  // treat it as already reported rather than as a wrong type.
  bool failed = false;
};

struct EvalBlock {
  std::string type;
  std::vector<std::string> labels;
  std::vector<SourceRange> label_ranges;
  SourceRange type_range;
  SourceRange range;
  std::shared_ptr<const EvalBody> body;
};

struct EvalBody {
  SourceFilePtr file;
  SourceRange range;
  std::vector<EvalAttribute> attributes;  // source order
  std::vector<EvalBlock> blocks;          // source order, dynamic blocks expanded in place

  const EvalAttribute* attribute(const std::string& name) const;
  std::vector<const EvalBlock*> blocks_of(const std::string& type) const;
};

// A reference kept for run time, e.g. `${attr.kernel.name}` (root "attr").
struct RuntimeReference {
  std::string root;
  std::string text;  // the whole expression source
  SourceFilePtr file;
  SourceRange range;
};

struct EvalOptions {
  // -var NAME=VALUE flags in the order given (later wins). Values are parsed
  // as HCL expressions when the variable's type is not string, like Nomad.
  std::vector<std::pair<std::string, std::string>> cli_vars;
  // -var-file paths in order; their diagnostics name the var file.
  std::vector<std::string> var_files;
  // Read NOMAD_VAR_<name> from env->environ().
  bool use_environment_variables = true;
  const Environment* env = nullptr;  // REQUIRES: non-null
  // File functions refuse paths outside this tree; empty: the file's directory.
  std::string root_dir;
};

struct EvaluatedFile {
  SourceFilePtr file;
  // The evaluated top-level body. `variable` blocks appear with `type` as the
  // string of its source text; `locals` blocks with their evaluated values.
  EvalBody body;
  std::map<std::string, Value> variables;  // var.* after defaults and overrides
  std::map<std::string, Value> locals;     // local.*
  std::vector<RuntimeReference> runtime_references;
};

EvaluatedFile evaluate_file(const SyntaxFile& syntax, const EvalOptions& options, Diagnostics& diagnostics);

// Convenience: parse_hcl + evaluate_file.
EvaluatedFile parse_and_evaluate(const std::string& path, std::string text, const EvalOptions& options, Diagnostics& diagnostics);

}  // namespace skiff::parser
