// SshExec: one command on a ready SshSession, as a non-blocking state
// machine: open a channel, exec the quoted command line, stream stdin in
// while reading stdout and stderr (binary-safe, up to the target's
// max_output together: past it the command fails and the pool drops the
// connection, which ends the command on the host), then collect the exit
// status or signal.
//
// One SshExec at a time per session: libssh2 cannot interleave partial
// writes of two channels on one session in non-blocking mode, so the pool
// never runs two commands on one session at once.
#pragma once

#include <string>

#include "drivers/ssh/libssh2_util.hpp"
#include "drivers/ssh/ssh_session.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

enum class ExecState { kOpen, kExec, kIo, kClose, kFree, kDone, kFailed };

class SshExec {
 public:
  // REQUIRES: session is ready and outlives this.
  SshExec(SshSession& session, const Command& command, SteadyClock::time_point now);
  ~SshExec();
  SshExec(const SshExec&) = delete;
  SshExec& operator=(const SshExec&) = delete;

  // Advances until it would block; fails on the command's deadline.
  ExecState step(SteadyClock::time_point now);
  ExecState state() const { return state_; }
  // Whether the command line was sent: before that, a failure means the
  // session was dead and the command may be retried on a new one.
  bool started() const { return state_ >= ExecState::kIo; }
  SteadyClock::time_point deadline() const { return deadline_; }
  // What the session's socket must become for the next step to progress.
  short poll_events() const;

  // REQUIRES: state() == kDone.
  CommandResult take_result() { return std::move(result_); }
  // REQUIRES: state() == kFailed.
  const Error& error() const { return error_; }

 private:
  ExecState step_open();
  ExecState step_exec();
  ExecState step_io();
  ExecState step_close();
  ExecState step_free();
  bool write_stdin();
  bool read_stream(int stream, std::string& sink);
  bool too_large();
  ExecState fail(ErrorCode code, const std::string& what);

  LIBSSH2_SESSION* raw_;
  LIBSSH2_CHANNEL* channel_ = nullptr;
  std::string line_;
  std::string stdin_;
  size_t stdin_sent_ = 0;
  // Directions both the stdin write and the output reads wait on: libssh2
  // remembers only the last call's, and a write blocked on a full socket
  // needs POLLOUT even when the read after it only waits for input.
  short wait_events_ = 0;
  bool eof_sent_ = false;
  bool send_blocked_ = false;  // a stdin packet is partly sent: finish it first
  std::string host_;           // for messages
  std::string command_name_;   // for messages
  uint64_t max_output_;
  std::chrono::milliseconds timeout_;
  SteadyClock::time_point deadline_;
  ExecState state_ = ExecState::kOpen;
  CommandResult result_;
  Error error_;
};

}  // namespace skiff::drivers
