// SshShell: one long-lived POSIX shell per SSH connection that runs many
// commands, so a warm command costs the host a subshell instead of a new
// channel, an sshd session process and a login shell.
//
// The channel runs `exec /bin/sh`. Each command is written to that shell's
// stdin as
//
//   ( LINE ) </dev/null; printf '%s %d\n' TOKEN "$?"; printf '%s\n' TOKEN >&2
//
// where LINE is the quoted command line (shell_join), or for `sh -c SCRIPT
// NAME ARGS...` with ScriptShell::kSubshell the script itself (`set --
// ARGS...; eval 'SCRIPT'`: one program fewer on the host), and TOKEN a fresh
// random marker: the command's stdout is everything before TOKEN on stdout,
// its stderr everything before TOKEN on stderr, and its exit status the
// number after the stdout marker. The subshell keeps commands from seeing
// each other's variables or working directory, and </dev/null keeps them
// from reading the stream the commands arrive on.
//
// What differs from a channel of its own (SshExec), and so is left to it:
// commands with stdin bytes; and a command killed by a signal reports
// 128 + the signal's number as its exit status, as a shell does, rather
// than the signal's name. A command that leaves a process writing to its
// stdout after it ends would pollute the next command's output; commands
// skiff runs redirect what they start in the background.
//
// A command that prints more than the target's max_output fails as with
// SshExec; the shell is then unusable (its command may still be printing)
// and the pool drops the connection, which ends the command on the host.
#pragma once

#include <string>

#include "drivers/ssh/libssh2_util.hpp"
#include "drivers/ssh/ssh_exec.hpp"
#include "drivers/ssh/ssh_session.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

class SshShell {
 public:
  // REQUIRES: session is ready and outlives this.
  explicit SshShell(SshSession& session);
  ~SshShell();
  SshShell(const SshShell&) = delete;
  SshShell& operator=(const SshShell&) = delete;

  // Whether `command` can run here (it has no stdin bytes).
  static bool can_run(const Command& command) { return !command.stdin_data && !command.argv.empty(); }

  // Starts `command`. REQUIRES: can_run(command); no command running.
  // `token` must never appear in the command's output: 32 random hex digits.
  void begin(const Command& command, const std::string& token, SteadyClock::time_point now);

  // Same contract as SshExec::step: kDone when the command finished (the
  // shell is then ready for the next), kFailed on error or deadline (the
  // shell is then unusable: drop the connection).
  ExecState step(SteadyClock::time_point now);
  // Whether any of the command was sent: before that, a failure means the
  // session was dead and the command may be retried on a new one.
  bool started() const { return script_sent_ > 0; }
  SteadyClock::time_point deadline() const { return deadline_; }
  short poll_events() const;
  CommandResult take_result() { return std::move(result_); }
  const Error& error() const { return error_; }

 private:
  enum class Phase { kOpen, kExec, kIo, kFailed };
  bool write_script();
  bool read_stream(int stream, std::string& sink);
  bool collect_if_done();
  bool too_large();
  ExecState fail(ErrorCode code, const std::string& what);

  SshSession& session_;
  LIBSSH2_SESSION* raw_;
  LIBSSH2_CHANNEL* channel_ = nullptr;
  Phase phase_ = Phase::kOpen;
  std::string token_;
  std::string script_;
  size_t script_sent_ = 0;
  std::string stdout_, stderr_;
  short wait_events_ = 0;
  bool send_blocked_ = false;  // part of the script is in flight: finish it first
  std::string command_name_;   // for messages
  std::chrono::milliseconds timeout_{0};
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  CommandResult result_;
  Error error_;
};

// A fresh marker for SshShell::begin, from base::random_bytes. Fails when
// there are no random bytes: a predictable marker could be forged by the
// output of the command it frames.
Result<std::string> random_shell_token();

}  // namespace skiff::drivers
