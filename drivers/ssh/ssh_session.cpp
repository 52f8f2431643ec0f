#include "drivers/ssh/ssh_session.hpp"

#include <poll.h>
#include <unistd.h>

#include "drivers/ssh/tcp_connect.hpp"

namespace skiff::drivers {

namespace {

HostKeyType from_libssh2_type(int type) {
  switch (type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return HostKeyType::kRsa;
    case LIBSSH2_HOSTKEY_TYPE_DSS: return HostKeyType::kDss;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return HostKeyType::kEcdsa256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return HostKeyType::kEcdsa384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return HostKeyType::kEcdsa521;
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return HostKeyType::kEd25519;
    default: return HostKeyType::kUnknown;
  }
}

const char* phase_name(SessionState state) {
  switch (state) {
    case SessionState::kConnecting: return "TCP connect";
    case SessionState::kHandshake: return "SSH handshake";
    case SessionState::kAuth: return "authentication";
    default: return "setup";
  }
}

}  // namespace

SshSession::SshSession(const SshTarget& target, HostKeyVerifier& verifier, SteadyClock::time_point now)
    : target_(target), verifier_(verifier), started_(now) {
  ensure_libssh2_initialized();
  auto fd = start_tcp_connect(target_.address, target_.port);
  if (!fd.ok()) {
    fail(fd.error());
    return;
  }
  fd_ = *fd;
}

SshSession::SshSession(const SshTarget& target, HostKeyVerifier& verifier, int connected_fd, SteadyClock::time_point now)
    : target_(target), verifier_(verifier), fd_(connected_fd), started_(now) {
  ensure_libssh2_initialized();
  state_ = SessionState::kHandshake;
}

SshSession::~SshSession() {
  auth_.reset();
  if (session_) {
    // A healthy session says goodbye (one small packet, sent without
    // waiting); a failed one just drops the socket.
    if (state_ == SessionState::kReady) {
      libssh2_session_disconnect(session_, "skiff done");
    }
    libssh2_session_free(session_);
  }
  if (fd_ >= 0) ::close(fd_);
}

SessionState SshSession::step(SteadyClock::time_point now) {
  for (;;) {
    SessionState before = state_;
    switch (state_) {
      case SessionState::kConnecting: step_connect(); break;
      case SessionState::kHandshake: step_handshake(); break;
      case SessionState::kAuth: step_auth(); break;
      case SessionState::kReady:
      case SessionState::kFailed: return state_;
    }
    if (state_ == before) break;
  }
  if (state_ != SessionState::kReady && state_ != SessionState::kFailed && now >= deadline()) fail(timeout_error());
  return state_;
}

short SshSession::poll_events() const {
  if (state_ == SessionState::kConnecting) return POLLOUT;
  if (!session_) return POLLIN;
  return libssh2_poll_events(session_);
}

SteadyClock::time_point SshSession::deadline() const {
  if (state_ == SessionState::kReady || state_ == SessionState::kFailed) return SteadyClock::time_point::max();
  return started_ + target_.connect_timeout;
}

void SshSession::fail(Error error) {
  state_ = SessionState::kFailed;
  error_ = std::move(error);
}

void SshSession::keepalive() {
  if (state_ != SessionState::kReady || target_.keepalive_interval.count() <= 0) return;
  int next = 0;
  libssh2_keepalive_send(session_, &next);
}

Error SshSession::timeout_error() const {
  return make_error(ErrorCode::kTimeout,
                    std::string("connect: timed out after ") + std::to_string(target_.connect_timeout.count()) + " ms (" +
                        phase_name(state_) + ")");
}

SessionState SshSession::step_connect() {
  pollfd p{fd_, POLLOUT, 0};
  if (::poll(&p, 1, 0) <= 0) return state_;
  Status connected = finish_tcp_connect(fd_);
  if (!connected.ok()) {
    fail(connected.error());
    return state_;
  }
  state_ = SessionState::kHandshake;
  return state_;
}

SessionState SshSession::step_handshake() {
  if (!session_) {
    session_ = libssh2_session_init();
    if (!session_) {
      fail(make_error(ErrorCode::kInternal, "libssh2_session_init failed"));
      return state_;
    }
    libssh2_session_set_blocking(session_, 0);
    std::string methods = verifier_.preferred_methods(target_);
    libssh2_session_method_pref(session_, LIBSSH2_METHOD_HOSTKEY, methods.c_str());
    if (target_.keepalive_interval.count() > 0) {
      libssh2_keepalive_config(session_, 1, static_cast<unsigned>(target_.keepalive_interval.count()));
    }
  }
  int rc = libssh2_session_handshake(session_, fd_);
  if (rc == LIBSSH2_ERROR_EAGAIN) return state_;
  if (rc != 0) {
    fail(make_error(ErrorCode::kUnavailable, libssh2_error_text(session_, "SSH handshake")));
    return state_;
  }
  return step_verify();
}

SessionState SshSession::step_verify() {
  size_t len = 0;
  int type = 0;
  const char* blob = libssh2_session_hostkey(session_, &len, &type);
  if (!blob) {
    fail(make_error(ErrorCode::kUnavailable, "SSH handshake: server sent no host key"));
    return state_;
  }
  Status trusted = verifier_.verify(target_, HostKey{from_libssh2_type(type), std::string(blob, len)});
  if (!trusted.ok()) {
    fail(trusted.error());
    return state_;
  }
  auth_ = std::make_unique<SshAuth>(session_, target_);
  state_ = SessionState::kAuth;
  return state_;
}

SessionState SshSession::step_auth() {
  switch (auth_->step()) {
    case AuthStep::kPending: break;
    case AuthStep::kDone:
      auth_.reset();
      state_ = SessionState::kReady;
      break;
    case AuthStep::kFailed: fail(auth_->error()); break;
  }
  return state_;
}

}  // namespace skiff::drivers
