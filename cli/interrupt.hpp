// SIGINT and SIGTERM while apply carries out a plan: the first asks it to
// stop after the step in flight (apply records what ran, cancels the
// deployment, releases the lock and exits 128 + the signal); a second one
// aborts at once, saying that the state may lag behind the hosts.
#pragma once

namespace skiff::cli {

class InterruptScope {
 public:
  // Catches SIGINT and SIGTERM until destroyed (the earlier handlers come
  // back then). REQUIRES: one at a time in the process.
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  // The first signal caught (SIGINT or SIGTERM), or 0.
  static int signal_caught();
  // "SIGINT" or "SIGTERM".
  static const char* signal_name(int signal);
};

}  // namespace skiff::cli
