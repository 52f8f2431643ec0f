// `skiff reconcile --watch`: the GitOps loop. A cycle (cli/reconcile_cycle.hpp)
// every --interval, spread ±10% (reconciler/cycle_interval.hpp), with the
// connections to the hosts and the repository's cache kept between cycles.
// The state lock is taken per cycle, so a person's `skiff apply` runs
// between cycles; a cycle that finds the lock held waits up to the
// interval and says whom it waits for.
//
// SIGHUP runs a cycle now; SIGTERM (or SIGINT) lets the step in flight
// finish, records it, releases the lock and exits 0 (a second one stops at
// once). With --listen, push webhooks start a cycle within a second and
// /metrics, /healthz and /readyz report on the loop
// (cli/reconcile_endpoints.hpp). With --notify or --commit-status, what
// each cycle did is sent on without holding the loop up.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cli/reconcile_cycle.hpp"

namespace skiff::cli {

struct WatchSettings {
  std::chrono::milliseconds interval{60000};
  bool json_logs = false;  // --log-format json
  bool no_color = false;
  std::string listen;            // --listen ADDR; "": no server
  std::string webhook_provider;  // --webhook github|gitlab|gitea ("": github)
  std::string webhook_secret;    // read from --webhook-secret-file; never printed
  std::vector<std::string> notify_urls;
  std::string notify_format = "json";  // or "slack"
  std::string commit_status;           // github|gitea|gitlab; "": none
  std::string commit_status_token;     // read from its file; never printed
  std::string commit_status_api;       // the forge's API base, when not derived from --repo
};

// Runs until SIGTERM or SIGINT; the exit code (0 after a signal, 1 when the
// loop cannot start: a bad flag, an address in use).
int run_reconcile_watch(const ReconcileSettings& settings, const WatchSettings& watch, Context& context);

}  // namespace skiff::cli
