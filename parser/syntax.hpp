// skiff's own HCL syntax tree, built from tree-sitter's concrete tree by
// parse_hcl(). tree-sitter types never leave parser/; everything downstream
// sees these nodes, each with its source range.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/source.hpp"
#include "parser/value.hpp"

namespace skiff::parser {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

enum class ExprKind {
  kLiteral,       // null, bool, number, or a string with no interpolation
  kTemplate,      // "..${x}.." or a heredoc: parts
  kVariable,      // a root name: `var`, `local`, `NOMAD_ALLOC_ID`, `count`, an iterator
  kGetAttr,       // object.name
  kIndex,         // collection[key]  (also the legacy `a.0` form)
  kSplat,         // source[*].a.b or source.*.a  (operand = source, traversal in splat_steps)
  kTuple,         // [a, b]
  kObject,        // { k = v }
  kFunctionCall,  // name(args) / name(args...)
  kUnary,         // -x, !x
  kBinary,        // x op y
  kConditional,   // c ? a : b
  kForTuple,      // [for k, v in coll : expr if cond]
  kForObject,     // {for k, v in coll : key => value... if cond}
  kParens,        // (x)  (kept so that source text is exact)
};

enum class UnaryOp { kNegate, kNot };
enum class BinaryOp { kAdd, kSub, kMul, kDiv, kMod, kEq, kNotEq, kLess, kLessEq, kGreater, kGreaterEq, kAnd, kOr };

// One piece of a template. Strip markers (`~`) have already been applied by
// the builder to neighbouring literal parts, and heredoc `<<-` indentation
// has already been removed from the literals.
struct TemplatePart {
  enum class Kind { kLiteral, kInterpolation, kIf, kFor };
  Kind kind = Kind::kLiteral;
  SourceRange range;
  std::string literal;                   // kLiteral: text with escapes decoded
  ExprPtr expr;                          // kInterpolation: the expression; kIf: condition; kFor: collection
  std::vector<TemplatePart> then_parts;  // kIf: true branch; kFor: the body
  std::vector<TemplatePart> else_parts;  // kIf: else branch
  std::string key_var;                   // kFor: `for k, v in` -> key_var = k (empty if one name)
  std::string value_var;                 // kFor: the value name
};

// One step after a splat: `.name` or `[expr]`.
struct TraversalStep {
  bool is_index = false;
  std::string name;  // attribute name
  ExprPtr index;     // index expression
  SourceRange range;
};

struct ObjectItem {
  ExprPtr key;                     // a bare identifier key is a kVariable expr with is_bare_key set on the ObjectItem
  bool key_is_identifier = false;  // `{ foo = 1 }`: key "foo", not a variable reference
  ExprPtr value;
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  SourceRange range;

  Value literal;                           // kLiteral
  std::vector<TemplatePart> parts;         // kTemplate
  bool heredoc = false;                    // kTemplate
  std::string name;                        // kVariable: root name; kGetAttr: attribute; kFunctionCall: function
  ExprPtr operand;                         // kGetAttr, kIndex, kSplat: collection; kUnary; kParens
  ExprPtr index;                           // kIndex: the key expression (a literal number for `a.0`)
  bool full_splat = false;                 // kSplat: [*] (true) or .* (false)
  std::vector<TraversalStep> splat_steps;  // kSplat: applied to each element
  std::vector<ExprPtr> items;              // kTuple; kFunctionCall: arguments
  std::vector<ObjectItem> object_items;    // kObject
  bool expand_final_argument = false;      // kFunctionCall: f(a, b...)
  UnaryOp unary_op = UnaryOp::kNegate;     // kUnary
  BinaryOp binary_op = BinaryOp::kAdd;     // kBinary
  ExprPtr lhs, rhs;                        // kBinary; kConditional: true/false results
  ExprPtr condition;                       // kConditional; kFor*: the `if` filter (may be null)
  std::string key_var, value_var;          // kFor*: `for k, v in` (key_var empty with one name)
  ExprPtr collection;                      // kFor*
  ExprPtr for_key, for_value;              // kForObject: key => value; kForTuple: for_value
  bool group = false;                      // kForObject: `value...` groups into lists
};

struct Body;

struct Attribute {
  std::string name;
  SourceRange name_range;
  SourceRange range;  // the whole `name = expr`
  ExprPtr expr;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  std::vector<SourceRange> label_ranges;
  SourceRange type_range;
  SourceRange range;  // from the type to the closing brace
  std::shared_ptr<const Body> body;
};

// A body keeps attributes and blocks in source order (items) so that
// diagnostics and hcl2json can follow the file.
struct Body {
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
  SourceRange range;
};

struct SyntaxFile {
  SourceFilePtr file;
  Body body;
};

// Parses HCL text. Syntax errors (tree-sitter ERROR and MISSING nodes) become
// diagnostics ("file:line:col: error: ..."); the returned tree holds what
// could be read, so later stages may still report more problems. With
// SourceText::kHidden no diagnostic quotes the text (a -var-file's).
SyntaxFile parse_hcl(const std::string& path, std::string text, Diagnostics& diagnostics, SourceText shown = SourceText::kShown);

// The exact source text of an expression (for runtime interpolations kept verbatim).
std::string source_text(const SourceFile& file, const Expr& expr);

}  // namespace skiff::parser
