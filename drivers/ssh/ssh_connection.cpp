#include "drivers/ssh/ssh_connection.hpp"

namespace skiff::drivers {

SshConnection::SshConnection(const SshTarget& target, HostKeyVerifier& verifier, SteadyClock::time_point now)
    : target_(target), verifier_(verifier), started_(now) {
  if (target_.proxy_jump) {
    tunnel_ = std::make_unique<JumpTunnel>(target_, verifier_, now);
  } else {
    session_ = std::make_unique<SshSession>(target_, verifier_, now);
  }
}

void SshConnection::fail(Error error) {
  failed_ = true;
  error_ = std::move(error);
  if (session_ && session_->state() != SessionState::kFailed) session_->fail(error_);
}

SessionState SshConnection::state() const {
  if (failed_) return SessionState::kFailed;
  return session_ ? session_->state() : SessionState::kConnecting;
}

SessionState SshConnection::step(SteadyClock::time_point now) {
  if (failed_) return SessionState::kFailed;
  if (tunnel_) {
    TunnelState t = tunnel_->step(now);
    if (t == TunnelState::kFailed) {
      fail(tunnel_->error());
      return SessionState::kFailed;
    }
    if (!session_ && t == TunnelState::kPumping) {
      session_ = std::make_unique<SshSession>(target_, verifier_, tunnel_->take_target_fd(), started_);
    }
    if (!session_) {
      if (now >= started_ + target_.connect_timeout) {
        fail(make_error(ErrorCode::kTimeout,
                        "connect: timed out after " + std::to_string(target_.connect_timeout.count()) + " ms (proxy jump via " +
                            target_.proxy_jump->name + ")"));
      }
      return state();
    }
  }
  SessionState s = session_->step(now);
  if (s == SessionState::kFailed && !failed_) {
    failed_ = true;
    error_ = session_->error();
  }
  // Bytes the session just wrote into the tunnel should leave at once.
  if (tunnel_ && s != SessionState::kFailed) tunnel_->step(now);
  return s;
}

void SshConnection::poll_fds(std::vector<pollfd>& out, short session_events) const {
  if (tunnel_) tunnel_->poll_fds(out);
  if (session_ && session_->fd() >= 0) {
    out.push_back(pollfd{session_->fd(), session_events ? session_events : session_->poll_events(), 0});
  }
}

SteadyClock::time_point SshConnection::deadline() const {
  if (session_) return session_->deadline();
  return started_ + target_.connect_timeout;
}

}  // namespace skiff::drivers
