// SshSession: one SSH connection, from TCP connect to an authenticated
// libssh2 session, advanced without blocking by the pool's poll loop.
//
// Steps: TCP connect (skipped over a ProxyJump tunnel) → handshake, with the
// host-key algorithms ordered by what known_hosts holds → host key verified
// → authenticated (ssh_auth.hpp) → ready. The whole setup is bounded by the
// target's connect_timeout, so a host that accepts TCP but never speaks SSH
// fails in time instead of stalling the run.
//
// Thread safety: none; one poll loop owns each session.
#pragma once

#include <chrono>
#include <memory>

#include "base/result.hpp"
#include "drivers/ssh/host_key_verifier.hpp"
#include "drivers/ssh/libssh2_util.hpp"
#include "drivers/ssh/ssh_auth.hpp"
#include "drivers/ssh/ssh_target.hpp"

namespace skiff::drivers {

using SteadyClock = std::chrono::steady_clock;

enum class SessionState { kConnecting, kHandshake, kAuth, kReady, kFailed };

class SshSession {
 public:
  // Connects to target.address:target.port. `verifier` must outlive this.
  SshSession(const SshTarget& target, HostKeyVerifier& verifier, SteadyClock::time_point now);
  // Runs SSH over `connected_fd`, a stream already reaching the host (a
  // ProxyJump tunnel); takes ownership of it.
  SshSession(const SshTarget& target, HostKeyVerifier& verifier, int connected_fd, SteadyClock::time_point now);
  ~SshSession();
  SshSession(const SshSession&) = delete;
  SshSession& operator=(const SshSession&) = delete;

  // Advances as far as possible without blocking; fails on the deadline.
  SessionState step(SteadyClock::time_point now);

  SessionState state() const { return state_; }
  int fd() const { return fd_; }
  short poll_events() const;
  // When setup gives up; time_point::max() once ready.
  SteadyClock::time_point deadline() const;
  // REQUIRES: state() == kFailed.
  const Error& error() const { return error_; }
  // REQUIRES: state() == kReady.
  LIBSSH2_SESSION* raw() const { return session_; }
  const SshTarget& target() const { return target_; }

  // Marks the session unusable (an I/O error or a timeout mid-command): it
  // is then closed without the polite disconnect, which could block.
  void fail(Error error);
  // Sends a keepalive when one is due; cheap to call often.
  void keepalive();

 private:
  SessionState step_connect();
  SessionState step_handshake();
  SessionState step_verify();
  SessionState step_auth();
  Error timeout_error() const;

  SshTarget target_;
  HostKeyVerifier& verifier_;
  int fd_ = -1;
  LIBSSH2_SESSION* session_ = nullptr;
  std::unique_ptr<SshAuth> auth_;
  SessionState state_ = SessionState::kConnecting;
  SteadyClock::time_point started_;
  Error error_;
};

}  // namespace skiff::drivers
