// Writing a Plan as JSON. Reading it back is plan_json_read.cpp.
#include "reconciler/plan/plan_json.hpp"

#include "base/utc_time.hpp"

namespace skiff::reconciler {

using nlohmann::json;

std::string action_kind_id(ActionKind kind) {
  switch (kind) {
    case ActionKind::kPlace: return "place";
    case ActionKind::kStop: return "stop";
    case ActionKind::kUpdateInPlace: return "update_in_place";
    case ActionKind::kReplace: return "replace";
    case ActionKind::kMigrate: return "migrate";
    case ActionKind::kReschedule: return "reschedule";
    case ActionKind::kIgnore: return "ignore";
  }
  return "ignore";
}

std::string diff_type_id(DiffType type) {
  switch (type) {
    case DiffType::kNone: return "none";
    case DiffType::kAdded: return "added";
    case DiffType::kDeleted: return "deleted";
    case DiffType::kEdited: return "edited";
  }
  return "none";
}

namespace {

template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json summary_json(const Plan& plan) {
  const PlanSummary& s = plan.summary;
  return {{"place", s.place},
          {"update_in_place", s.update_in_place},
          {"replace", s.replace},
          {"stop", s.stop},
          {"migrate", s.migrate},
          {"unplaced", s.unplaced},
          {"changes", has_changes(plan)}};
}

json field_json(const FieldDiff& f) {
  return {{"type", diff_type_id(f.type)},
          {"path", f.path},
          {"old_value", f.old_value},
          {"new_value", f.new_value},
          {"annotation", f.annotation}};
}

json group_json(const GroupSummary& g) {
  json counts = json::object();
  for (const auto& [kind, n] : g.counts) counts[action_kind_id(kind)] = n;
  return {{"name", g.name}, {"desired", g.desired}, {"canaries", g.canaries}, {"counts", counts}};
}

json failure_json(const GroupFailure& f) { return {{"group", f.group}, {"unplaced", f.unplaced}, {"messages", f.messages}}; }

json job_json(const JobPlan& job) {
  json fields = json::array(), groups = json::array(), failures = json::array();
  for (const FieldDiff& f : job.fields) fields.push_back(field_json(f));
  for (const GroupSummary& g : job.groups) groups.push_back(group_json(g));
  for (const GroupFailure& f : job.failures) failures.push_back(failure_json(f));
  const auto& launch = job.next_periodic_launch_unix;
  return {{"id", job.job},
          {"type", job.type},
          {"change", diff_type_id(job.change)},
          {"version", job.version},
          {"previous_version", optional_json(job.previous_version)},
          {"fields", fields},
          {"groups", groups},
          {"failures", failures},
          {"next_periodic_launch", launch ? json(base::rfc3339_utc(*launch)) : json(nullptr)},
          {"next_periodic_launch_unix", optional_json(launch)},
          {"note", job.note}};
}

json action_json(const Action& a) {
  json ports = json::object();
  for (const auto& [label, port] : a.ports) ports[label] = port;
  return {{"kind", action_kind_id(a.kind)},
          {"name", a.name()},
          {"job", a.job},
          {"group", a.group},
          {"index", a.index},
          {"alloc_id", a.alloc_id},
          {"node", a.node},
          {"to_node", a.to_node},
          {"ports", ports},
          {"job_version", a.job_version},
          {"reason", a.reason},
          {"wave", a.wave},
          {"canary", a.canary}};
}

json failed_deployment_json(const FailedDeployment& d) {
  return {{"job", d.job},
          {"deployment_id", d.deployment_id},
          {"version", d.version},
          {"description", d.description},
          {"unhealthy", d.unhealthy}};
}

}  // namespace

json plan_to_json(const Plan& plan) {
  json jobs = json::array(), actions = json::array(), failed = json::array();
  for (const JobPlan& job : plan.jobs) jobs.push_back(job_json(job));
  for (const Action& action : plan.actions) actions.push_back(action_json(action));
  for (const FailedDeployment& d : plan.failed_deployments) failed.push_back(failed_deployment_json(d));
  return {{"format_version", kPlanFormatVersion},
          {"summary", summary_json(plan)},
          {"jobs", jobs},
          {"actions", actions},
          {"drift", plan.drift},
          {"failed_deployments", failed},
          {"state_serial", plan.state_serial},
          {"observed_digest", plan.observed_digest},
          {"host_digests", plan.host_digests},
          {"seed", plan.seed},
          {"computed_at", base::rfc3339_utc(plan.computed_unix)},
          {"computed_at_unix", plan.computed_unix}};
}

}  // namespace skiff::reconciler
