// The typed job model: what a job file means after evaluation, decoding,
// defaults (exactly Nomad's) and validation. Produced by parser::load_job.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parser/spec/policies.hpp"
#include "parser/spec/service.hpp"
#include "parser/spec/task.hpp"

namespace skiff::spec {

enum class JobType { kService, kBatch, kSystem, kSysbatch };

std::string to_string(JobType type);

struct Volume {
  std::string name;
  std::string type = "host";  // host (csi is reported as not supported)
  std::string source;         // the inventory's host_volume name
  bool read_only = false;
};

struct Group {
  std::string name;
  int count = 1;
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  std::vector<Spread> spreads;
  std::optional<Network> network;
  std::vector<Service> services;
  std::vector<Volume> volumes;
  RestartPolicy restart;
  std::optional<ReschedulePolicy> reschedule;  // absent for system and sysbatch jobs
  std::optional<UpdatePolicy> update;          // absent for batch jobs
  MigratePolicy migrate;
  EphemeralDisk ephemeral_disk;
  std::map<std::string, std::string> meta;
  std::optional<Duration> max_client_disconnect;
  std::vector<Task> tasks;
};

struct Job {
  std::string id;    // the block label
  std::string name;  // `name` attribute, default the id
  std::string source_path;
  std::string region = "global";
  std::string ns = "default";  // `namespace`
  JobType type = JobType::kService;
  std::vector<std::string> datacenters = {"*"};
  std::string node_pool = "default";
  int priority = 50;
  bool all_at_once = false;
  std::map<std::string, std::string> meta;
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  std::vector<Spread> spreads;
  std::optional<UpdatePolicy> update;  // job-level, already merged into groups
  std::optional<Periodic> periodic;
  std::optional<Parameterized> parameterized;
  // A dispatched run's payload (the PAYLOAD_FILE's bytes), written for each
  // task with a dispatch_payload block; empty for other jobs.
  std::string payload;
  std::vector<Group> groups;
  // Each text that came from a sensitive value (parser/sensitive.hpp) and
  // the marker parser::job_to_json writes in its place. A job read back
  // from the state has none: its fields hold the markers themselves.
  std::map<std::string, std::string> sensitive;
};

}  // namespace skiff::spec
