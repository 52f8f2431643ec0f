// Nomad's runtime environment for a task, and the runtime interpolation of
// `${...}` in its env, args and config, so that existing job files work
// unchanged. Pure: values in, values out.
#pragma once

#include <map>
#include <string>

#include "drivers/host/host_facts.hpp"
#include "drivers/task/allocation.hpp"
#include "parser/spec/inventory.hpp"
#include "parser/spec/job.hpp"

namespace skiff::drivers {

struct TaskContext {
  const spec::Job& job;
  const spec::Group& group;
  const spec::Task& task;
  const Allocation& allocation;
  const spec::Host& host;
  const HostFacts& facts;
};

// A dispatched run's payload for the task: the file under local/ it goes
// to, and a printf format that prints it (shell_quote.hpp's
// printf_literal); both empty when the task takes none or the job has none.
std::string payload_file(const TaskContext& c);
std::string payload_format(const TaskContext& c);

// NOMAD_ALLOC_ID, NOMAD_ALLOC_INDEX, NOMAD_ALLOC_NAME, NOMAD_JOB_ID,
// NOMAD_JOB_NAME, NOMAD_GROUP_NAME, NOMAD_TASK_NAME, NOMAD_NAMESPACE,
// NOMAD_REGION, NOMAD_DC, NOMAD_ALLOC_DIR, NOMAD_TASK_DIR, NOMAD_SECRETS_DIR,
// NOMAD_CPU_LIMIT, NOMAD_MEMORY_LIMIT (and NOMAD_MEMORY_MAX_LIMIT when set),
// per port NOMAD_PORT_<l>, NOMAD_HOST_PORT_<l>, NOMAD_IP_<l>, NOMAD_ADDR_<l>,
// NOMAD_HOST_IP_<l>, NOMAD_HOST_ADDR_<l>, per meta key (job, then group,
// then task, later wins) NOMAD_META_<key> and NOMAD_META_<KEY>; then the
// task's env, interpolated, over all of these. Names are cleaned as Nomad
// cleans them: characters other than letters, digits and _ become _.
std::map<std::string, std::string> task_environment(const TaskContext& context);

// Replaces each `${name}` whose name is known: a variable of `env`,
// attr.* (kernel.name, kernel.version, cpu.arch, os.name, os.version,
// unique.hostname, unique.network.ip-address, driver.<d>), node.*
// (unique.name, datacenter, class, pool) or meta.<key> of the host. Unknown
// references stay as written, as Nomad leaves them.
std::string interpolate(const std::string& text, const std::map<std::string, std::string>& env, const TaskContext& context);

// The task's driver config with interpolate() applied to every string in
// it, at any depth (args, mount sources, logging options, labels, ...).
parser::Value interpolate_config(const parser::Value& config, const std::map<std::string, std::string>& env,
                                 const TaskContext& context);

// "web-port" -> "web_port".
std::string clean_env_name(const std::string& name);

}  // namespace skiff::drivers
