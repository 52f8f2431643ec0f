#include "cli/apply_output.hpp"

#include "base/utc_time.hpp"
#include "cli/clock.hpp"
#include "parser/sensitive.hpp"
#include "reconciler/plan/plan_json.hpp"

namespace skiff::cli {

namespace {

std::string plural(int n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

}  // namespace

ApplyOutput::ApplyOutput(Context& context, bool json, reconciler::RenderOptions render)
    : context_(context), json_(json), render_(render) {}

void ApplyOutput::hide(const std::set<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    secrets_.insert(secret);
    const std::string quoted = nlohmann::json(secret).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    secrets_.insert(quoted.substr(1, quoted.size() - 2));
  }
}

std::string ApplyOutput::shown(std::string text) const {
  return secrets_.empty() ? text : parser::scrub_sensitive(std::move(text), secrets_);
}

void ApplyOutput::line(const std::string& level, const std::string& type, const std::string& message, nlohmann::json extra) {
  nlohmann::json j = {{"@level", level}, {"@message", message}, {"@timestamp", base::rfc3339_utc(now_unix())}, {"type", type}};
  if (extra.is_object()) j.update(extra);
  // A host's text may hold bytes that are not UTF-8: replaced, never thrown on.
  context_.out << shown(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) << "\n" << std::flush;
}

void ApplyOutput::plan(const reconciler::Plan& plan) {
  if (!json_) {
    context_.out << shown(reconciler::render_plan(plan, render_));
    return;
  }
  const reconciler::PlanSummary& s = plan.summary;
  line("info", "planned_changes",
       "Plan: " + std::to_string(s.place) + " to place, " + std::to_string(s.update_in_place) + " to update in place, " +
           std::to_string(s.replace) + " to replace, " + std::to_string(s.stop) + " to stop, " + std::to_string(s.migrate) +
           " to migrate",
       {{"plan", reconciler::plan_to_json(plan)}});
}

void ApplyOutput::event(const reconciler::ApplyEvent& e) {
  if (!json_) {
    context_.out << shown(e.message) << "\n" << std::flush;
    return;
  }
  nlohmann::json extra = nlohmann::json::object();
  if (!e.alloc.empty()) extra["alloc"] = e.alloc;
  if (!e.alloc_id.empty()) extra["alloc_id"] = e.alloc_id;
  if (!e.host.empty()) extra["host"] = e.host;
  if (!e.reason.empty()) extra["reason"] = e.reason;
  line("info", e.type, e.message, extra);
}

void ApplyOutput::info(const std::string& text, const std::string& type, nlohmann::json fields) {
  if (json_) return line("info", type, text, std::move(fields));
  context_.out << shown(text) << "\n" << std::flush;
}

void ApplyOutput::error(const std::string& text) {
  if (json_) return line("error", "diagnostic", text);
  context_.err << "skiff: " << shown(text) << "\n";
}

void ApplyOutput::complete(const reconciler::ApplyReport& report) {
  int most_commands = 0;
  for (const auto& [host, n] : report.commands_per_host) most_commands = std::max(most_commands, n);
  const std::string text = "Apply complete! " + std::to_string(report.started) + " started, " + std::to_string(report.updated) +
      " updated in place, " + std::to_string(report.stopped) + " stopped (at most " + plural(most_commands, "remote command") +
      " per host for the changes, after one to observe; " + plural(report.health_observations, "health observation") + ").";
  if (!json_) {
    context_.out << "\n" << text << "\n";
    return;
  }
  line("info", "apply_complete", text,
       {{"started", report.started},
        {"updated", report.updated},
        {"stopped", report.stopped},
        {"commands_per_host", report.commands_per_host},
        {"health_observations", report.health_observations}});
}

void ApplyOutput::interrupted(const std::string& text) {
  if (json_) return line("error", "apply_interrupted", text);
  context_.err << shown(text) << "\n";
}

void ApplyOutput::errored(const reconciler::ApplyReport& report, const std::string& state_where, const std::string& next) {
  const std::string after =
      "The state records what ran (" + state_where + "); " + (next.empty() ? "`skiff apply` again carries on from there." : next);
  if (json_) {
    line("error", "apply_errored",
         "Apply failed: " + (report.errors.empty() ? std::string("see the errors") : report.errors.front()),
         {{"errors", report.errors},
          {"started", report.started},
          {"stopped", report.stopped},
          {"state", state_where},
          {"next", after}});
    return;
  }
  context_.err << "\nApply failed:\n";
  for (const std::string& error : report.errors) context_.err << "  " << shown(error) << "\n";
  context_.err << shown(after) << "\n";
}

}  // namespace skiff::cli
