// skiff debug run-task FILE: starts one allocation of a job's group on one
// host, without a plan, recorded nowhere and of no state's lineage: a state
// trusts only the allocations it recorded (reconciler/claims.hpp), so the
// first plan adopts it as one from before lineages. For trying drivers and
// job files by hand and for tests; `skiff alloc ...` finds it.
#include <memory>
#include <random>
#include <set>

#include "base/text.hpp"
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/fleet_access.hpp"
#include "cli/job_files.hpp"
#include "cli/workspace.hpp"
#include "drivers/host/fingerprint.hpp"
#include "drivers/task/supervisor.hpp"
#include "drivers/task/task_driver.hpp"
#include "parser/load.hpp"
#include "parser/sensitive.hpp"
#include "reconciler/scheduler/placer.hpp"
#include "reconciler/spec_hash.hpp"

namespace skiff::cli {

namespace {

struct RunTaskOptions {
  std::string file;
  VarFlags flags;
  std::string inventory;
  std::string group;  // default: the job's first group
  std::string host;   // default: the inventory's first host
};

// Static ports as declared; dynamic ones drawn from 20000-32000 (no
// collision check: this is not the scheduler).
std::vector<drivers::AssignedPort> assign_ports(const spec::Group& group) {
  std::vector<drivers::AssignedPort> ports;
  if (!group.network) return ports;
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> dynamic(20000, 32000);
  for (const spec::Port& p : group.network->ports)
    ports.push_back({p.label, p.static_port > 0 ? p.static_port : dynamic(random), p.to});
  return ports;
}

const spec::Group* find_group(const spec::Job& job, const std::string& name) {
  for (const spec::Group& g : job.groups)
    if (name.empty() || g.name == name) return &g;
  return nullptr;
}

int run_task(const RunTaskOptions& options, Context& context) {
  std::optional<spec::Job> loaded = load_job_file(options.file, options.flags, context);
  if (!loaded) return kExitError;
  const spec::Job& job = *loaded;
  const spec::Group* group = find_group(job, options.group);
  if (!group) {
    context.err << "skiff: job \"" << job.id << "\" has no group \"" << options.group << "\"\n";
    return kExitError;
  }

  std::optional<Workspace> workspace = load_workspace(options.inventory, context);
  if (!workspace) return kExitError;
  const spec::Host* host = options.host.empty() ? &workspace->inventory.hosts.front() : workspace->inventory.find(options.host);
  if (!host) {
    context.err << "skiff: no host \"" << options.host << "\" in the inventory\n";
    return kExitError;
  }
  Result<FleetAccess> access = open_fleet(*workspace, 0, FleetUse::kRead, context);
  if (!access.ok()) {
    context.err << "skiff: " << access.error().message << "\n";
    return kExitError;
  }
  auto run = [&](const drivers::Command& command) {
    return access->run_on({*host}, [&](const spec::Host&) { return command; }).front();
  };

  // The host's facts fill ${attr.*} in the task's env and args.
  Result<drivers::HostFacts> facts = drivers::facts_from_fingerprint(run(drivers::fingerprint_command(host->data_dir)));
  if (!facts.ok()) {
    context.err << "skiff: " << host->name << ": " << facts.error().message << "\n";
    return kExitError;
  }

  Result<std::string> id = drivers::new_allocation_id();
  if (!id.ok()) {
    context.err << "skiff: " << id.error().message << "\n";
    return kExitError;
  }
  drivers::Allocation allocation;
  allocation.id = *id;
  allocation.job = job.id;
  allocation.group = group->name;
  allocation.job_type = spec::to_string(job.type);
  allocation.datacenter = host->datacenter;
  allocation.host = host->name;
  allocation.host_address = host->transport == spec::Transport::kLocal ? "127.0.0.1" : host->address;
  allocation.data_dir = host->data_dir;
  allocation.ports = assign_ports(*group);
  const nlohmann::json job_json = parser::job_to_json(job);
  allocation.task_spec_hashes = reconciler::task_spec_hashes(job_json, group->name);
  allocation.job_spec_hash = reconciler::job_spec_hash(job_json);
  const reconciler::Resources reserved = reconciler::group_resources(*group);
  allocation.cpu_mhz = reserved.cpu_mhz;
  allocation.memory_mb = reserved.memory_mb;
  allocation.disk_mb = reserved.disk_mb;
  allocation.created_unix = now_unix();

  context.out << "Allocation " << allocation.id << " (" << allocation.name() << ") on " << host->name << "\n";
  // What the host prints back may quote the task's sensitive values, and
  // control characters: shown scrubbed and escaped.
  std::set<std::string> secrets;
  for (const auto& [text, marker] : job.sensitive) secrets.insert(text);
  auto shown = [&](std::string text) { return base::terminal_safe(parser::scrub_sensitive(std::move(text), secrets)); };
  int code = kExitOk;
  for (const spec::Task& task : group->tasks) {
    Result<const drivers::TaskDriver*> driver = drivers::driver_for(task);
    Result<drivers::Command> start =
        driver.ok() ? (*driver)->start(drivers::TaskContext{job, *group, task, allocation, *host, *facts}) : driver.error();
    if (!start.ok()) {
      context.err << "skiff: " << shown(start.error().message) << "\n";
      code = kExitError;
      continue;
    }
    Result<drivers::CommandResult> started = run(*start);
    if (!started.ok() || !started->success()) {
      context.err << "skiff: task \"" << task.name << "\" on " << host->name << ": "
                  << shown(started.ok() ? started->stderr_data : started.error().message) << "\n";
      code = kExitError;
      continue;
    }
    std::string state = started->stdout_data.substr(0, started->stdout_data.find('\n'));
    context.out << "Task \"" << task.name << "\": " << shown(state.rfind("state=", 0) == 0 ? state.substr(6) : "started") << "\n";
  }
  return code;
}

}  // namespace

void register_debug(CLI::App& app, Context& context) {
  CLI::App* debug = app.add_subcommand("debug", "Low-level tools for trying drivers and job files by hand");
  debug->require_subcommand(1);
  debug->footer(
      "Examples:\n"
      "  skiff debug run-task examples/hello.nomad.hcl");
  auto options = std::make_shared<RunTaskOptions>();
  CLI::App* command = debug->add_subcommand("run-task", "Start one allocation of a job's group on one host, outside any plan");
  command->add_option("file", options->file, "The job file")->required();
  command->add_option("--group", options->group, "The task group (default: the first)");
  command->add_option("--host", options->host, "The inventory host (default: the first)");
  add_inventory_flag(*command, options->inventory);
  add_var_flags(*command, options->flags);
  command->footer(
      "Nothing is recorded in skiff's state: stop the allocation with `skiff alloc stop ID`.\n"
      "Examples:\n"
      "  skiff debug run-task examples/hello.nomad.hcl\n"
      "  skiff debug run-task -host web-2 -group cache jobs/redis.nomad.hcl");
  command->callback([options, &context] { context.exit_code = run_task(*options, context); });
}

}  // namespace skiff::cli
