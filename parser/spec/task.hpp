// A task: one process or container of a group, with its driver config kept
// as a generic value for the driver to read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parser/spec/policies.hpp"
#include "parser/spec/service.hpp"
#include "parser/value.hpp"

namespace skiff::spec {

struct Device {
  std::string name;
  int count = 1;
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
};

struct Resources {
  int cpu = 100;  // MHz
  int cores = 0;  // 0: not reserved by cores
  int memory_mb = 300;
  int memory_max_mb = 0;
  int disk_mb = 0;  // legacy task-level disk; the group's ephemeral_disk is what Nomad uses
  std::vector<Device> devices;
};

struct Artifact {
  std::string source;
  std::string destination = "local/";
  std::string mode = "any";
  std::map<std::string, std::string> options;
  std::map<std::string, std::string> headers;
};

struct Template {
  std::string source;
  std::string destination;
  std::string data;
  std::string change_mode = "restart";
  std::string change_signal;
  Duration splay = Duration::seconds(5);
  std::string perms = "0644";
  std::string left_delimiter = "{{";
  std::string right_delimiter = "}}";
  bool env = false;
  bool error_on_missing_key = false;
};

struct VolumeMount {
  std::string volume;
  std::string destination;
  bool read_only = false;
};

enum class LifecycleHook { kPrestart, kPoststart, kPoststop };

// "prestart", "poststart" or "poststop", as job files and alloc.json spell it.
std::string to_string(LifecycleHook hook);

struct Lifecycle {
  LifecycleHook hook = LifecycleHook::kPrestart;
  bool sidecar = false;
};

struct Task {
  std::string name;
  std::string driver;
  parser::Value config;  // the driver's config block, an object
  std::map<std::string, std::string> env;
  std::string user;
  bool leader = false;
  Duration kill_timeout = Duration::seconds(5);
  std::string kill_signal;  // empty: the driver's default (SIGTERM / SIGINT for docker)
  Duration shutdown_delay{0};
  std::map<std::string, std::string> meta;
  Resources resources;
  std::vector<Artifact> artifacts;
  std::vector<Template> templates;
  std::vector<Service> services;
  std::vector<VolumeMount> volume_mounts;
  std::optional<Lifecycle> lifecycle;
  // dispatch_payload { file }: a dispatched run's payload goes to
  // local/<this>; empty: the task takes no payload.
  std::string dispatch_payload_file;
  LogConfig logs;
  std::optional<RestartPolicy> restart;  // merged over the group's by the decoder
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
};

}  // namespace skiff::spec
