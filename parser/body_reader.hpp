// BodyReader: reads one evaluated block body against a schema, the way
// Nomad's gohcl decoding does (with cty's conversions: "8080" is a number,
// 5 is a string), and reports every problem as a diagnostic on its range:
// wrong types, missing required attributes, wrong label counts, duplicated
// single blocks, blocks skiff does not support, and — in finish() — every
// attribute or block nobody asked for, with a did-you-mean.
//
// Usage: ask for each attribute and block the schema knows, then finish().
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "parser/diagnostic.hpp"
#include "parser/eval.hpp"
#include "parser/spec/duration.hpp"

namespace skiff::parser {

class BodyReader {
 public:
  // `where` names the body for messages: `group "cache"`, `job "web"`.
  BodyReader(const EvalBody& body, std::string where, Diagnostics& diagnostics);

  const std::string& where() const { return where_; }
  const EvalBody& body() const { return body_; }

  // Attributes; nullopt when absent or of the wrong type (reported).
  std::optional<std::string> string(std::string_view name);
  std::optional<int64_t> integer(std::string_view name);
  // A whole number in [min, max]; out of range is reported ("must be
  // between MIN and MAX") and gives nullopt.
  std::optional<int64_t> integer_in_range(std::string_view name, int64_t min, int64_t max);
  std::optional<bool> boolean(std::string_view name);
  std::optional<spec::Duration> duration(std::string_view name);
  std::optional<std::vector<std::string>> strings(std::string_view name);
  // Any value, unconverted (driver config, headers...).
  const EvalAttribute* value(std::string_view name);
  // Reports `name` missing when it is absent.
  void require(std::string_view name);

  // Blocks of `type` with exactly `labels` labels (others reported).
  std::vector<const EvalBlock*> blocks(std::string_view type, size_t labels = 0);
  // At most one block of `type`; a second one is reported.
  const EvalBlock* single_block(std::string_view type);
  // `meta { k = "v" }` blocks and/or a `meta = { k = "v" }` attribute, merged.
  std::map<std::string, std::string> string_map(std::string_view name);

  // Valid Nomad that skiff does not carry out: each occurrence gets its own
  // diagnostic (an error for blocks, a warning for attributes).
  void not_supported_block(std::string_view type);
  void not_supported_attribute(std::string_view name);

  // Reports every attribute and block not asked for. Call once, last.
  void finish();

  // Reports a problem on an attribute's value.
  void attribute_error(const EvalAttribute& attribute, const std::string& message);
  Diagnostics& diagnostics() { return diagnostics_; }

 private:
  const EvalAttribute* find(std::string_view name);
  void type_error(const EvalAttribute& attribute, const std::string& wanted);

  const EvalBody& body_;
  std::string where_;
  Diagnostics& diagnostics_;
  std::set<std::string, std::less<>> known_attributes_;
  std::set<std::string, std::less<>> known_blocks_;
};

// "task \"redis\"" for messages.
std::string describe_block(std::string_view type, const std::string& label);

}  // namespace skiff::parser
