#include "cli/state_tables.hpp"

#include "cli/table.hpp"
#include "state/lock_message.hpp"

namespace skiff::cli {

// Allocation and deployment ids are UUIDs; eight characters tell them
// apart in a table, as in Nomad's.
constexpr size_t kIdPrefix = 8;

std::string short_id(const std::string& id) { return id.substr(0, kIdPrefix); }

std::string time_or_dash(int64_t unix_seconds) { return unix_seconds > 0 ? state::format_utc(unix_seconds) : "-"; }

std::string jobs_table(const state::State& state) {
  Table table({"Job", "Type", "Version", "Stable", "Applied by", "Applied", "Source"});
  for (const auto& [id, job] : state.jobs) {
    const state::JobVersion* current = state.current(id);
    if (!current) {
      table.add_row({id, job.type, "-", "-", "-", "-", "-"});
      continue;
    }
    std::string version = std::to_string(current->version) + (current->stopped ? " (stopped)" : "");
    table.add_row({id, job.type, version, current->stable ? "true" : "false", current->applied_by,
                   time_or_dash(current->applied_unix), current->source});
  }
  return table.render();
}

// A complete allocation says why it ended when that was not its own doing
// ("complete (stopped by user)").
std::string status_text(const state::AllocationRecord& a) {
  return a.status == "complete" && !a.status_reason.empty() ? a.status + " (" + a.status_reason + ")" : a.status;
}

std::string allocations_table(const state::State& state, const std::string& job) {
  Table table({"ID", "Job", "Group", "Host", "Version", "Status", "Health"});
  for (const state::AllocationRecord& a : state.allocations)
    if (job.empty() || a.job == job)
      table.add_row({short_id(a.id), a.job, a.group + "[" + std::to_string(a.index) + "]", a.host, std::to_string(a.job_version),
                     status_text(a), a.health});
  return table.render();
}

std::string deployments_table(const state::State& state, const std::string& job) {
  Table table({"ID", "Job", "Version", "Status", "Description"});
  for (const state::Deployment& d : state.deployments)
    if (job.empty() || d.job == job)
      table.add_row({short_id(d.id), d.job, std::to_string(d.job_version), d.status, d.description});
  return table.render();
}

std::string hosts_table(const state::State& state) {
  Table table({"Host", "Eligibility", "Drain", "Last seen", "Down since"});
  for (const auto& [name, host] : state.hosts) {
    std::string drain = host.draining ? "draining" : "-";
    if (host.draining && host.drain_deadline_unix) drain += " until " + state::format_utc(*host.drain_deadline_unix);
    table.add_row({name, host.eligible ? "eligible" : "ineligible", drain, time_or_dash(host.last_seen_unix),
                   host.down_since_unix ? state::format_utc(*host.down_since_unix) : "-"});
  }
  return table.render();
}

}  // namespace skiff::cli
