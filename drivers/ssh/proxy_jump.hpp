// JumpTunnel: reaching a host through one bastion, like ssh's ProxyJump.
//
// The bastion's ready session opens a direct-tcpip channel to the target's
// address and port. libssh2 runs a session only over a socket, so the
// channel is bridged to one end of a socketpair and the target's SshSession
// runs over the other end; pump() moves bytes between the channel and the
// socketpair whenever the poll loop says either side may move.
//
// Each tunnel owns its own bastion session: sharing one session between
// several channels breaks in libssh2's non-blocking mode (a partial write of
// one channel makes another's write fail), and a bastion connection per
// tunnel is also what `ssh -J` does.
#pragma once

#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "drivers/ssh/ssh_session.hpp"

namespace skiff::drivers {

enum class TunnelState { kBastion, kOpen, kPumping, kFailed };

class JumpTunnel {
 public:
  // REQUIRES: target.proxy_jump is set. Starts connecting to the bastion.
  JumpTunnel(const SshTarget& target, HostKeyVerifier& verifier, SteadyClock::time_point now);
  ~JumpTunnel();
  JumpTunnel(const JumpTunnel&) = delete;
  JumpTunnel& operator=(const JumpTunnel&) = delete;

  // Advances the bastion connection, the channel opening, then the pump.
  TunnelState step(SteadyClock::time_point now);
  TunnelState state() const { return state_; }

  // Once kPumping: the socket the target's SshSession must run over. The
  // caller takes ownership; call once.
  int take_target_fd();

  // The fds and events this tunnel waits on, appended to `out`.
  void poll_fds(std::vector<pollfd>& out) const;

  // REQUIRES: state() == kFailed.
  const Error& error() const { return error_; }

 private:
  TunnelState step_open();
  TunnelState pump();
  bool pump_up();
  bool pump_down();
  TunnelState fail(Error error);

  SshTarget target_;
  std::unique_ptr<SshSession> bastion_;
  LIBSSH2_CHANNEL* channel_ = nullptr;
  int local_fd_ = -1;   // our end of the socketpair
  int target_fd_ = -1;  // the end handed to the target session
  std::string up_;      // bytes from the target session, not yet in the channel
  std::string down_;    // bytes from the channel, not yet in the socketpair
  size_t moved_ = 0;    // bytes moved either way, to tell progress
  bool local_eof_ = false;
  bool remote_eof_ = false;
  short bastion_events_ = 0;  // as SshExec::wait_events_, for the bastion
  TunnelState state_ = TunnelState::kBastion;
  Error error_;
};

}  // namespace skiff::drivers
