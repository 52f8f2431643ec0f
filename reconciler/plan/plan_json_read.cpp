// Reading a Plan back from the JSON plan_to_json wrote, with base's strict
// reader: every field must be present (null where a value is optional) and
// of its type, fields this skiff does not know are ignored, and a problem
// is reported by the field's path ("jobs[0].groups[1].desired") so a
// hand-edited or truncated plan file says what is wrong with it.
#include "base/json_reader.hpp"
#include "reconciler/plan/plan_json.hpp"

namespace skiff::reconciler {

using base::Fields;
using base::JsonPath;
using nlohmann::json;

// Declared in skiff::reconciler (not an unnamed namespace) so that the
// decode templates of base/json_reader.hpp find them by argument-dependent
// lookup.
static Status decode(const json& value, const JsonPath& path, FieldDiff& out);
static Status decode(const json& value, const JsonPath& path, GroupSummary& out);
static Status decode(const json& value, const JsonPath& path, GroupFailure& out);
static Status decode(const json& value, const JsonPath& path, JobPlan& out);
static Status decode(const json& value, const JsonPath& path, Action& out);
static Status decode(const json& value, const JsonPath& path, FailedDeployment& out);

namespace {

// A plan file's fields: all of them required, unknown ones ignored.
Fields plan_fields(const json& value, const JsonPath& path) { return Fields(value, path, base::UnknownFields::kIgnore); }

Result<ActionKind> action_kind(const std::string& id, const JsonPath& path) {
  for (ActionKind kind : {ActionKind::kPlace, ActionKind::kStop, ActionKind::kUpdateInPlace, ActionKind::kReplace,
                          ActionKind::kMigrate, ActionKind::kReschedule, ActionKind::kIgnore})
    if (action_kind_id(kind) == id) return kind;
  return path.error("unknown action kind \"" + id + "\"");
}

// The change at `key` of `f`'s object ("none", "added", ...).
void read_diff_type(Fields& f, const std::string& key, DiffType& out) {
  std::string id;
  f.require(key, id);
  if (!f.ok()) return;
  for (DiffType type : {DiffType::kNone, DiffType::kAdded, DiffType::kDeleted, DiffType::kEdited})
    if (diff_type_id(type) == id) {
      out = type;
      return;
    }
  f.fail(f.path_of(key).error("unknown change \"" + id + "\" (none, added, deleted or edited)"));
}

// "counts": allocations per action, keyed by the action kind's id.
Status decode_counts(const json& value, const JsonPath& path, std::map<ActionKind, int>& out) {
  if (!value.is_object()) return path.wrong_type("an object", value);
  for (auto it = value.begin(); it != value.end(); ++it) {
    Result<ActionKind> kind = action_kind(it.key(), path.member(it.key()));
    if (!kind.ok()) return kind.error();
    if (Status status = base::decode(it.value(), path.member(it.key()), out[*kind]); !status) return status;
  }
  return Status();
}

Status decode_summary(const json& value, const JsonPath& path, PlanSummary& s) {
  Fields f = plan_fields(value, path);
  f.require("place", s.place);
  f.require("update_in_place", s.update_in_place);
  f.require("replace", s.replace);
  f.require("stop", s.stop);
  f.require("migrate", s.migrate);
  f.require("unplaced", s.unplaced);
  return f.finish();
}

}  // namespace

static Status decode(const json& value, const JsonPath& path, FieldDiff& out) {
  Fields f = plan_fields(value, path);
  read_diff_type(f, "type", out.type);
  f.require("path", out.path);
  f.require("old_value", out.old_value);
  f.require("new_value", out.new_value);
  f.require("annotation", out.annotation);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, GroupSummary& out) {
  Fields f = plan_fields(value, path);
  f.require("name", out.name);
  f.require("desired", out.desired);
  f.require("canaries", out.canaries);
  if (const json* counts = f.find("counts"))
    if (Status status = decode_counts(*counts, f.path_of("counts"), out.counts); !status) f.fail(status.error());
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, GroupFailure& out) {
  Fields f = plan_fields(value, path);
  f.require("group", out.group);
  f.require("unplaced", out.unplaced);
  f.require("messages", out.messages);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, JobPlan& out) {
  Fields f = plan_fields(value, path);
  f.require("id", out.job);
  f.require("type", out.type);
  read_diff_type(f, "change", out.change);
  f.require("version", out.version);
  f.require("previous_version", out.previous_version);
  f.require("fields", out.fields);
  f.require("groups", out.groups);
  f.require("failures", out.failures);
  f.require("next_periodic_launch_unix", out.next_periodic_launch_unix);
  f.require("note", out.note);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, Action& out) {
  Fields f = plan_fields(value, path);
  std::string kind;
  f.require("kind", kind);
  if (f.ok()) {
    Result<ActionKind> known = action_kind(kind, f.path_of("kind"));
    if (known.ok()) out.kind = *known;
    else f.fail(known.error());
  }
  f.require("job", out.job);
  f.require("group", out.group);
  f.require("index", out.index);
  f.require("alloc_id", out.alloc_id);
  f.require("node", out.node);
  f.require("to_node", out.to_node);
  f.require("ports", out.ports);
  f.require("job_version", out.job_version);
  f.require("reason", out.reason);
  f.require("wave", out.wave);
  f.require("canary", out.canary);
  return f.finish();
}

static Status decode(const json& value, const JsonPath& path, FailedDeployment& out) {
  Fields f = plan_fields(value, path);
  f.require("job", out.job);
  f.require("deployment_id", out.deployment_id);
  f.require("version", out.version);
  f.require("description", out.description);
  f.require("unhealthy", out.unhealthy);
  return f.finish();
}

namespace {

Status read_plan(const json& document, Plan& plan) {
  Fields f = plan_fields(document, JsonPath("", base::Wording::kNamesFound));
  // Read first: a newer format may have changed any other field.
  int version = 0;
  f.require("format_version", version);
  if (f.ok() && version != kPlanFormatVersion)
    f.fail(f.path_of("format_version")
               .error("this skiff reads version " + std::to_string(kPlanFormatVersion) + ", not " + std::to_string(version)));
  if (const json* summary = f.find("summary"); summary && f.ok())
    if (Status status = decode_summary(*summary, f.path_of("summary"), plan.summary); !status) f.fail(status.error());
  f.require("jobs", plan.jobs);
  f.require("actions", plan.actions);
  f.require("drift", plan.drift);
  f.require("failed_deployments", plan.failed_deployments);
  f.require("state_serial", plan.state_serial);
  f.require("observed_digest", plan.observed_digest);
  f.get("host_digests", plan.host_digests);  // absent in plans saved before it was kept
  f.require("seed", plan.seed);
  f.require("computed_at_unix", plan.computed_unix);
  return f.finish();
}

}  // namespace

Result<Plan> plan_from_json(const nlohmann::json& json) {
  Plan plan;
  Status status = read_plan(json, plan);
  if (!status) return status.error().wrap("plan JSON");
  return plan;
}

}  // namespace skiff::reconciler
