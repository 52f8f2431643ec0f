// Reading a Plan back from the JSON plan_to_json wrote. Every value is
// checked for presence and type, and a problem is reported by the field's
// path ("jobs[0].groups[1].desired") so a hand-edited or truncated plan file
// says what is wrong with it.
#include <limits>

#include "reconciler/plan/plan_json.hpp"

namespace skiff::reconciler {

namespace {

using nlohmann::json;

// Thrown inside this file only; plan_from_json turns it into an Error.
struct BadField {
  std::string path;
  std::string problem;
};

// One JSON object and where it sits in the document.
class Reader {
 public:
  Reader(const json& value, std::string path) : value_(value), path_(std::move(path)) {
    if (!value_.is_object()) throw BadField{path_, "expected an object, got " + type_of(value_)};
  }

  std::string string(const char* key) const { return typed(key, &json::is_string, "a string").get<std::string>(); }
  bool boolean(const char* key) const { return typed(key, &json::is_boolean, "a boolean").get<bool>(); }

  uint64_t unsigned_integer(const char* key) const {
    const json& v = typed(key, &json::is_number_integer, "a non-negative integer");
    if (!v.is_number_unsigned() && v.get<int64_t>() < 0) throw BadField{path_of(key), "must not be negative"};
    return v.get<uint64_t>();
  }
  int64_t integer(const char* key) const {
    const json& v = typed(key, &json::is_number_integer, "an integer");
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
      throw BadField{path_of(key), "out of range"};
    return v.get<int64_t>();
  }
  int small_integer(const char* key) const {
    int64_t n = integer(key);
    if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max())
      throw BadField{path_of(key), "out of range"};
    return int(n);
  }

  template <typename T>
  std::optional<T> optional(const char* key, T (Reader::*read)(const char*) const) const {
    if (member(key).is_null()) return std::nullopt;
    return (this->*read)(key);
  }

  Reader object(const char* key) const { return Reader(member(key), path_of(key)); }

  // Calls each(element, path) for every element of the array at key.
  template <typename F>
  void array(const char* key, F each) const {
    const json& items = typed(key, &json::is_array, "an array");
    for (size_t i = 0; i < items.size(); ++i) each(items[i], path_of(key) + "[" + std::to_string(i) + "]");
  }

  // Calls each(name, value, path) for every member of the object at key.
  template <typename F>
  void members(const char* key, F each) const {
    const json& items = typed(key, &json::is_object, "an object");
    for (auto it = items.begin(); it != items.end(); ++it) each(it.key(), it.value(), path_of(key) + "." + it.key());
  }

  const std::string& path() const { return path_; }

 private:
  static std::string type_of(const json& v) { return v.type_name(); }

