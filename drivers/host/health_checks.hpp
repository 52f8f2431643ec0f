// Service health checks (tcp, http, script) run on the host itself: one
// shell script per host that runs every check it is given once, all at the
// same time, each bounded by its timeout, and prints one line per check.
// Pure: the command and the parser are text; a Transport runs it.
//
// What the host needs, beyond a POSIX shell, `date`, `tr`, `cut`, `sed`
// and `head` (the script says "missing-tool" when none of a check's
// choices is there, and apply names the host and the check):
//   - timeouts: `timeout` (coreutils or busybox), else a sleep-and-kill
//     watchdog in the shell;
//   - tcp: bash (its /dev/tcp), else an `nc` that takes -z;
//   - http: curl, else wget (GNU; or busybox wget, GET only), else, for
//     plain http, a hand-written HTTP/1.0 request through bash's /dev/tcp
//     or nc; https needs curl or wget. Certificates are not verified (the
//     check dials the host's own address, which no certificate names);
//     redirects are not followed: the first response's status counts;
//   - script: whatever the command needs (raw_exec), or the container
//     runtime's `exec` (docker/podman).
//
// Output, one line per check, fields separated by tabs:
//   skiff-check <index> <alloc id> <service> <check> <status> <detail>
// where <index> is the check's position in the list given, <status> is
// passing | warning | failing | missing-tool and <detail> a short reason
// ("status 200", "exit 2: disk full", "cannot connect to 10.0.0.1:8080").
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "drivers/transport.hpp"

namespace skiff::drivers {

enum class CheckType { kTcp, kHttp, kScript };

// Nomad's check `on_update`: which results count for a deployment's health.
enum class CheckOnUpdate { kRequireHealthy, kIgnoreWarnings, kIgnore };

// One check of one allocation, resolved to what its host runs
// (health_check_targets.hpp makes these from the job's services).
struct HealthCheck {
  std::string alloc_id;
  std::string service;
  std::string name;
  CheckType type = CheckType::kTcp;
  // tcp and http: where to connect.
  std::string address = "127.0.0.1";
  int port = 0;
  // http.
  std::string protocol = "http";  // http | https
  std::string method = "GET";
  std::string path = "/";
  std::map<std::string, std::vector<std::string>> headers;
  // script: the whole command line (env NAME=VALUE... COMMAND ARGS for a
  // supervised task, CLI exec CONTAINER COMMAND ARGS for a container), the
  // folder it runs in ("" for none), and the command as the job file wrote
  // it, which is what messages show (argv may carry the task's secrets).
  std::vector<std::string> argv;
  std::string dir;
  std::string shown_command;
  std::chrono::milliseconds interval{10000};
  std::chrono::milliseconds timeout{5000};
  CheckOnUpdate on_update = CheckOnUpdate::kRequireHealthy;

  // "http GET /health on port 23456", "tcp on port 6379", "script \"pg_isready -q\"".
  std::string describe() const;
};

enum class CheckStatus { kPassing, kWarning, kFailing, kMissingTool };
std::string to_string(CheckStatus status);

// One line of the script's output.
struct CheckOutcome {
  size_t index = 0;  // in the list health_checks_command was given
  std::string alloc_id;
  std::string service;
  std::string check;
  CheckStatus status = CheckStatus::kFailing;
  std::string detail;
};

// The `sh -s` command (script on stdin) that runs every check of `checks`
// once, concurrently, and prints their lines. Its timeout is the longest
// check's timeout plus a margin. REQUIRES: every check is for the same host.
Command health_checks_command(const std::vector<HealthCheck>& checks);

// The lines of health_checks_command's output; other lines are skipped.
std::vector<CheckOutcome> parse_check_outcomes(const std::string& output);

}  // namespace skiff::drivers
