// What apply (and job stop/revert, deployment promote/fail) tells its user:
// for a person, the plan, a line per step and a summary; with -json, one
// JSON object per line for CI, in the manner of `terraform apply -json`:
// every line has "@level", "@message", "@timestamp" and "type"
// (planned_changes, stopping, updating, starting, progress, health,
// lock_wait, apply_complete, apply_errored, diagnostic), plus what the type carries.
// Once told the jobs' sensitive texts (hide), it prints each as (sensitive),
// whoever wrote it: a host's error may quote a task's command line.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "reconciler/apply/apply.hpp"
#include "reconciler/plan/plan.hpp"
#include "reconciler/plan/plan_render.hpp"

namespace skiff::cli {

class ApplyOutput {
 public:
  ApplyOutput(Context& context, bool json, reconciler::RenderOptions render);

  bool json() const { return json_; }
  Context& context() { return context_; }
  // The plan, rendered, or {"type":"planned_changes","plan":...}.
  void plan(const reconciler::Plan& plan);
  void event(const reconciler::ApplyEvent& event);
  // A line of information (to stdout), of `type` in JSON, with `fields`
  // beside the message there.
  void info(const std::string& text, const std::string& type = "progress", nlohmann::json fields = {});
  // A problem (to stderr for a person; a "diagnostic" line in JSON).
  void error(const std::string& text);
  void complete(const reconciler::ApplyReport& report);
  // The errors of a failed round, where the state is, and what running
  // apply again would do (`next`; empty: it carries on from there).
  void errored(const reconciler::ApplyReport& report, const std::string& state_where, const std::string& next = "");
  // One line: apply stopped at its user's request (type apply_interrupted).
  void interrupted(const std::string& text);
  // From now on, each of `secrets` prints as (sensitive).
  void hide(const std::set<std::string>& secrets);

 private:
  std::string shown(std::string text) const;
  void line(const std::string& level, const std::string& type, const std::string& message, nlohmann::json extra = {});

  Context& context_;
  bool json_;
  reconciler::RenderOptions render_;
  std::set<std::string> secrets_;  // as they are, and as they stand inside a JSON string
};

}  // namespace skiff::cli
