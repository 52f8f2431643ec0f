#include "drivers/ssh/proxy_jump.hpp"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

namespace skiff::drivers {

namespace {

constexpr size_t kPumpChunk = 64 * 1024;

std::string via(const SshTarget& target) { return "proxy jump via " + target.proxy_jump->name; }

}  // namespace

JumpTunnel::JumpTunnel(const SshTarget& target, HostKeyVerifier& verifier, SteadyClock::time_point now) : target_(target) {
  SshTarget bastion = *target.proxy_jump;
  // The bastion gets the target's connect budget: the tunnel is part of it.
  bastion.connect_timeout = std::min(bastion.connect_timeout, target.connect_timeout);
  if (bastion.proxy_jump) {
    fail(make_error(ErrorCode::kUnsupported, via(target) + ": only one hop is supported"));
    return;
  }
  bastion_ = std::make_unique<SshSession>(bastion, verifier, now);
}

JumpTunnel::~JumpTunnel() {
  if (channel_) libssh2_channel_free(channel_);
  if (local_fd_ >= 0) ::close(local_fd_);
  if (target_fd_ >= 0) ::close(target_fd_);
}

int JumpTunnel::take_target_fd() { return std::exchange(target_fd_, -1); }

TunnelState JumpTunnel::fail(Error error) {
  error_ = std::move(error);
  state_ = TunnelState::kFailed;
  return state_;
}

TunnelState JumpTunnel::step(SteadyClock::time_point now) {
  if (state_ == TunnelState::kBastion) {
    SessionState s = bastion_->step(now);
    if (s == SessionState::kFailed) return fail(bastion_->error().wrap(via(target_)));
    if (s != SessionState::kReady) return state_;
    state_ = TunnelState::kOpen;
  }
  if (state_ == TunnelState::kOpen) step_open();
  if (state_ == TunnelState::kPumping) pump();
  return state_;
}

TunnelState JumpTunnel::step_open() {
  LIBSSH2_SESSION* raw = bastion_->raw();
  channel_ = libssh2_channel_direct_tcpip_ex(raw, target_.address.c_str(), target_.port, "127.0.0.1", 22);
  if (!channel_) {
    if (would_block(raw)) return state_;
    return fail(make_error(
        ErrorCode::kUnavailable,
        libssh2_error_text(raw, via(target_) + ": open channel to " + target_.address + ":" + std::to_string(target_.port))));
  }
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
    return fail(make_error(ErrorCode::kIo, std::string("socketpair: ") + strerror(errno)));
  }
  local_fd_ = pair[0];
  target_fd_ = pair[1];
  state_ = TunnelState::kPumping;
  return state_;
}

// Target session → channel. Returns false on a hard error.
bool JumpTunnel::pump_up() {
  std::array<char, kPumpChunk> buf;
  for (;;) {
    if (up_.empty() && !local_eof_) {
      ssize_t n = ::recv(local_fd_, buf.data(), buf.size(), 0);
      if (n > 0) {
        up_.assign(buf.data(), static_cast<size_t>(n));
        moved_ += static_cast<size_t>(n);
      }
      if (n == 0) local_eof_ = true;
      if (n < 0 && errno != EAGAIN && errno != EINTR) local_eof_ = true;
    }
    if (up_.empty()) return true;
    ssize_t w = libssh2_channel_write(channel_, up_.data(), up_.size());
    if (w == LIBSSH2_ERROR_EAGAIN) {
      bastion_events_ |= libssh2_poll_events(bastion_->raw());
      return true;
    }
    if (w < 0) {
      fail(make_error(ErrorCode::kUnavailable, libssh2_error_text(bastion_->raw(), via(target_) + ": write")));
      return false;
    }
    up_.erase(0, static_cast<size_t>(w));
    moved_ += static_cast<size_t>(w);
  }
}

// Channel → target session. Returns false on a hard error.
bool JumpTunnel::pump_down() {
  std::array<char, kPumpChunk> buf;
  for (;;) {
    while (!down_.empty()) {
      ssize_t n = ::send(local_fd_, down_.data(), down_.size(), MSG_NOSIGNAL);
      if (n < 0) return errno == EAGAIN || errno == EINTR;
      down_.erase(0, static_cast<size_t>(n));
      moved_ += static_cast<size_t>(n);
    }
    if (remote_eof_) return true;
    ssize_t n = libssh2_channel_read(channel_, buf.data(), buf.size());
    if (n == LIBSSH2_ERROR_EAGAIN) {
      bastion_events_ |= libssh2_poll_events(bastion_->raw());
      return true;
    }
    if (n < 0) {
      fail(make_error(ErrorCode::kUnavailable, libssh2_error_text(bastion_->raw(), via(target_) + ": read")));
      return false;
    }
    if (n == 0 && libssh2_channel_eof(channel_)) {
      remote_eof_ = true;
      ::shutdown(local_fd_, SHUT_WR);
      return true;
    }
    if (n == 0) return true;
    down_.assign(buf.data(), static_cast<size_t>(n));
    moved_ += static_cast<size_t>(n);
  }
}

// Repeats until nothing moves: reading the channel can take in a window
// adjustment that lets pending upstream bytes move, with no later wakeup.
TunnelState JumpTunnel::pump() {
  for (;;) {
    bastion_events_ = 0;
    size_t before = moved_;
    if (!pump_up() || !pump_down()) return state_;
    if (moved_ == before) return state_;
  }
}

void JumpTunnel::poll_fds(std::vector<pollfd>& out) const {
  if (state_ == TunnelState::kBastion) {
    out.push_back(pollfd{bastion_->fd(), bastion_->poll_events(), 0});
    return;
  }
  if (state_ == TunnelState::kFailed || !bastion_) return;
  short events = bastion_events_ ? bastion_events_ : libssh2_poll_events(bastion_->raw());
  out.push_back(pollfd{bastion_->fd(), events, 0});
  if (local_fd_ >= 0) {
    events = 0;
    if (up_.empty() && !local_eof_) events |= POLLIN;
    if (!down_.empty()) events |= POLLOUT;
    out.push_back(pollfd{local_fd_, events, 0});
  }
}

}  // namespace skiff::drivers