  std::string path_of(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

  const json& member(const char* key) const {
    auto it = value_.find(key);
    if (it == value_.end()) throw BadField{path_of(key), "missing"};
    return *it;
  }

  const json& typed(const char* key, bool (json::*is)() const noexcept, const char* expected) const {
    const json& v = member(key);
    if (!(v.*is)()) throw BadField{path_of(key), std::string("expected ") + expected + ", got " + type_of(v)};
    return v;
  }

  const json& value_;
  std::string path_;
};

// Scalars that stand alone in an array or object, such as a port or a message.
int small_integer_at(const json& v, const std::string& path) {
  if (!v.is_number_integer()) throw BadField{path, "expected an integer, got " + std::string(v.type_name())};
  if (v.is_number_unsigned() ? v.get<uint64_t>() > uint64_t(std::numeric_limits<int>::max())
                             : v.get<int64_t>() < std::numeric_limits<int>::min() ||
                                   v.get<int64_t>() > std::numeric_limits<int>::max())
    throw BadField{path, "out of range"};
  return v.get<int>();
}

ActionKind action_kind(const std::string& id, const std::string& path) {
  for (ActionKind kind : {ActionKind::kPlace, ActionKind::kStop, ActionKind::kUpdateInPlace, ActionKind::kReplace,
                          ActionKind::kMigrate, ActionKind::kReschedule, ActionKind::kIgnore})
    if (action_kind_id(kind) == id) return kind;
  throw BadField{path, "unknown action kind \"" + id + "\""};
}

DiffType diff_type(const std::string& id, const std::string& path) {
  for (DiffType type : {DiffType::kNone, DiffType::kAdded, DiffType::kDeleted, DiffType::kEdited})
    if (diff_type_id(type) == id) return type;
  throw BadField{path, "unknown change \"" + id + "\" (none, added, deleted or edited)"};
}

PlanSummary read_summary(const Reader& r) {
  PlanSummary s;
  s.place = r.small_integer("place");
  s.update_in_place = r.small_integer("update_in_place");
  s.replace = r.small_integer("replace");
  s.stop = r.small_integer("stop");
  s.migrate = r.small_integer("migrate");
  s.unplaced = r.small_integer("unplaced");
  return s;
}

FieldDiff read_field(const Reader& r) {
  FieldDiff f;
  f.type = diff_type(r.string("type"), r.path() + ".type");
  f.path = r.string("path");
  f.old_value = r.string("old_value");
  f.new_value = r.string("new_value");
  f.annotation = r.string("annotation");
  return f;
}

GroupSummary read_group(const Reader& r) {
  GroupSummary g;
  g.name = r.string("name");
  g.desired = r.small_integer("desired");
  g.canaries = r.small_integer("canaries");
  r.members("counts", [&](const std::string& id, const json& n, const std::string& path) {
    g.counts[action_kind(id, path)] = small_integer_at(n, path);
  });
  return g;
}

GroupFailure read_failure(const Reader& r) {
  GroupFailure f;
  f.group = r.string("group");
  f.unplaced = r.small_integer("unplaced");
  r.array("messages", [&](const json& m, const std::string& path) {
    if (!m.is_string()) throw BadField{path, "expected a string, got " + std::string(m.type_name())};
    f.messages.push_back(m.get<std::string>());
  });
  return f;
}

JobPlan read_job(const Reader& r) {
  JobPlan job;
  job.job = r.string("id");
  job.type = r.string("type");
  job.change = diff_type(r.string("change"), r.path() + ".change");
  job.version = r.unsigned_integer("version");
  job.previous_version = r.optional("previous_version", &Reader::unsigned_integer);
  r.array("fields", [&](const json& v, const std::string& path) { job.fields.push_back(read_field(Reader(v, path))); });
  r.array("groups", [&](const json& v, const std::string& path) { job.groups.push_back(read_group(Reader(v, path))); });
  r.array("failures",
          [&](const json& v, const std::string& path) { job.failures.push_back(read_failure(Reader(v, path))); });
  job.next_periodic_launch_unix = r.optional("next_periodic_launch_unix", &Reader::integer);
  job.note = r.string("note");
  return job;
}

Action read_action(const Reader& r) {
  Action a;
  a.kind = action_kind(r.string("kind"), r.path() + ".kind");
  a.job = r.string("job");
  a.group = r.string("group");
  a.index = r.small_integer("index");
  a.alloc_id = r.string("alloc_id");
  a.node = r.string("node");
  a.to_node = r.string("to_node");
  r.members("ports", [&](const std::string& label, const json& port, const std::string& path) {
    a.ports[label] = small_integer_at(port, path);
  });
  a.job_version = r.unsigned_integer("job_version");
  a.reason = r.string("reason");
  a.wave = r.small_integer("wave");
  a.canary = r.boolean("canary");
  return a;
}

Plan read_plan(const Reader& r) {
  if (int version = r.small_integer("format_version"); version != kPlanFormatVersion)
    throw BadField{"format_version", "this skiff reads version " + std::to_string(kPlanFormatVersion) + ", not " +
                                         std::to_string(version)};
  Plan plan;
  plan.summary = read_summary(r.object("summary"));
  r.array("jobs", [&](const json& v, const std::string& path) { plan.jobs.push_back(read_job(Reader(v, path))); });
  r.array("actions",
          [&](const json& v, const std::string& path) { plan.actions.push_back(read_action(Reader(v, path))); });
  r.array("drift", [&](const json& line, const std::string& path) {
    if (!line.is_string()) throw BadField{path, "expected a string, got " + std::string(line.type_name())};
    plan.drift.push_back(line.get<std::string>());
  });
  plan.state_serial = r.unsigned_integer("state_serial");
  plan.observed_digest = r.string("observed_digest");
  plan.seed = r.unsigned_integer("seed");
  plan.computed_unix = r.integer("computed_at_unix");
  return plan;
}

}  // namespace

Result<Plan> plan_from_json(const nlohmann::json& json) {
  try {
    return read_plan(Reader(json, ""));
  } catch (const BadField& bad) {
    return make_error(ErrorCode::kParse, "plan JSON: " + (bad.path.empty() ? "" : bad.path + ": ") + bad.problem);
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::kParse, std::string("plan JSON: ") + e.what());
  }
}

}  // namespace skiff::reconciler
