// validate's warning for runtime interpolations skiff will not be able to
// fill: a typo such as ${atr.kernel.name}, or an upper-case name that is
// neither NOMAD_*, nor in any task's env, nor one that a `template { env =
// true }` of the task holding the reference can define.
#include <algorithm>
#include <cctype>
#include <set>

#include "base/text.hpp"
#include "parser/did_you_mean.hpp"
#include "parser/load.hpp"

namespace skiff::parser {

namespace {

const std::vector<std::string> kRuntimeRoots = {"attr", "node", "meta", "env", "device"};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// {{ with ... }}, {{ range ... }}, {{ end }}, {{/* comment */}}, {{ $x := ... }}:
// actions that print nothing.
bool is_control_action(std::string_view action) {
  action = trim(action);
  if (!action.empty() && action.front() == '-') action = trim(action.substr(1));
  if (!action.empty() && action.back() == '-') action = trim(action.substr(0, action.size() - 1));
  if (action.substr(0, 2) == "/*") return true;
  if (!action.empty() && action.front() == '$' && action.find(":=") != std::string_view::npos) return true;
  for (std::string_view keyword : {"with", "range", "if", "else", "end", "define", "block"}) {
    if (action.substr(0, keyword.size()) == keyword &&
        (action.size() == keyword.size() || !std::isalnum(static_cast<unsigned char>(action[keyword.size()]))))
      return true;
  }
  return false;
}

// What the task's env templates can put in its environment: the keys of
// their KEY=value lines, or any name at all when a key is
// computed by the template or the text comes from a `source` file.
struct TemplateEnv {
  std::set<std::string> names;
  bool any_name = false;
};

std::string string_attribute(const EvalBody& body, const std::string& name, const std::string& fallback) {
  const EvalAttribute* attribute = body.attribute(name);
  return attribute && attribute->value.is_string() ? attribute->value.as_string() : fallback;
}

void add_template_env(const EvalBody& tmpl, TemplateEnv& out) {
  const EvalAttribute* env = tmpl.attribute("env");
  if (!env || !(env->value == Value::boolean(true))) return;
  const EvalAttribute* data = tmpl.attribute("data");
  if (!data || !data->value.is_string()) {
    out.any_name = true;
    return;
  }
  const std::string open = string_attribute(tmpl, "left_delimiter", "{{");
  const std::string close = string_attribute(tmpl, "right_delimiter", "}}");
  std::string_view text = data->value.as_string();
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = trim(line.substr(0, eq));
    // Control actions before the key ({{ with secret "x" }}KEY=...) print
    // nothing; any other action ({{ .Key }}=...) computes the key.
    while (key.substr(0, open.size()) == open) {
      size_t action_end = key.find(close);
      if (action_end == std::string_view::npos || !is_control_action(key.substr(open.size(), action_end - open.size()))) break;
      key = trim(key.substr(action_end + close.size()));
    }
    if (key.empty() || key.front() == '#') continue;
    if (key.substr(0, 7) == "export ") key = trim(key.substr(7));
    if (key.find(open) != std::string_view::npos) out.any_name = true;
    else if (base::is_env_name(key)) out.names.emplace(key);
  }
}

struct TaskScope {
  SourceRange range;
  TemplateEnv env;
};

std::vector<TaskScope> task_scopes(const EvalBody& file_body) {
  std::vector<TaskScope> out;
  for (const EvalBlock* job : file_body.blocks_of("job"))
    for (const EvalBlock* group : job->body->blocks_of("group"))
      for (const EvalBlock* task : group->body->blocks_of("task")) {
        TaskScope scope{task->range, {}};
        for (const EvalBlock* tmpl : task->body->blocks_of("template")) add_template_env(*tmpl->body, scope.env);
        out.push_back(std::move(scope));
      }
  return out;
}

bool contains(const SourceRange& outer, const SourceRange& inner) {
  return outer.begin.byte <= inner.begin.byte && inner.end.byte <= outer.end.byte;
}

}  // namespace

void warn_unknown_runtime_variables(const LoadedJob& loaded, Diagnostics& diagnostics) {
  std::set<std::string> env_names;
  if (loaded.job)
    for (const auto& group : loaded.job->groups)
      for (const auto& task : group.tasks)
        for (const auto& [name, value] : task.env) env_names.insert(name);
  const std::vector<TaskScope> tasks = task_scopes(loaded.evaluated.body);
  for (const RuntimeReference& ref : loaded.evaluated.runtime_references) {
    const std::string& root = ref.root;
    if (root.rfind("NOMAD_", 0) == 0 || env_names.count(root)) continue;
    if (std::find(kRuntimeRoots.begin(), kRuntimeRoots.end(), root) != kRuntimeRoots.end()) continue;
    bool from_template = std::any_of(tasks.begin(), tasks.end(), [&](const TaskScope& task) {
      return ref.file == loaded.evaluated.body.file && contains(task.range, ref.range) &&
          (task.env.any_name || task.env.names.count(root));
    });
    if (from_template) continue;
    bool lower = std::islower(static_cast<unsigned char>(root[0]));
    std::string hint = lower ? did_you_mean_suffix(root, kRuntimeRoots) : "";
    diagnostics.warning(ref.file, ref.range,
                        "unknown runtime variable \"" + root +
                            "\": skiff fills NOMAD_*, attr.*, node.*, meta.*, env, the task's env and the keys of its "
                            "env templates at run time" +
                            hint);
  }
}

}  // namespace skiff::parser
