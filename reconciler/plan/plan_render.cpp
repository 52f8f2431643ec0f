// The human plan: job blocks (plan_render_job.cpp), then the allocations
// that change, the placement failures and the closing count.
#include "reconciler/plan/plan_render.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "reconciler/plan/plan_render_impl.hpp"

namespace skiff::reconciler {

namespace render {

std::string Painter::operator()(std::string_view text, Paint paint) const {
  if (color_ == Color::kNever || paint == Paint::kNone || text.empty()) return std::string(text);
  const char* code = "";
  switch (paint) {
    case Paint::kNone: break;
    case Paint::kBold: code = "\x1b[1m"; break;
    case Paint::kGreen: code = "\x1b[32m"; break;
    case Paint::kRed: code = "\x1b[31m"; break;
    case Paint::kYellow: code = "\x1b[33m"; break;
    case Paint::kCyan: code = "\x1b[36m"; break;
    case Paint::kBoldGreen: code = "\x1b[1;32m"; break;
    case Paint::kBoldYellow: code = "\x1b[1;33m"; break;
  }
  return code + std::string(text) + "\x1b[0m";
}

std::string Painter::symbol(std::string_view symbol) const {
  // Terraform paints the two halves of a replacement in their own colours.
  if (symbol == "-/+") return (*this)("-", Paint::kRed) + "/" + (*this)("+", Paint::kGreen);
  if (symbol == "+") return (*this)(symbol, Paint::kGreen);
  if (symbol == "-") return (*this)(symbol, Paint::kRed);
  if (symbol == "~") return (*this)(symbol, Paint::kYellow);
  if (symbol == ">") return (*this)(symbol, Paint::kCyan);
  return std::string(symbol);
}

std::string_view diff_symbol(DiffType type) {
  switch (type) {
    case DiffType::kAdded: return "+";
    case DiffType::kDeleted: return "-";
    case DiffType::kEdited: return "~";
    case DiffType::kNone: break;
  }
  return " ";
}

}  // namespace render

namespace {

using render::Paint;
using render::Painter;

std::string_view action_symbol(ActionKind kind) {
  switch (kind) {
    case ActionKind::kPlace:
    case ActionKind::kReschedule: return "+";
    case ActionKind::kStop: return "-";
    case ActionKind::kUpdateInPlace: return "~";
    case ActionKind::kReplace: return "-/+";
    case ActionKind::kMigrate: return ">";
    case ActionKind::kIgnore: break;
  }
  return " ";
}

// "on h1" where the allocation stays or ends, "h1 -> h2" when it moves.
std::string where(const Action& action) {
  if (!action.node.empty() && !action.to_node.empty() && action.node != action.to_node)
    return action.node + " -> " + action.to_node;
  if (!action.to_node.empty()) return "on " + action.to_node;
  if (!action.node.empty()) return "on " + action.node;
  return "";
}

std::string ports(const Action& action) {
  std::string text;
  for (const auto& [label, port] : action.ports) text += (text.empty() ? "" : " ") + label + "=" + std::to_string(port);
  return text;
}

// Replacements and migrations roll out in waves. The wave is worth a column
// only where a group's moves of one kind take more than one step (several
// waves). Canaries say so instead.
using StageKey = std::tuple<std::string, std::string, ActionKind>;

std::set<StageKey> staged(const std::vector<Action>& actions) {
  std::map<StageKey, std::set<int>> waves;
  std::set<StageKey> out;
  for (const Action& a : actions) {
    if (a.kind != ActionKind::kReplace && a.kind != ActionKind::kMigrate) continue;
    const StageKey key{a.job, a.group, a.kind};
    waves[key].insert(a.wave);
  }
  for (const auto& [key, set] : waves)
    if (set.size() > 1) out.insert(key);
  return out;
}

// "(why)"; a rescheduled copy also names the one it replaces.
std::string reason_column(const Action& a) {
  std::string text = a.kind == ActionKind::kReschedule && !a.alloc_id.empty() ? "replaces " + a.alloc_id.substr(0, 8) + "…" : "";
  if (!a.reason.empty()) text += (text.empty() ? "" : ", ") + a.reason;
  return text.empty() ? "" : "(" + text + ")";
}

// Columns after the symbol: name, where, ports, step, reason.
using Row = std::array<std::string, 5>;

void render_allocations(const Plan& plan, const Painter& paint, std::string& out) {
  const auto stages = staged(plan.actions);
  std::vector<std::pair<ActionKind, Row>> rows;
  for (const Action& a : plan.actions) {
    if (a.kind == ActionKind::kIgnore) continue;
    std::string step;
    if (a.canary) step = "canary";
    else if (stages.count({a.job, a.group, a.kind})) step = "wave " + std::to_string(a.wave);
    rows.push_back({a.kind, {a.name(), where(a), ports(a), step, reason_column(a)}});
  }
  if (rows.empty()) return;
  std::array<size_t, 5> width{};
  for (const auto& [kind, row] : rows)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  out += "\n" + paint("Allocations:", Paint::kBold) + "\n";
  for (const auto& [kind, row] : rows) {
    const std::string_view symbol = action_symbol(kind);
    std::string line = std::string(2 + 3 - symbol.size(), ' ') + paint.symbol(symbol);
    // Empty columns take no room; the others line up across all rows.
    for (size_t i = 0; i < row.size(); ++i) {
      if (width[i] == 0) continue;
      line += (i == 0 ? " " : "  ") + row[i] + std::string(width[i] - row[i].size(), ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
}

int unplaced_total(const Plan& plan) {
  int total = 0;
  for (const JobPlan& job : plan.jobs)
    for (const GroupFailure& failure : job.failures) total += failure.unplaced;
  return std::max(total, plan.summary.unplaced);
}

void render_failures(const Plan& plan, const Painter& paint, std::string& out) {
  std::string body;
  for (const JobPlan& job : plan.jobs) {
    for (const GroupFailure& f : job.failures) {
      body += "  Task Group \"" + f.group + "\" (job \"" + job.job + "\", " + std::to_string(f.unplaced) + " unplaced):\n";
      for (const std::string& message : f.messages) body += "    * " + message + "\n";
    }
  }
  if (body.empty()) return;
  out += "\n" + paint("Placement failures:", Paint::kBoldYellow) + "\n" + body;
}

void render_failed_deployments(const Plan& plan, const Painter& paint, std::string& out) {
  if (plan.failed_deployments.empty()) return;
  out += "\n" + paint("Failed deployments (apply leaves them as they are):", Paint::kBoldYellow) + "\n";
  for (const FailedDeployment& d : plan.failed_deployments) {
    out += "  Job \"" + d.job + "\" version " + std::to_string(d.version) + ", deployment " + d.deployment_id.substr(0, 8) +
        (d.description.empty() ? "" : ": " + d.description) + "\n";
    for (const std::string& line : d.unhealthy) out += "    * " + line + "\n";
  }
}

void render_drift(const Plan& plan, const Painter& paint, std::string& out) {
  if (plan.drift.empty()) return;
  out += "\n" + paint("Drift (not changed by apply):", Paint::kBoldYellow) + "\n";
  for (const std::string& line : plan.drift) out += "  * " + line + "\n";
}

std::string plural(int n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

void render_summary(const Plan& plan, const Painter& paint, std::string& out) {
  const PlanSummary& s = plan.summary;
  // A job whose spec alone changes (a periodic job's schedule, say) gets
  // the Plan line too, if all zeros: apply still has work to do.
  if (has_changes(plan)) {
    out += "\n" + paint("Plan:", Paint::kBold) + " " + std::to_string(s.place) + " to place, " +
        std::to_string(s.update_in_place) + " to update in place, " + std::to_string(s.replace) + " to replace, " +
        std::to_string(s.stop) + " to stop, " + std::to_string(s.migrate) + " to migrate.\n";
    return;
  }
  if (!out.empty()) out += "\n";
  // A failed deployment stays failed: say so rather than that all is well.
  if (!plan.failed_deployments.empty()) {
    std::string jobs;
    for (const FailedDeployment& d : plan.failed_deployments) jobs += (jobs.empty() ? "" : ", ") + ("\"" + d.job + "\"");
    out += paint("Nothing to apply,", Paint::kBoldYellow) +
        paint(" but the last deployment of " + jobs + " failed: apply changes nothing there until the job file changes;" +
                  " `skiff apply -retry-failed` rolls the same version out again.",
              Paint::kBold) +
        "\n";
    return;
  }
  // Nothing changes, yet the fleet may still fall short of the job files.
  if (int unplaced = unplaced_total(plan); unplaced > 0) {
    out += paint("No changes,", Paint::kBoldYellow) +
        paint(" but " + plural(unplaced, "allocation") + " could not be placed.", Paint::kBold) + "\n";
    return;
  }
  out += paint("No changes.", Paint::kBoldGreen) + paint(" The fleet matches the job files.", Paint::kBold) + "\n";
}

bool worth_showing(const JobPlan& job, const Plan& plan) {
  if (job.change != DiffType::kNone || !job.failures.empty() || !job.note.empty()) return true;
  if (std::any_of(plan.failed_deployments.begin(), plan.failed_deployments.end(),
                  [&](const FailedDeployment& d) { return d.job == job.job; }))
    return true;
  return std::any_of(plan.actions.begin(), plan.actions.end(),
                     [&](const Action& a) { return a.job == job.job && a.kind != ActionKind::kIgnore; });
}

}  // namespace

std::string render_plan(const Plan& plan, RenderOptions options) {
  const Painter paint(options.color);
  std::string out;
  for (const JobPlan& job : plan.jobs) {
    if (!worth_showing(job, plan)) continue;
    if (!out.empty()) out += "\n";
    render::render_job(job, paint, out);
  }
  render_allocations(plan, paint, out);
  render_failures(plan, paint, out);
  render_failed_deployments(plan, paint, out);
  render_drift(plan, paint, out);
  render_summary(plan, paint, out);
  return out;
}

}  // namespace skiff::reconciler
