// The read-only operating commands, Nomad's nouns over the state:
//   skiff status [-json]                    every job: version, allocations running/desired, last deployment
//   skiff job list [-json]                  every job: type, version, status, allocations, source
//   skiff job status JOB [-json]            one job's versions, allocations and deployments
//   skiff job history JOB [-p] [-json]      its versions, -p with the field diffs between them
//   skiff deployment status [JOB] [-json]   deployments, newest first
// None takes the lock: a save replaces the state file whole.
#include <memory>

#include "cli/commands.hpp"
#include "cli/job_files.hpp"
#include "cli/state_access.hpp"
#include "cli/state_tables.hpp"
#include "cli/table.hpp"
#include "cli/workspace.hpp"
#include "reconciler/plan/field_diff.hpp"
#include "state/state_json.hpp"

namespace skiff::cli {

namespace {

struct ReadOptions {
  std::string job;
  bool json = false;
  bool patch = false;  // job history -p
};

std::optional<state::State> read_state(Context& context) {
  std::optional<Workspace> workspace = load_workspace("", context);
  if (!workspace) return std::nullopt;
  Result<std::unique_ptr<state::StateStore>> store = open_state_store(*workspace);
  if (!store.ok()) {
    context.err << "skiff: " << store.error().message << "\n";
    return std::nullopt;
  }
  Result<std::optional<state::State>> loaded = (*store)->load();
  if (!loaded.ok()) {
    context.err << "skiff: " << loaded.error().message << "\n";
    return std::nullopt;
  }
  return loaded->value_or(state::State{});
}

// The state cut down to one job: its record, allocations and deployments.
state::State only_job(const state::State& all, const std::string& job) {
  state::State one;
  one.lineage = all.lineage;
  one.serial = all.serial;
  if (auto it = all.jobs.find(job); it != all.jobs.end()) one.jobs[job] = it->second;
  for (const state::AllocationRecord& a : all.allocations)
    if (a.job == job) one.allocations.push_back(a);
  for (const state::Deployment& d : all.deployments)
    if (d.job == job) one.deployments.push_back(d);
  return one;
}

const state::Deployment* latest_deployment(const state::State& s, const std::string& job) {
  const state::Deployment* latest = nullptr;
  for (const state::Deployment& d : s.deployments)
    if (d.job == job && (!latest || d.created_unix >= latest->created_unix)) latest = &d;
  return latest;
}

int overview(const ReadOptions& options, Context& context) {
  std::optional<state::State> s = read_state(context);
  if (!s) return kExitError;
  if (options.json) {
    context.out << pretty_json(state::state_to_json(*s));
    return kExitOk;
  }
  if (s->jobs.empty()) {
    context.out << "No jobs applied yet.\n";
    return kExitOk;
  }
  Table table({"ID", "Type", "Version", "Running", "Last deployment"});
  for (const auto& [id, job] : s->jobs) {
    int running = 0, total = 0;
    for (const state::AllocationRecord& a : s->allocations) {
      if (a.job != id || a.status == "stopped") continue;
      ++total;
      running += a.status == "running";
    }
    const state::JobVersion* current = s->current(id);
    const state::Deployment* d = latest_deployment(*s, id);
    table.add_row({id, job.type, current ? std::to_string(current->version) + (current->stopped ? " (stopped)" : "") : "-",
                   std::to_string(running) + "/" + std::to_string(total), d ? d->status : "-"});
  }
  context.out << table.render();
  return kExitOk;
}

// Nomad's job status words: a stopped job is "dead", one with allocations
// still running is "running", one whose runs have all ended "dead", one
// with nothing placed yet "pending"; a job whose runs are launched later
// says how ("parameterized": by `job dispatch`; "periodic").
std::string job_status_word(const state::State& s, const std::string& id) {
  const state::JobVersion* current = s.current(id);
  int live = 0, total = 0;
  for (const state::AllocationRecord& a : s.allocations) {
    if (a.job != id) continue;
    ++total;
    live += a.status == "running" || a.status == "pending";
  }
  if (current && current->stopped) return live > 0 ? "stopping" : "dead (stopped)";
  if (live > 0) return "running";
  if (current && current->spec.is_object()) {
    if (!current->spec.value("parameterized", nlohmann::json()).is_null()) return "parameterized";
    if (!current->spec.value("periodic", nlohmann::json()).is_null()) return "periodic";
  }
  return total > 0 ? "dead" : "pending";
}

int job_list(const ReadOptions& options, Context& context) {
  std::optional<state::State> s = read_state(context);
  if (!s) return kExitError;
  nlohmann::json rows = nlohmann::json::array();
  Table table({"ID", "Type", "Version", "Status", "Allocations", "Source"});
  for (const auto& [id, job] : s->jobs) {
    int running = 0, total = 0;
    for (const state::AllocationRecord& a : s->allocations) {
      if (a.job != id) continue;
      ++total;
      running += a.status == "running";
    }
    const state::JobVersion* current = s->current(id);
    const std::string status = job_status_word(*s, id);
    rows.push_back({{"id", id},
                    {"type", job.type},
                    {"version", current ? nlohmann::json(current->version) : nlohmann::json(nullptr)},
                    {"status", status},
                    {"running", running},
                    {"allocations", total},
                    {"source", current ? current->source : ""}});
    table.add_row({id, job.type, current ? std::to_string(current->version) : "-", status,
                   std::to_string(running) + " running of " + std::to_string(total), current ? current->source : "-"});
  }
  if (options.json) context.out << pretty_json(rows);
  else context.out << (s->jobs.empty() ? std::string("No jobs applied yet.\n") : table.render());
  return kExitOk;
}

bool known_job(const state::State& s, const std::string& job, Context& context) {
  if (s.jobs.count(job)) return true;
  context.err << "skiff: no job \"" << job << "\" in the state\n";
  return false;
}

int job_status(const ReadOptions& options, Context& context) {
  std::optional<state::State> s = read_state(context);
  if (!s || !known_job(*s, options.job, context)) return kExitError;
  const state::State one = only_job(*s, options.job);
  if (options.json) {
    context.out << pretty_json(state::state_to_json(one));
    return kExitOk;
  }
  const state::JobRecord& job = one.jobs.at(options.job);
  const state::JobVersion* current = one.current(options.job);
  context.out << "ID       = " << options.job << "\nType     = " << job.type
              << "\nVersion  = " << (current ? std::to_string(current->version) : "-")
              << "\nStable   = " << (current && current->stable ? "true" : "false")
              << "\nSource   = " << (current ? current->source : "-") << "\n";
  context.out << "\nAllocations\n" << (one.allocations.empty() ? std::string("(none)\n") : allocations_table(one, options.job));
  context.out << "\nDeployments\n" << (one.deployments.empty() ? std::string("(none)\n") : deployments_table(one, options.job));
  return kExitOk;
}

int job_history(const ReadOptions& options, Context& context) {
  std::optional<state::State> s = read_state(context);
  if (!s || !known_job(*s, options.job, context)) return kExitError;
  const std::vector<state::JobVersion>& versions = s->jobs.at(options.job).versions;
  if (options.json) {
    context.out << pretty_json(state::state_to_json(only_job(*s, options.job))["jobs"][options.job]["versions"]);
    return kExitOk;
  }
  // Newest first, as `nomad job history` prints them.
  for (size_t i = versions.size(); i-- > 0;) {
    const state::JobVersion& v = versions[i];
    context.out << "Version     = " << v.version << "\nStable      = " << (v.stable ? "true" : "false")
                << "\nApplied by  = " << v.applied_by << "\nApplied     = " << time_or_dash(v.applied_unix)
                << "\nSource      = " << v.source << "\n";
    if (options.patch && i > 0) {
      context.out << "Diff        =\n";
      for (const reconciler::FieldDiff& d : reconciler::diff_job_specs(versions[i - 1].spec, v.spec)) {
        const char* sign = d.type == reconciler::DiffType::kAdded ? "+" : d.type == reconciler::DiffType::kDeleted ? "-" : "~";
        context.out << "  " << sign << " " << d.path << ": " << (d.old_value.empty() ? "" : d.old_value + " => ") << d.new_value
                    << (d.annotation.empty() ? "" : " (" + d.annotation + ")") << "\n";
      }
    }
    context.out << "\n";
  }
  return kExitOk;
}

int deployment_status(const ReadOptions& options, Context& context) {
  std::optional<state::State> s = read_state(context);
  if (!s) return kExitError;
  if (!options.job.empty() && !known_job(*s, options.job, context)) return kExitError;
  state::State shown = options.job.empty() ? *s : only_job(*s, options.job);
  std::sort(shown.deployments.begin(), shown.deployments.end(),
            [](const state::Deployment& a, const state::Deployment& b) { return a.created_unix > b.created_unix; });
  if (options.json) {
    context.out << pretty_json(state::state_to_json(shown)["deployments"]);
    return kExitOk;
  }
  if (shown.deployments.empty()) {
    context.out << "No deployments.\n";
    return kExitOk;
  }
  for (const state::Deployment& d : shown.deployments) {
    context.out << "ID          = " << short_id(d.id) << "\nJob ID      = " << d.job << "\nJob Version = " << d.job_version
                << "\nStatus      = " << d.status << "\nDescription = " << d.description << "\n\n";
    Table groups({"Task Group", "Desired", "Placed", "Healthy", "Unhealthy"});
    for (const auto& [name, g] : d.groups)
      groups.add_row(
          {name, std::to_string(g.desired), std::to_string(g.placed), std::to_string(g.healthy), std::to_string(g.unhealthy)});
    context.out << groups.render() << "\n";
  }
  return kExitOk;
}

enum class JobArgument { kNone, kOptional, kRequired };

CLI::App* read_command(CLI::App& parent, const std::string& name, const std::string& about, Context& context,
                       int (*run)(const ReadOptions&, Context&), JobArgument job, bool patch) {
  auto options = std::make_shared<ReadOptions>();
  CLI::App* command = parent.add_subcommand(name, about);
  if (job == JobArgument::kRequired) command->add_option("job", options->job, "The job's id")->required();
  if (job == JobArgument::kOptional) command->add_option("job", options->job, "Only this job's");
  command->add_flag("--json", options->json, "Print JSON (docs/state-json.md)");
  if (patch) command->add_flag("-p,--patch", options->patch, "Show the field diffs between versions");
  command->callback([options, run, &context] { context.exit_code = run(*options, context); });
  return command;
}

}  // namespace

void register_job(CLI::App& app, Context& context) {
  auto options = std::make_shared<ReadOptions>();
  CLI::App* status = app.add_subcommand("status", "Every job in the state: version, allocations running, last deployment");
  status->add_flag("--json", options->json, "Print the state as JSON");
  status->footer(
      "Examples:\n"
      "  skiff status\n"
      "  skiff status -json | jq '.jobs | keys'");
  status->callback([options, &context] { context.exit_code = overview(*options, context); });

  CLI::App* job = app.add_subcommand("job", "Jobs in the state");
  job->require_subcommand(1);
  job->footer(
      "Examples:\n"
      "  skiff job list\n"
      "  skiff job status web\n"
      "  skiff job history -p web\n"
      "  skiff job stop -purge web\n"
      "  skiff job dispatch -meta input=s3://bucket/x report");
  read_command(*job, "list", "Every job in the state: type, version, status, allocations, source", context, job_list,
               JobArgument::kNone, false)
      ->footer(
          "Examples:\n"
          "  skiff job list\n"
          "  skiff job list -json");
  read_command(*job, "status", "One job: its version, allocations and deployments", context, job_status, JobArgument::kRequired,
               false)
      ->footer(
          "Examples:\n"
          "  skiff job status web\n"
          "  skiff job status -json web");
  read_command(*job, "history", "A job's versions, newest first (-p: with field diffs)", context, job_history,
               JobArgument::kRequired, true)
      ->footer(
          "Examples:\n"
          "  skiff job history web\n"
          "  skiff job history -p web");
  CLI::App* deployment = app.add_subcommand("deployment", "Deployments in the state");
  deployment->require_subcommand(1);
  deployment->footer(
      "Examples:\n"
      "  skiff deployment status\n"
      "  skiff deployment promote web\n"
      "  skiff deployment fail web");
  read_command(*deployment, "status", "Deployments, newest first", context, deployment_status, JobArgument::kOptional, false)
      ->footer(
          "Examples:\n"
          "  skiff deployment status\n"
          "  skiff deployment status -json web");
}

}  // namespace skiff::cli
