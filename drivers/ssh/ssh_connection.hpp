// SshConnection: a pooled connection to one host: an SshSession, reached
// directly or through a JumpTunnel. It hides the tunnel from the pool: one
// step(), one set of poll fds, one deadline, one error.
#pragma once

#include <poll.h>

#include <memory>
#include <vector>

#include "drivers/ssh/proxy_jump.hpp"
#include "drivers/ssh/ssh_session.hpp"

namespace skiff::drivers {

class SshConnection {
 public:
  SshConnection(const SshTarget& target, HostKeyVerifier& verifier, SteadyClock::time_point now);

  // Advances the tunnel (which must keep pumping for the session's whole
  // life) and the session. kReady means commands may run.
  SessionState step(SteadyClock::time_point now);
  SessionState state() const;
  // REQUIRES: state() == kReady.
  SshSession& session() { return *session_; }

  // The fds to poll while the connection is being set up, or while a
  // command runs (`session_events` then comes from the SshExec).
  void poll_fds(std::vector<pollfd>& out, short session_events = 0) const;
  SteadyClock::time_point deadline() const;
  const Error& error() const { return error_; }
  void fail(Error error);

 private:
  SshTarget target_;
  HostKeyVerifier& verifier_;
  SteadyClock::time_point started_;
  std::unique_ptr<JumpTunnel> tunnel_;
  std::unique_ptr<SshSession> session_;
  bool failed_ = false;
  Error error_;
};

}  // namespace skiff::drivers
