// Which changes to a job force its allocations to be replaced, as Nomad's
// scheduler decides it (tasksUpdated): a task's driver, user, config, env,
// meta (its own, its group's and its job's), artifacts, templates, logs,
// resources, volume mounts and lifecycle, and its group's network, volumes
// and ephemeral disk. Everything else (count, services, constraints,
// affinities, spreads, restart/update/migrate/reschedule policies, kill
// settings) updates allocations in place.
//
// Both decisions are kept as hashes: alloc.json records each task's
// destructive hash and the whole job's hash, so that a plan can tell a
// replacement from an in-place update from what the hosts say alone.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace skiff::reconciler {

// REQUIRES: job_json is parser::job_to_json of a job that has `group`.
// Task name -> "sha256:..." over the task's destructive fields.
std::map<std::string, std::string> task_spec_hashes(const nlohmann::json& job_json, const std::string& group);

// "sha256:..." over the whole job spec: differs whenever anything changed.
std::string job_spec_hash(const nlohmann::json& job_json);

// Whether a change at `path` (field_diff.hpp's paths: "group.web.task.app.config.image")
// forces a replacement.
bool is_destructive_path(const std::string& path);

}  // namespace skiff::reconciler
