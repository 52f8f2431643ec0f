// Placement rules and lifecycle policies shared by jobs, groups and tasks,
// with Nomad's defaults (applied by the decoder per job type).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parser/spec/duration.hpp"

namespace skiff::spec {

// `constraint { attribute = "${attr.kernel.name}" operator = "=" value = "linux" }`.
// Nomad's shorthands (distinct_hosts = true, ...) are normalised to operators.
struct Constraint {
  std::string attribute;  // "${...}" reference or literal; empty for distinct_hosts
  std::string op = "=";
  std::string value;
};

struct Affinity {
  std::string attribute;
  std::string op = "=";
  std::string value;
  int weight = 50;
};

struct SpreadTarget {
  std::string value;
  int percent = 0;
};

struct Spread {
  std::string attribute;
  int weight = 0;
  std::vector<SpreadTarget> targets;
};

enum class HealthCheckMode { kChecks, kTaskStates, kManual };

struct UpdatePolicy {
  int max_parallel = 1;
  HealthCheckMode health_check = HealthCheckMode::kChecks;
  Duration min_healthy_time = Duration::seconds(10);
  Duration healthy_deadline = Duration::minutes(5);
  Duration progress_deadline = Duration::minutes(10);
  bool auto_revert = false;
  bool auto_promote = false;
  int canary = 0;
  Duration stagger = Duration::seconds(30);
};

struct MigratePolicy {
  int max_parallel = 1;
  HealthCheckMode health_check = HealthCheckMode::kChecks;
  Duration min_healthy_time = Duration::seconds(10);
  Duration healthy_deadline = Duration::minutes(5);
};

enum class RestartMode { kFail, kDelay };

struct RestartPolicy {
  int attempts = 2;
  Duration interval = Duration::minutes(30);
  Duration delay = Duration::seconds(15);
  RestartMode mode = RestartMode::kFail;
  bool render_templates = false;
};

enum class DelayFunction { kConstant, kExponential, kFibonacci };

struct ReschedulePolicy {
  int attempts = 0;
  Duration interval{0};
  Duration delay = Duration::seconds(30);
  DelayFunction delay_function = DelayFunction::kExponential;
  Duration max_delay = Duration::hours(1);
  bool unlimited = true;
};

struct EphemeralDisk {
  int size_mb = 300;
  bool sticky = false;
  bool migrate = false;
};

struct Periodic {
  std::vector<std::string> crons;
  bool prohibit_overlap = false;
  std::string time_zone = "UTC";
  bool enabled = true;
};

struct Parameterized {
  std::string payload = "optional";  // optional | required | forbidden
  std::vector<std::string> meta_required;
  std::vector<std::string> meta_optional;
};

struct LogConfig {
  int max_files = 10;
  int max_file_size_mb = 10;
  bool disabled = false;
};

}  // namespace skiff::spec
