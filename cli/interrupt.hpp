// SIGINT and SIGTERM while apply carries out a plan: the first asks it to
// stop after the step in flight (apply records what ran, cancels the
// deployment, releases the lock and exits 128 + the signal); a second one
// aborts at once, saying that the state may lag behind the hosts.
//
// Scopes nest: the reconcile loop holds one for its whole life, and each
// apply it runs opens another inside it. Only the outermost installs the
// handlers and clears what was caught, so a SIGTERM that arrives while the
// loop observes the fleet still stops the apply that follows at its first
// step.
#pragma once

namespace skiff::cli {

class InterruptScope {
 public:
  // Catches SIGINT and SIGTERM until the outermost scope is destroyed (the
  // earlier handlers come back then). REQUIRES: created and destroyed on
  // one thread, innermost first.
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

  // The first signal caught (SIGINT or SIGTERM), or 0.
  static int signal_caught();
  // "SIGINT" or "SIGTERM".
  static const char* signal_name(int signal);
  // Each signal caught from now on also writes one byte to `fd` (-1: none),
  // so that a loop waiting in poll() wakes up. REQUIRES: `fd` is
  // non-blocking and stays open while it is set.
  static void wake(int fd);
};

}  // namespace skiff::cli
