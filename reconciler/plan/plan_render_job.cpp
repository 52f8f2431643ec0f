// One job's block of the human plan. Field paths such as
// "group.web.task.app.config.image" are nested the way `nomad job plan`
// nests them, so the reader sees the change under the task it belongs to:
//
//   ~ Job: "api" (version 2 -> 3)
//     ~ Task Group: "web" (1 create/destroy update, 2 ignore)
//       ~ Task: "app"
//         ~ config.image: "nginx:1.25" => "nginx:1.27" (forces create/destroy update)
#include <algorithm>
#include <utility>
#include <vector>

#include "base/utc_time.hpp"
#include "reconciler/plan/plan_render_impl.hpp"

namespace skiff::reconciler::render {

namespace {

// A field shown under a parent, by its path below that parent.
using Field = std::pair<std::string, const FieldDiff*>;

struct TaskFields {
  std::string name;
  const FieldDiff* self = nullptr;  // the diff of the whole task, when it was added or removed
  std::vector<Field> fields;
};

struct GroupFields {
  std::string name;
  const GroupSummary* summary = nullptr;
  const FieldDiff* self = nullptr;
  std::vector<Field> fields;
  std::vector<TaskFields> tasks;
};

struct JobTree {
  std::vector<Field> fields;
  std::vector<GroupFields> groups;
};

// Splits "NAME.rest" into NAME and "rest". The longest known name wins over
// the first dot, so a group called "web.v2" is found whole even next to "web".
std::pair<std::string, std::string> split_name(const std::string& path, const std::vector<GroupFields>& known) {
  const std::string* best = nullptr;
  for (const GroupFields& g : known) {
    const bool prefix =
        path.compare(0, g.name.size(), g.name) == 0 && (path.size() == g.name.size() || path[g.name.size()] == '.');
    if (prefix && (!best || g.name.size() > best->size())) best = &g.name;
  }
  if (best) return {*best, path.size() > best->size() ? path.substr(best->size() + 1) : ""};
  const size_t dot = path.find('.');
  if (dot == std::string::npos) return {path, ""};
  return {path.substr(0, dot), path.substr(dot + 1)};
}

template <typename T>
T& find_or_add(std::vector<T>& items, const std::string& name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
  if (it != items.end()) return *it;
  items.push_back(T{});
  items.back().name = name;
  return items.back();
}

void place_in_group(GroupFields& group, const std::string& rest, const FieldDiff& diff) {
  if (rest.empty()) {
    group.self = &diff;
    return;
  }
  if (rest.rfind("task.", 0) != 0) {
    group.fields.emplace_back(rest, &diff);
    return;
  }
  const std::string below = rest.substr(5);
  const size_t dot = below.find('.');
  TaskFields& task = find_or_add(group.tasks, below.substr(0, dot));
  if (dot == std::string::npos) task.self = &diff;
  else task.fields.emplace_back(below.substr(dot + 1), &diff);
}

JobTree build_tree(const JobPlan& job) {
  JobTree tree;
  for (const GroupSummary& summary : job.groups) find_or_add(tree.groups, summary.name).summary = &summary;
  for (const FieldDiff& diff : job.fields) {
    if (diff.path.rfind("group.", 0) != 0) {
      tree.fields.emplace_back(diff.path, &diff);
      continue;
    }
    auto [name, rest] = split_name(diff.path.substr(6), tree.groups);
    place_in_group(find_or_add(tree.groups, name), rest, diff);
  }
  return tree;
}

std::string indent(int level) { return std::string(2 * level, ' '); }

std::string annotation(const FieldDiff* diff) { return diff && !diff->annotation.empty() ? " (" + diff->annotation + ")" : ""; }

std::string field_value(const FieldDiff& diff) {
  switch (diff.type) {
    case DiffType::kEdited: return diff.old_value + " => " + diff.new_value;
    case DiffType::kDeleted: return diff.old_value;
    case DiffType::kAdded:
    case DiffType::kNone: break;
  }
  return diff.new_value.empty() ? diff.old_value : diff.new_value;
}

// Sibling fields share one value column, as Nomad and Terraform align them.
void render_fields(const std::vector<Field>& fields, int level, const Painter& paint, std::string& out) {
  size_t width = 0;
  for (const auto& [key, diff] : fields) width = std::max(width, key.size() + 1);
  for (const auto& [key, diff] : fields) {
    std::string label = key + ":";
    label.append(width - label.size(), ' ');
    out +=
        indent(level) + paint.symbol(diff_symbol(diff->type)) + " " + label + " " + field_value(*diff) + annotation(diff) + "\n";
  }
}

struct CountWord {
  ActionKind kind;
  const char* word;
  Paint paint;
};

// Nomad's words for what happens to a group's allocations.
constexpr CountWord kCountWords[] = {
    {ActionKind::kPlace, "create", Paint::kGreen},
    {ActionKind::kStop, "destroy", Paint::kRed},
    {ActionKind::kUpdateInPlace, "in-place update", Paint::kYellow},
    {ActionKind::kReplace, "create/destroy update", Paint::kYellow},
    {ActionKind::kMigrate, "migrate", Paint::kCyan},
    {ActionKind::kReschedule, "reschedule", Paint::kGreen},
    {ActionKind::kIgnore, "ignore", Paint::kNone},
};

int count_of(const GroupSummary& summary, ActionKind kind) {
  auto it = summary.counts.find(kind);
  return it == summary.counts.end() ? 0 : it->second;
}

std::string group_counts(const GroupSummary& summary, const Painter& paint) {
  std::vector<std::string> parts;
  for (const CountWord& word : kCountWords) {
    // Canaries are placements beside the old copies; Nomad lists them
    // after the create/destroy updates.
    const int n = count_of(summary, word.kind) - (word.kind == ActionKind::kPlace ? summary.canaries : 0);
    if (n > 0) parts.push_back(paint(std::to_string(n) + " " + word.word, word.paint));
    if (word.kind == ActionKind::kReplace && summary.canaries > 0)
      parts.push_back(paint(std::to_string(summary.canaries) + " canary", Paint::kYellow));
  }
  if (parts.empty()) return "";
  std::string text = " (";
  for (size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : "") + parts[i];
  return text + ")";
}

// The group of a new or removed job is new or removed with it. Otherwise
// "+" when the group only gains allocations, "-" when it only loses them,
// "~" for any other change, " " when nothing happens to it.
std::string_view group_symbol(const GroupFields& group, DiffType job_change) {
  if (group.self) return diff_symbol(group.self->type);
  if (job_change == DiffType::kAdded || job_change == DiffType::kDeleted) return diff_symbol(job_change);
  int gains = 0, losses = 0, edits = 0, unchanged = 0;
  if (group.summary) {
    for (const auto& [kind, n] : group.summary->counts) {
      switch (kind) {
        case ActionKind::kPlace:
        case ActionKind::kReschedule: gains += n; break;
        case ActionKind::kStop: losses += n; break;
        case ActionKind::kIgnore: unchanged += n; break;
        default: edits += n; break;
      }
    }
  }
  if (gains + losses + edits == 0) return group.fields.empty() && group.tasks.empty() ? " " : "~";
  if (gains > 0 && losses + edits + unchanged == 0) return "+";
  if (losses > 0 && gains + edits + unchanged == 0) return "-";
  return "~";
}

void render_group(const GroupFields& group, DiffType job_change, const Painter& paint, std::string& out) {
  const std::string counts = group.summary ? group_counts(*group.summary, paint) : "";
  const std::string_view symbol = group_symbol(group, job_change);
  // A group with no allocations and no change (a periodic job's, between
  // launches) has nothing to say.
  if (symbol == " " && counts.empty()) return;
  // The counts of an added or removed group already say what its
  // annotation would ("forces create").
  out += indent(1) + paint.symbol(symbol) + " Task Group: \"" + group.name + "\"" +
      (counts.empty() ? annotation(group.self) : counts) + "\n";
  render_fields(group.fields, 2, paint, out);
  for (const TaskFields& task : group.tasks) {
    const std::string_view task_symbol = task.self ? diff_symbol(task.self->type) : "~";
    out += indent(2) + paint.symbol(task_symbol) + " Task: \"" + task.name + "\"" + annotation(task.self) + "\n";
    render_fields(task.fields, 3, paint, out);
  }
}

std::string version_text(const JobPlan& job) {
  if (job.previous_version && *job.previous_version != job.version)
    return "version " + std::to_string(*job.previous_version) + " -> " + std::to_string(job.version);
  return "version " + std::to_string(job.version);
}

}  // namespace

void render_job(const JobPlan& job, const Painter& paint, std::string& out) {
  out += paint.symbol(diff_symbol(job.change)) + " " + paint("Job: \"" + job.job + "\"", Paint::kBold) + " (" +
      version_text(job) + ")\n";
  if (!job.note.empty()) out += indent(1) + "# " + job.note + "\n";
  const JobTree tree = build_tree(job);
  render_fields(tree.fields, 1, paint, out);
  for (const GroupFields& group : tree.groups) render_group(group, job.change, paint, out);
  if (job.next_periodic_launch_unix)
    out += indent(1) + "  Next periodic launch: " + base::rfc3339_utc(*job.next_periodic_launch_unix) + "\n";
}

}  // namespace skiff::reconciler::render
