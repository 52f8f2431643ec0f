// SshPool: the SSH Fleet. Runs one command on each of many hosts at once
// from a single thread: every connection is a non-blocking libssh2 session
// and one poll() loop drives them all (on 2 cores this costs far less than a
// thread per host, and nothing needs locking).
//
// Connections are kept after a command and reused by later batches on the
// same pool (one per host). Commands without stdin bytes run on one
// long-lived shell per connection (ssh_shell.hpp), so a warm `run_all` is
// one round trip per host and costs each host a subshell; commands with
// stdin get a channel of their own. At most `parallelism` connections are open at once (a host
// behind a ProxyJump counts once, though it holds two TCP connections); when
// the bound is reached, the least recently used idle connection is closed.
//
// Per-host failures come back as Error values in that host's slot. Commands
// for the same host in one batch run one after another, in batch order.
// A reused connection found dead before the command was sent is replaced
// once, transparently. A command timeout drops that host's connection (the
// session's state is unknown mid-command); the next batch reconnects.
//
// Thread safety: none. Use one pool from one thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "drivers/ssh/host_key_verifier.hpp"
#include "drivers/ssh/ssh_hosts.hpp"
#include "drivers/ssh/ssh_target.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

struct SshPoolOptions {
  size_t parallelism = 64;  // bound on open connections; at least 1
  // Run commands without stdin bytes on one long-lived shell per connection
  // (ssh_shell.hpp) instead of a channel each: a warm command then costs
  // the host a subshell, not an sshd session and a login shell.
  bool persistent_shell = true;
};

class SshPool : public SshHosts {
 public:
  explicit SshPool(SshPoolOptions options = {});
  ~SshPool() override;
  SshPool(const SshPool&) = delete;
  SshPool& operator=(const SshPool&) = delete;

  // Registers a host under target.name, replacing (and disconnecting) an
  // earlier one of that name.
  void add_host(SshTarget target) override;
  bool has_host(const std::string& name) const { return targets_.count(name) != 0; }

  // Runs each item on its host; results in batch order. An unknown host
  // name gives kNotFound in its slot.
  std::vector<Result<CommandResult>> run_all(const std::vector<HostCommand>& batch) override;

  // A Transport for one registered host that runs through this pool (and so
  // reuses its connection). REQUIRES: the pool outlives it.
  std::unique_ptr<Transport> transport(const std::string& host);

  size_t open_connections() const { return connections_.size(); }
  // Disconnects every idle connection.
  void close_all();

 private:
  struct Connection;
  struct Job;
  class Loop;

  Connection* acquire(const std::string& host, std::chrono::steady_clock::time_point now);
  void drop(const std::string& host);

  SshPoolOptions options_;
  std::map<std::string, SshTarget> targets_;
  std::map<std::string, std::unique_ptr<Connection>> connections_;
  HostKeyVerifier verifier_;
};

}  // namespace skiff::drivers
