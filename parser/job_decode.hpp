// Internal to parser/: decoding an evaluated job body into spec::Job, one
// file per block family (job_decode.cpp, group_decode.cpp, task_decode.cpp,
// policy_decode.cpp, service_decode.cpp), then Nomad's defaults
// (job_defaults.cpp) and cross-field validation (job_validate.cpp).
#pragma once

#include "parser/body_reader.hpp"
#include "parser/spec/job.hpp"

namespace skiff::parser::detail {

// Placement rules, each from the `constraint` / `affinity` / `spread` blocks of `reader`.
std::vector<spec::Constraint> decode_constraints(BodyReader& reader);
std::vector<spec::Affinity> decode_affinities(BodyReader& reader);
std::vector<spec::Spread> decode_spreads(BodyReader& reader);

// Policies: apply the attributes present in the block over `into`, so that
// group values override job values and task values override group values.
void decode_update(const EvalBlock& block, const std::string& where, Diagnostics& d, spec::UpdatePolicy& into);
void decode_migrate(const EvalBlock& block, const std::string& where, Diagnostics& d, spec::MigratePolicy& into);
void decode_restart(const EvalBlock& block, const std::string& where, Diagnostics& d, spec::RestartPolicy& into);
void decode_reschedule(const EvalBlock& block, const std::string& where, Diagnostics& d, spec::ReschedulePolicy& into);
spec::EphemeralDisk decode_ephemeral_disk(const EvalBlock& block, const std::string& where, Diagnostics& d);
spec::Periodic decode_periodic(const EvalBlock& block, const std::string& where, Diagnostics& d);
spec::Parameterized decode_parameterized(const EvalBlock& block, const std::string& where, Diagnostics& d);
spec::LogConfig decode_logs(const EvalBlock& block, const std::string& where, Diagnostics& d);

// Networks and services.
spec::Network decode_network(const EvalBlock& block, const std::string& where, Diagnostics& d);
std::vector<spec::Service> decode_services(BodyReader& reader);

// What a group inherits from its job: the type's defaults overlaid with the
// job-level update, migrate and reschedule blocks.
struct GroupDefaults {
  spec::JobType type = spec::JobType::kService;
  std::optional<spec::UpdatePolicy> update;
  spec::MigratePolicy migrate;
  std::optional<spec::ReschedulePolicy> reschedule;
};

// Groups and tasks. A job-level `task` block (an old Nomad form) is decoded
// as a group of the same name holding that one task.
spec::Group decode_group(const EvalBlock& block, const std::string& job_where, const GroupDefaults& defaults, Diagnostics& d);
spec::Group decode_task_as_group(const EvalBlock& block, const std::string& job_where, const GroupDefaults& defaults,
                                 Diagnostics& d);
spec::Task decode_task(const EvalBlock& block, const std::string& group_where, const spec::RestartPolicy& group_restart,
                       Diagnostics& d);

// A task's driver: true when skiff runs it; otherwise reported (a Nomad
// driver skiff does not run, or an unknown name with a did-you-mean).
bool check_driver_name(const EvalAttribute& driver, const SourceFilePtr& file, const std::string& task_where, Diagnostics& d);
// The task's `config` block (null when absent) against the schema of a
// driver skiff runs: types, required keys, keys skiff would ignore, typos.
void check_driver_config(const std::string& driver, const EvalBlock* config, const EvalBlock& task, const std::string& task_where,
                         Diagnostics& d);

// Nomad's defaults per job type.
spec::RestartPolicy default_restart(spec::JobType type);
std::optional<spec::ReschedulePolicy> default_reschedule(spec::JobType type);

// Cross-field rules: names unique, port labels and volumes declared, ...
void validate_job(const spec::Job& job, const EvalBlock& job_block, Diagnostics& d);

// "group \"cache\"", "task \"redis\" in group \"cache\"".
inline std::string where_of(std::string_view type, const std::string& label, const std::string& parent = "") {
  return describe_block(type, label) + (parent.empty() ? "" : " in " + parent);
}

}  // namespace skiff::parser::detail
